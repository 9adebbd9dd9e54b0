// Registers <backstop-calculator>. Idempotent: a page may load this script more than once
// (two embeds, a bundle and a tag) without "already defined" errors.
import { BackstopCalculator } from './backstop-calculator.js';

export { BackstopCalculator };

export function define(name = 'backstop-calculator') {
  if (!customElements.get(name)) customElements.define(name, BackstopCalculator);
  return customElements.get(name);
}

define();
