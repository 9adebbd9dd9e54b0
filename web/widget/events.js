// The element's events, one shape each: bubbling and composed (they leave the shadow root), as
// Shoelace's emit() does. Controllers fire them through here; none calls another controller.

/** Dispatches `type` with `detail` from `host`. */
export function emit(host, type, detail) {
  host.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

/** The `error` event's detail for a thrown error (a BackstopError or anything else). */
export const errorDetail = (e) => ({
  code: e?.code ?? 'internal', message: String(e?.message ?? e), pointer: e?.pointer ?? '', errors: e?.errors ?? [],
});

/** The `error` event's detail for field errors ({pointer, message}[]) that stop a run. */
export const invalidDetail = (errors) => ({
  code: 'invalid_input', message: errors.map((e) => `${e.pointer || '(document)'}: ${e.message}`).join('; '),
  pointer: errors[0].pointer, errors,
});
