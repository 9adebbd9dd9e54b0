// Code that runs only on a user's action is a chunk of its own in the library build, fetched on
// first use. A failed fetch (offline, a deploy that replaced the files) is not remembered: the
// next action tries again, and the error says what could not be loaded.

/** A loader that imports once and shares the promise; after a failure the next call retries. */
export function lazy(what, load) {
  let pending;
  return () => (pending ??= load().catch((e) => {
    pending = undefined;
    throw new Error(`the ${what} could not be loaded (${e?.message ?? e}); try again`, { cause: e });
  }));
}
