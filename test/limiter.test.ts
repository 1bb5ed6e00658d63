// The endpoint limiter: a concurrency cap that halves on 429 and grows back, rpm pacing,
// rate-limit headers; and end to end against a server that refuses more than 4 calls at once.
import { describe, expect, it, vi } from 'vitest';
import { rateLimitHint } from '../src/providers/provider.js';
import { Limiter } from '../src/judge/limiter.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const never = new AbortController().signal;

describe('Limiter', () => {
  it("learns a server's cap on calls at once from the levels it refuses, and stops growing past it; a rate limit at every level does not", () => {
    let now = 0;
    // A server that takes 16 at once: a call sent as the 17th or later is refused.
    const capped = new Limiter({ maxConcurrency: 32, now: () => now });
    for (let round = 0; round < 40; round++) {
      now += 250;
      for (let level = 1; level <= capped.currentLimit; level++) {
        if (level > 16) capped.onRateLimited(level);
        else capped.onSuccess(undefined, level);
      }
    }
    expect(capped.currentLimit).toBe(16);
    // Calm at the cap for long: it tries one more, and learns again when that is refused.
    now += 31_000;
    capped.onSuccess(undefined, 16);
    for (let i = 0; i < 40; i++) capped.onSuccess(undefined, 16);
    expect(capped.currentLimit).toBe(17);
    for (let i = 0; i < 4; i++) capped.onRateLimited(17);
    expect(capped.currentLimit).toBe(16);
    // A storm refuses at every level: no cap is learned; the limit grows back to the maximum.
    const storm = new Limiter({ maxConcurrency: 16, now: () => now });
    for (let round = 0; round < 60; round++) {
      now += 2000;
      for (let level = 1; level <= storm.currentLimit; level++) {
        if ((round * 16 + level) % 5 === 0) storm.onRateLimited(level);
        else storm.onSuccess(undefined, level);
      }
    }
    expect(storm.currentLimit).toBe(16);
  });

  it('caps calls in flight; halves the cap on 429 (once per burst) and adds one back per window of successes', async () => {
    let now = 0;
    const l = new Limiter({ maxConcurrency: 8, now: () => now });
    for (let i = 0; i < 8; i++) await l.acquire(10, never);
    let ninth = false;
    const p = l.acquire(10, never).then(() => (ninth = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(ninth).toBe(false);
    l.release();
    await p;
    expect(ninth).toBe(true);
    l.onRateLimited();
    expect(l.currentLimit).toBe(4);
    l.onRateLimited(); // the same burst
    expect(l.currentLimit).toBe(4);
    // A refusal among many successes is the rate limit working, not an overload.
    const calm = new Limiter({ maxConcurrency: 8, now: () => now });
    for (let i = 0; i < 10; i++) calm.onSuccess();
    calm.onRateLimited();
    expect(calm.currentLimit).toBe(8);
    for (const t of [1500, 3000, 4500]) {
      now = t;
      l.onRateLimited();
    }
    expect(l.currentLimit).toBe(1);
    l.onSuccess();
    expect(l.currentLimit).toBe(2);
    l.onSuccess();
    l.onSuccess();
    expect(l.currentLimit).toBe(3);
  });

  it('paces requests per minute with a token bucket', async () => {
    // Fake timers: the wait for budget is a real 30 s timer otherwise.
    vi.useFakeTimers();
    try {
      let now = 0;
      const l = new Limiter({ maxConcurrency: 100, rpm: 2, now: () => now });
      await l.acquire(1, never);
      l.release();
      await l.acquire(1, never);
      l.release();
      let third = false;
      const p = l.acquire(1, never).then(() => (third = true));
      now = 20_000;
      await vi.advanceTimersByTimeAsync(20_000);
      expect(third).toBe(false); // the minute's two requests are used
      now = 30_000; // half a minute later: one request's budget is back
      await vi.advanceTimersByTimeAsync(10_000);
      await p;
      expect(third).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads OpenAI and Anthropic request rate-limit headers', () => {
    const h = (o: Record<string, string>) => (n: string) => o[n];
    expect(rateLimitHint(h({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0.5s' }))).toEqual({ remaining: 0, resetMs: 360_500 });
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(rateLimitHint(h({ 'anthropic-ratelimit-requests-remaining': '3', 'anthropic-ratelimit-requests-reset': '2026-11-23T10:00:02Z' }), now)).toEqual({ remaining: 3, resetMs: 2000 });
    expect(rateLimitHint(h({}))).toBeUndefined();
  });
});

describe('a rate-limited endpoint', () => {
  it('every item completes with the same verdicts, adapting to 429s', async () => {
    const sim = await startSimServer(undefined, { maxConcurrent: 4 });
    try {
      const items = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `i${i}`, output: `[[slow:40]] [[verdict:${i % 3 ? 'pass' : 'fail'}]] ${i}`, label: 'pass' }));
      const dir = makeProject({
        'judges/sim.yaml': openaiJudge(),
        'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
        'calibration-suites/d.jsonl': items.join('\n'),
      });
      const r = await runCli(['--concurrency', '16', '--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
      expect(r.stderr).toBe('');
      const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
      expect(s.items.every((i) => i.outcome !== 'error')).toBe(true);
      expect(s.items.map((i) => i.judge)).toEqual(Array.from({ length: 40 }, (_, i) => (i % 3 ? 'pass' : 'fail')));
      expect(sim.rejected).toBeGreaterThan(0); // it did hit the limit, and recovered
      expect(sim.maxInFlight).toBeLessThanOrEqual(4);
    } finally {
      await sim.close();
    }
  });

  it('a judge-level concurrency keeps it from ever hitting the limit', async () => {
    const sim = await startSimServer(undefined, { maxConcurrent: 4 });
    try {
      const items = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `i${i}`, output: `[[slow:30]] ${i}`, label: 'pass' }));
      const dir = makeProject({
        'judges/sim.yaml': openaiJudge('concurrency: 4\n'),
        'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
        'calibration-suites/d.jsonl': items.join('\n'),
      });
      const r = await runCli(['--concurrency', '16'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
      expect(r.code).toBe(0);
      expect(sim.rejected).toBe(0);
      expect(sim.maxInFlight).toBe(4);
    } finally {
      await sim.close();
    }
  });
});
