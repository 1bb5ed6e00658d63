// Bounded concurrency: `concurrency` workers take tasks in order until the list is done or the run is stopped.
export async function runPool<T>(tasks: readonly T[], concurrency: number, signal: AbortSignal, worker: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  // The workers start one event-loop turn apart. Started together, their first calls are
  // prepared in lock-step (one SDK step each, round-robin), so the first request leaves only
  // when the last is nearly ready; one turn apart, each first request can reach the network
  // (and start its TLS handshake) before the next is prepared.
  let turn = Promise.resolve();
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, async (_, i) => {
    if (i > 0) {
      const mine = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      turn = mine;
      await mine;
    }
    while (!signal.aborted && next < tasks.length) {
      await worker(tasks[next++]!);
    }
  });
  await Promise.all(lanes);
}
