// Landing page: the full calculator, state kept in the URL fragment (permalink attribute).
import './widget/define.js';
