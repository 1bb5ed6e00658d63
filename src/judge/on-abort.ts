// Every call in flight and every task waiting for a slot or a retry-after listens to the run's
// one signal: about 250 listeners at --concurrency 64. Node's EventTarget scans a signal's
// listeners on each add and remove, which made those scans a tenth of the runner's CPU per call
// (bench/runner.mjs). One real listener per signal fans out to a Set instead: O(1) either way.
const subscribers = new WeakMap<AbortSignal, Set<() => void>>();

/** Call `fn` once when `signal` aborts (now, if it already has). Returns the unsubscribe. */
export function onAbort(signal: AbortSignal, fn: () => void): () => void {
  if (signal.aborted) {
    fn();
    return () => {};
  }
  let set = subscribers.get(signal);
  if (!set) {
    const fresh = new Set<() => void>();
    subscribers.set(signal, fresh);
    // A copy: a subscriber may unsubscribe another while they run.
    signal.addEventListener('abort', () => [...fresh].forEach((f) => f()), { once: true });
    set = fresh;
  }
  const subscribed = set;
  subscribed.add(fn);
  return () => subscribed.delete(fn);
}
