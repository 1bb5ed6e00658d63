// The run signal's fan-out: one real listener however many calls and waits subscribe.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Limiter } from '../src/judge/limiter.js';
import { onAbort } from '../src/judge/on-abort.js';
import { sleep } from '../src/judge/retry.js';

describe('onAbort', () => {
  it('calls each subscriber once on abort, not those that unsubscribed, through one listener', () => {
    const c = new AbortController();
    const calls: string[] = [];
    const offs = ['a', 'b', 'c'].map((name) => onAbort(c.signal, () => calls.push(name)));
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(1);
    offs[1]!();
    c.abort();
    c.abort();
    expect(calls).toEqual(['a', 'c']);
  });

  it('calls at once on a signal already aborted', () => {
    const c = new AbortController();
    c.abort();
    let called = 0;
    onAbort(c.signal, () => called++)();
    expect(called).toBe(1);
  });

  it('still calls a subscriber another one removes while they run', () => {
    const c = new AbortController();
    const calls: string[] = [];
    let offB = () => {};
    onAbort(c.signal, () => {
      calls.push('a');
      offB();
    });
    offB = onAbort(c.signal, () => calls.push('b'));
    c.abort();
    expect(calls).toEqual(['a', 'b']);
  });

  it('keeps one listener while 200 tasks wait for a limiter slot or a retry-after, and frees them all on abort', async () => {
    const c = new AbortController();
    const limiter = new Limiter({ maxConcurrency: 1 });
    await limiter.acquire(1, c.signal);
    const waiting = Array.from({ length: 100 }, () => limiter.acquire(1, c.signal).then(() => 'slot', (e: Error) => e.message));
    const sleeping = Array.from({ length: 100 }, () => sleep(60_000, c.signal).then(() => 'slept', (e: Error) => e.message));
    expect(getEventListeners(c.signal, 'abort')).toHaveLength(1);
    c.abort(new Error('interrupted'));
    expect(new Set(await Promise.all([...waiting, ...sleeping]))).toEqual(new Set(['interrupted']));
  });
});
