// Bounded concurrency: `concurrency` workers take tasks in order until the work is done or the
// run is stopped. The work is a list, or a queue that grows while the pool runs (the plan's
// head is judged while the rest is planned).

/** Work that may still arrive: push while the pool runs, close when there is no more. */
export class WorkQueue<T> {
  private head = 0;
  private isClosed = false;
  private waiting: (() => void)[] = [];

  private constructor(private readonly items: (T | undefined)[]) {}

  static open<T>(): WorkQueue<T> {
    return new WorkQueue<T>([]);
  }

  /** A closed queue of `items` (copied: taken items are let go). */
  static of<T>(items: readonly T[]): WorkQueue<T> {
    const q = new WorkQueue<T>(items.slice());
    q.close();
    return q;
  }

  push(item: T): void {
    this.items.push(item);
    this.waiting.shift()?.();
  }

  close(): void {
    this.isClosed = true;
    for (const wake of this.waiting.splice(0)) wake();
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** How many items are waiting to be taken. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** The next item if one is waiting (taken items are let go). */
  take(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    return item;
  }

  /** Resolves when an item arrives or the queue closes. */
  more(): Promise<void> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}

/** `onDrained`: called once, when the last task has been taken (the workers still running). */
export async function runPool<T>(tasks: readonly T[] | WorkQueue<T>, concurrency: number, signal: AbortSignal, worker: (task: T) => Promise<void>, onDrained?: () => void): Promise<void> {
  const queue = tasks instanceof WorkQueue ? tasks : WorkQueue.of(tasks);
  let drained = false;
  // The workers start one event-loop turn apart. Started together, their first calls are
  // prepared in lock-step (one SDK step each, round-robin), so the first request leaves only
  // when the last is nearly ready; one turn apart, each first request can reach the network
  // (and start its TLS handshake) before the next is prepared.
  let turn = Promise.resolve();
  const lanes = Array.from({ length: Math.max(1, queue.closed ? Math.min(concurrency, queue.length) : concurrency) }, async (_, i) => {
    if (i > 0) {
      const mine = turn.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      turn = mine;
      await mine;
    }
    while (!signal.aborted) {
      const task = queue.take();
      if (task !== undefined) {
        await worker(task);
        continue;
      }
      if (queue.closed) {
        if (!drained) {
          drained = true;
          onDrained?.();
        }
        return;
      }
      await queue.more();
    }
  });
  await Promise.all(lanes);
}
