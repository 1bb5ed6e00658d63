// early_stop: judge in a seeded order, stop at a look once every threshold is settled. The
// error rate across looks by simulation; the calls saved end to end against the test server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookConfidence, lookSizes, settled } from '../src/assert/early-stop.js';
import { seededRandom } from '../src/metrics/random.js';
import { wilsonInterval } from '../src/metrics/wilson.js';
import type { JsonReport } from '../src/report/json.js';
import type { ThresholdOutcome } from '../src/types.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const opts = { confidence: 0.95, looks: 5 };

/** The looks of one simulated suite: accuracy against ">= target" with Wilson intervals at each look's confidence, as the runner scores it. */
function firstDecision(trueAccuracy: number, target: number, n: number, random: () => number): { look: number; decision: 'pass' | 'fail' } | undefined {
  const right: boolean[] = Array.from({ length: n }, () => random() < trueAccuracy);
  const sizes = lookSizes(n, opts.looks);
  for (const [k, size] of sizes.slice(0, -1).entries()) {
    const hits = right.slice(0, size).filter(Boolean).length;
    const t = { metric: 'accuracy', op: '>=', target, on: 'estimate', estimate: hits / size, actual: hits / size, ci: wilsonInterval(hits, size, lookConfidence(opts)), n: size, status: 'passed', source: { file: '', line: 0, column: 0 } } as ThresholdOutcome;
    const d = settled(t);
    if (d) return { look: k + 1, decision: d };
  }
  return undefined;
}

describe('early_stop, by simulation', () => {
  it('a judge exactly at the threshold is passed early in at most 1 − confidence of runs, across the looks', () => {
    const random = seededRandom(7);
    let falsePass = 0;
    const sims = 2000;
    for (let s = 0; s < sims; s++) if (firstDecision(0.8, 0.8, 2000, random)?.decision === 'pass') falsePass++;
    // 2,000 runs: a true 5% would exceed 6.2% with probability < 1%.
    expect(falsePass / sims).toBeLessThanOrEqual(0.05 + 0.012);
  });

  it('a clearly good or clearly bad judge stops at an early look, the right way', () => {
    const random = seededRandom(8);
    for (let s = 0; s < 200; s++) {
      const good = firstDecision(0.9, 0.8, 2000, random);
      const bad = firstDecision(0.7, 0.8, 2000, random);
      expect(good?.decision).toBe('pass');
      expect(bad?.decision).toBe('fail');
      expect(good!.look).toBeLessThanOrEqual(2);
      expect(bad!.look).toBeLessThanOrEqual(2);
    }
    expect(lookSizes(2000, 5)).toEqual([400, 800, 1200, 1600, 2000]);
    expect(lookConfidence(opts)).toBeCloseTo(0.99, 12);
  });
});

describe('early_stop, end to end', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  // The judge is right on every item except those whose number is a multiple of `every`.
  let every = 20;
  beforeAll(async () => {
    sim = await startSimServer((({ prompt }: { prompt: string }) => {
      const n = Number(/item (\d+)/.exec(prompt)?.[1] ?? 0);
      const truth = n % 2 ? 'fail' : 'pass';
      const wrong = n % every === 0;
      return { verdict: wrong ? (truth === 'pass' ? 'fail' : 'pass') : truth, reason: 'r' };
    }) as never);
  });
  afterAll(() => sim.close());

  const project = (extra = 'early_stop: {confidence: 0.95, looks: 5}\n') =>
    makeProject({
      'calibration-suites/big.yaml': `suite: big\njudge:\n  id: j\n  provider: openai\n  model: sim\n  baseURL: ${sim.openaiBaseURL}\n  scale: binary\n  rubric: r\nitems: ./items.jsonl\n${extra}thresholds:\n  accuracy: ">= 0.8"\n`,
      'calibration-suites/items.jsonl': Array.from({ length: 1000 }, (_, i) => JSON.stringify({ id: `i${i}`, output: `item ${i}`, label: i % 2 ? 'fail' : 'pass' })).join('\n'),
    });

  it('a clearly good judge is decided at the first look: a fifth of the calls, said in every report', async () => {
    every = 20; // 95% right
    const dir = project();
    sim.reset();
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'markdown', '--outputFile.markdown', 'r.md'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(r.code).toBe(0);
    expect(sim.calls.length).toBe(200);
    expect(r.stdout).toContain('decided after 200 of 1,000 items (look 1 of 5): 800 not judged; metrics over the judged items');
    const s = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(s.early_stop).toEqual({ judged: 200, of: 1000, look: 1, looks: 5, confidence: 0.95 });
    expect(s.items).toHaveLength(200);
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).stats.calls).toBe(200);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('| 200 of 1000 (decided early) |');
  });

  it('a judge at the threshold is judged on every item; --early-stop turns it on for every suite', async () => {
    every = 5; // 80% right: exactly at the threshold
    const dir = project('');
    sim.reset();
    const r = await runCli(['--early-stop', '--reporter', 'json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(sim.calls.length).toBe(1000);
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(s.early_stop).toBeUndefined();
    expect(s.items).toHaveLength(1000);
  });
});
