// length_bias: the judge's rank correlation with output length minus the humans', against
// SciPy, its interval checked by simulation, and as a threshold end to end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averageRanks, lengthBias, rankCorrelation } from '../src/metrics/length-bias.js';
import { seededRandom } from '../src/metrics/random.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/length-bias.json', import.meta.url), 'utf8')) as {
  cases: { kind: string; human: number[]; judge: number[]; lengths: number[]; judge_corr: number; human_corr: number; bias: number }[];
};
const opts = { resamples: 1000, seed: 1, confidence: 0.95, method: 'percentile' as const };

describe('length_bias', () => {
  it.each(fixture.cases.map((c, i) => [`${c.kind} n=${c.lengths.length} #${i}`, c] as const))('matches scipy.stats.spearmanr: %s', (_, c) => {
    expect(rankCorrelation(c.judge, c.lengths)).toBeCloseTo(c.judge_corr, 12);
    expect(rankCorrelation(c.human, c.lengths)).toBeCloseTo(c.human_corr, 12);
    const m = lengthBias(c.human, c.judge, c.lengths, opts);
    expect(m.bias.value).toBeCloseTo(c.bias, 12);
    expect(m.bias.ci![0]).toBeLessThan(m.bias.value!);
    expect(m.bias.ci![1]).toBeGreaterThan(m.bias.value!);
  });

  it('ranks ties by their average, like scipy.stats.rankdata', () => {
    expect(averageRanks([10, 20, 10, 30, 20])).toEqual([1.5, 3.5, 1.5, 5, 3.5]);
  });

  it('its 95% interval covers the true value 0 in about 95% of samples when neither side cares about length', () => {
    const random = seededRandom(99);
    let covered = 0;
    const runs = 300;
    for (let s = 0; s < runs; s++) {
      const n = 80;
      const lengths = Array.from({ length: n }, () => Math.floor(random() * 500));
      const human = Array.from({ length: n }, () => (random() < 0.5 ? 1 : 0));
      const judge = human.map((h) => (random() < 0.8 ? h : 1 - h));
      const ci = lengthBias(human, judge, lengths, { ...opts, resamples: 400, seed: s }).bias.ci!;
      if (ci[0] <= 0 && ci[1] >= 0) covered++;
    }
    // 300 samples: a true 95% rate lands in [0.91, 0.98] with 99.9% probability.
    expect(covered / runs).toBeGreaterThanOrEqual(0.91);
    expect(covered / runs).toBeLessThanOrEqual(0.985);
  });

  it('gates a judge that rewards length more than the humans do', async () => {
    // Humans pass by content (every other item); the judge passes the long outputs.
    const items = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, output: 'x'.repeat(20 + (i % 10) * 40), label: i % 2 ? 'fail' : 'pass' }));
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  length_bias: "<= 0.2"\n',
      'calibration-suites/items.jsonl': items.map((x) => JSON.stringify(x)).join('\n'),
      'calibration-suites/v.jsonl': items.map((x) => JSON.stringify({ id: x.id, verdict: x.output.length > 200 ? 'pass' : 'fail' })).join('\n'),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(s.metrics.judge_length_correlation!.value!).toBeGreaterThan(0.8);
    expect(Math.abs(s.metrics.human_length_correlation!.value!)).toBeLessThan(0.2);
    expect(s.thresholds[0]).toMatchObject({ metric: 'length_bias', status: 'failed' });
  });
});
