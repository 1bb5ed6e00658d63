// Confidence intervals: Wilson and the normal quantile against statsmodels / SciPy, the
// bootstrap's determinism and coverage, and thresholds that gate on a bound.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkThreshold } from '../src/assert/thresholds.js';
import { bootstrapTableIntervals } from '../src/metrics/bootstrap.js';
import { kappaOf } from '../src/metrics/cohen-kappa.js';
import { computeMetrics } from '../src/metrics/index.js';
import { normalQuantile } from '../src/metrics/normal.js';
import { pairTable } from '../src/metrics/pair-table.js';
import { seededRandom } from '../src/metrics/random.js';
import { wilsonInterval } from '../src/metrics/wilson.js';
import type { Label, Scale, ThresholdSpec } from '../src/types.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/metrics.json', import.meta.url), 'utf8')) as {
  wilson: { k: number; n: number; confidence: number; interval: [number, number] }[];
  normal_quantiles: { p: number; z: number }[];
};

describe('against statsmodels and SciPy', () => {
  it.each(fixture.wilson)('Wilson interval $k/$n at $confidence', ({ k, n, confidence, interval }) => {
    const got = wilsonInterval(k, n, confidence)!;
    expect(got[0]).toBeCloseTo(interval[0], 9);
    expect(got[1]).toBeCloseTo(interval[1], 9);
  });

  it.each(fixture.normal_quantiles)('normal quantile at p=$p', ({ p, z }) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 9);
  });
});

const binary: Scale = { kind: 'binary' };

/** n items, half passed by humans; the judge agrees with each independently with probability `agree`. */
function simulate(random: () => number, n: number, agree: number): { human: Label[]; judge: Label[] } {
  const human: Label[] = Array.from({ length: n }, (_, i) => (i < n / 2 ? 'pass' : 'fail'));
  const judge = human.map((h) => (random() < agree ? h : h === 'pass' ? 'fail' : 'pass'));
  return { human, judge };
}

describe('bootstrap intervals', () => {
  const { human, judge } = simulate(seededRandom(3), 200, 0.8);
  const table = pairTable(human, judge, ['pass', 'fail']);
  const metrics = { kappa: (t: typeof table) => kappaOf(t) };

  it('are reproducible: the same seed gives the same interval, another seed another', () => {
    const a = bootstrapTableIntervals(table, metrics, { resamples: 500, seed: 7, confidence: 0.95 });
    const b = bootstrapTableIntervals(table, metrics, { resamples: 500, seed: 7, confidence: 0.95 });
    const c = bootstrapTableIntervals(table, metrics, { resamples: 500, seed: 8, confidence: 0.95 });
    expect(a).toEqual(b);
    expect(a.kappa).not.toEqual(c.kappa);
    const point = kappaOf(table).value!;
    expect(a.kappa![0]).toBeLessThan(point);
    expect(a.kappa![1]).toBeGreaterThan(point);
  });

  /** The share of simulated suites (half pass, judge right 80%: true kappa 0.6) whose 95% kappa interval covers 0.6. */
  const kappaCoverage = (seed: number, runs: number, items: number, method: 'percentile' | 'bca') => {
    const random = seededRandom(seed);
    let covered = 0;
    for (let r = 0; r < runs; r++) {
      const d = simulate(random, items, 0.8);
      const ci = bootstrapTableIntervals(pairTable(d.human, d.judge, ['pass', 'fail']), metrics, { resamples: 400, seed: r, confidence: 0.95, method }).kappa!;
      if (ci[0] <= 0.6 && 0.6 <= ci[1]) covered++;
    }
    return covered / runs;
  };

  it('a 95% kappa interval covers the true kappa in roughly 95% of simulated suites', () => {
    // Half pass, judge right 80% of the time on either class: true kappa = (0.8 − 0.5) / 0.5 = 0.6.
    const coverage = kappaCoverage(11, 300, 200, 'percentile');
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);
  });

  it('a 95% BCa kappa interval covers the true kappa in roughly 95% of simulated suites', () => {
    const coverage = kappaCoverage(13, 200, 120, 'bca');
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.99);
  });

  it('BCa moves a skewed interval and falls back to percentile when it cannot be estimated', () => {
    // A judge that is almost always right: kappa's bootstrap distribution is skewed left.
    const human: Label[] = Array.from({ length: 60 }, (_, i) => (i < 30 ? 'pass' : 'fail'));
    const judge = human.map((h, i) => (i === 3 || i === 40 ? (h === 'pass' ? 'fail' : 'pass') : h));
    const t = pairTable(human, judge, ['pass', 'fail']);
    const pct = bootstrapTableIntervals(t, metrics, { resamples: 1000, seed: 2, confidence: 0.95 }).kappa!;
    const bca = bootstrapTableIntervals(t, metrics, { resamples: 1000, seed: 2, confidence: 0.95, method: 'bca' }).kappa!;
    expect(bca).not.toEqual(pct);
    expect(bca[0]).toBeLessThanOrEqual(pct[0]);
    // All replicates equal the estimate (perfect agreement): no bias correction is possible.
    const perfect = pairTable(human, human, ['pass', 'fail']);
    expect(bootstrapTableIntervals(perfect, metrics, { resamples: 200, seed: 2, confidence: 0.95, method: 'bca' }).kappa).toEqual([1, 1]);
  });

  it('a 95% Wilson interval for fp_rate covers the true rate in roughly 95% of suites', () => {
    const random = seededRandom(12);
    let covered = 0;
    const runs = 400;
    for (let r = 0; r < runs; r++) {
      const d = simulate(random, 60, 0.9); // true fp_rate = 0.1 on 30 human-failed items
      const m = computeMetrics({ scale: binary, human: d.human, judge: d.judge, answered: 60, unparseable: 0 }, ['pass', 'fail'], { resamples: 0, seed: 1, confidence: 0.95 });
      const ci = m.metrics.fp_rate!.ci!;
      if (ci[0] <= 0.1 && 0.1 <= ci[1]) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.9);
    expect(covered / runs).toBeLessThan(0.99);
  });

  it('give every defined metric an interval, and none to an undefined one', () => {
    const m = computeMetrics({ scale: binary, human, judge, answered: 200, unparseable: 0 }, ['pass', 'fail']).metrics;
    for (const [name, v] of Object.entries(m)) {
      expect(v.ci, name).toBeTruthy();
      expect(v.ci![0], name).toBeLessThanOrEqual(v.value!);
      expect(v.ci![1], name).toBeGreaterThanOrEqual(v.value!);
    }
    const constant = computeMetrics({ scale: binary, human: ['pass', 'pass'], judge: ['pass', 'pass'], answered: 2, unparseable: 0 }, ['pass', 'fail']).metrics;
    expect(constant.kappa!.value).toBeNull();
    expect(constant.kappa!.ci).toBeUndefined();
  });
});

describe('thresholds on a bound, and insufficient evidence', () => {
  const source = { file: 's.yaml', line: 3, column: 3 };
  const spec = (over: Partial<ThresholdSpec>): ThresholdSpec => ({ metric: 'kappa', op: '>=', target: 0.6, on: 'estimate', source, ...over });
  const metric = { value: 0.7, n: 50, ci: [0.55, 0.82] as [number, number] };

  it('gates on the estimate by default, or on ci_low / ci_high', () => {
    expect(checkThreshold(spec({}), metric, 10)).toMatchObject({ status: 'passed', actual: 0.7, estimate: 0.7, ci: [0.55, 0.82] });
    expect(checkThreshold(spec({ on: 'ci_low' }), metric, 10)).toMatchObject({ status: 'failed', actual: 0.55 });
    expect(checkThreshold(spec({ op: '<=', target: 0.9, on: 'ci_high' }), metric, 10)).toMatchObject({ status: 'passed', actual: 0.82 });
    expect(checkThreshold(spec({ on: 'ci_low' }), { value: 0.7, n: 50, ci: null }, 10)).toMatchObject({ status: 'failed', reason: 'kappa has no confidence interval to gate on (ci_low)' });
  });

  it('reports too few items as insufficient evidence, never a pass', () => {
    expect(checkThreshold(spec({}), { value: 0.9, n: 8 }, 10)).toMatchObject({
      status: 'insufficient',
      actual: null,
      reason: 'insufficient evidence: 8 items, the suite needs at least 10 (min_items)',
    });
  });
});
