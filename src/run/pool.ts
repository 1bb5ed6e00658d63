// Bounded concurrency: `concurrency` workers take tasks in order until the list is done or the run is stopped.
export async function runPool<T>(tasks: readonly T[], concurrency: number, signal: AbortSignal, worker: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, tasks.length)) }, async () => {
    while (!signal.aborted && next < tasks.length) {
      await worker(tasks[next++]!);
    }
  });
  await Promise.all(lanes);
}
