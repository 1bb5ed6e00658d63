// The worker pool: every task once, in order, at most `concurrency` at a time, the workers
// starting one event-loop turn apart.
import { describe, expect, it } from 'vitest';
import { runPool, WorkQueue } from '../src/run/pool.js';

describe('runPool', () => {
  it('runs every task once, in order, never more than `concurrency` at once, each worker starting a turn after the last', async () => {
    // Count event-loop turns while the pool runs.
    let turns = 0;
    let counting = true;
    const tick = () => {
      turns++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const started: { task: number; turn: number }[] = [];
    let inFlight = 0;
    let most = 0;
    await runPool([...Array(20).keys()], 4, new AbortController().signal, async (task) => {
      started.push({ task, turn: turns });
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    });
    counting = false;
    expect(started.map((s) => s.task)).toEqual([...Array(20).keys()]);
    expect(most).toBe(4);
    const firsts = started.slice(0, 4).map((s) => s.turn);
    for (let i = 1; i < 4; i++) expect(firsts[i]).toBeGreaterThan(firsts[i - 1]!);
  });

  it('starts no task once the signal is aborted', async () => {
    const c = new AbortController();
    const seen: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6], 3, c.signal, async (task) => {
      seen.push(task);
      c.abort();
    });
    expect(seen).toEqual([1]);
  });

  it('takes a list of any length (a run planned whole can have a million misses)', async () => {
    let done = 0;
    await runPool(Array.from({ length: 300_000 }, (_, i) => i + 1), 8, new AbortController().signal, async () => {
      done++;
    });
    expect(done).toBe(300_000);
  });

  it('drains a queue that grows while it runs, and ends when it is closed', async () => {
    const queue = WorkQueue.open<number>();
    const seen: number[] = [];
    const running = runPool(queue, 3, new AbortController().signal, async (task) => {
      seen.push(task);
    });
    for (let i = 1; i <= 5; i++) {
      queue.push(i);
      await new Promise((r) => setImmediate(r));
    }
    queue.push(6);
    queue.close();
    await running;
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('says once when the last task has been taken, while it is still running', async () => {
    const events: string[] = [];
    await runPool([1, 2, 3, 4, 5], 2, new AbortController().signal, async (task) => {
      events.push(`start ${task}`);
      await new Promise((r) => setTimeout(r, task === 5 ? 30 : 2));
      events.push(`end ${task}`);
    }, () => events.push('drained'));
    expect(events.filter((e) => e === 'drained')).toHaveLength(1);
    const at = events.indexOf('drained');
    expect(at).toBeGreaterThan(events.indexOf('start 5'));
    expect(at).toBeLessThan(events.indexOf('end 5'));
  });
});
