// The --optimize holdout test: the paired permutation test against SciPy's exact one, and the
// whole acceptance rule by simulation at the bundled sizes (bench/optimize-acceptance.mjs).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracyOf } from '../src/metrics/accuracy.js';
import { kappaOf } from '../src/metrics/cohen-kappa.js';
import { pairedPermutationTest } from '../src/metrics/paired-permutation.js';
import { decideOnHoldout, gaugeOf, perConsultation } from '../src/optimize/acceptance.js';
import { yardstickOf } from '../src/optimize/objective.js';
import type { Label } from '../src/types.js';
import { simulate, SCENARIOS } from '../bench/optimize-acceptance.mjs';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/permutation.json', import.meta.url), 'utf8')) as {
  cases: { metric: 'accuracy' | 'kappa'; labels: Label[]; human: Label[]; before: Label[]; after: Label[]; delta: number; p: number }[];
};
const metrics = { accuracy: accuracyOf, kappa: (t: Parameters<typeof kappaOf>[0]) => kappaOf(t) };

describe('pairedPermutationTest', () => {
  it.each(fixture.cases.map((c, i) => [`${c.metric} #${i}`, c] as const))('matches scipy.stats.permutation_test exactly: %s', (_, c) => {
    const r = pairedPermutationTest(c.human, c.before, c.after, c.labels, metrics[c.metric], { resamples: 1000, seed: 1 })!;
    expect(r.delta).toBeCloseTo(c.delta, 12);
    expect(r.p).toBeCloseTo(c.p, 12);
  });

  it('with more differing items than resamples, estimates the exact p-value within Monte Carlo error', () => {
    // 40 items, the two rubrics differ on 18: 2^18 swaps exactly, against 4000 random ones.
    const human = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 'pass' : 'fail'));
    const before = human.map((h, i) => (i < 12 ? (h === 'pass' ? 'fail' : 'pass') : h));
    const after = human.map((h, i) => (i < 11 ? h : i < 18 ? (h === 'pass' ? 'fail' : 'pass') : h));
    const exact = pairedPermutationTest(human, before, after, ['pass', 'fail'], metrics.kappa, { resamples: 2 ** 18, seed: 1 })!;
    const sampled = pairedPermutationTest(human, before, after, ['pass', 'fail'], metrics.kappa, { resamples: 4000, seed: 1 })!;
    expect(exact.p).toBeGreaterThan(0.01);
    expect(exact.p).toBeLessThan(0.5);
    expect(Math.abs(sampled.p - exact.p)).toBeLessThan(4 * Math.sqrt((exact.p * (1 - exact.p)) / 4000));
  });
});

describe('decideOnHoldout', () => {
  const scale = { kind: 'binary' } as const;
  const thresholds = [{ metric: 'kappa', op: '>=' as const, target: 0.6 }, { metric: 'fp_rate', op: '<=' as const, target: 0.1 }];
  const human: Label[] = Array.from({ length: 20 }, (_, i) => (i < 10 ? 'pass' : 'fail'));
  const yard = yardstickOf(scale, human);
  const gauge = gaugeOf(scale, thresholds, new Set(['kappa >=', 'fp_rate <=']), yard);
  const test = { scale, gauge, vetoMetrics: ['kappa', 'fp_rate'], confidence: 0.9, consultations: 3, bootstrap: { resamples: 1000, seed: 1, confidence: 0.95, method: 'percentile' as const } };
  // The current rubric passes 6 of the 10 the humans fail.
  const before: Label[] = human.map((h, i) => (i >= 10 && i < 16 ? 'pass' : h));

  it('spends the error budget evenly over the rounds', () => {
    expect(perConsultation(0.9, 3)).toBeCloseTo(1 - 0.1 / 3, 12);
    expect(gauge.text).toBe('kappa >= + fp_rate <=');
    expect(gauge.terms[0]!.span).toBeCloseTo(0.6, 12); // chance kappa is 0
  });

  it('accepts a candidate that fixes six false positives and breaks nothing (p = 1/64)', () => {
    const after = [...human];
    const d = decideOnHoldout({ human, before, after }, test);
    expect(d.ok).toBe(true);
    expect(d.gain!.p).toBeCloseTo(1 / 64, 12);
    expect(d.reason).toMatch(/^holdout: better beyond chance \(kappa >= \+ fp_rate <= \+[\d.]+, p = 0\.016, needs <= 0\.033\)$/);
  });

  it('rejects one that fixes four (p = 1/16: it could be luck on 20 items)', () => {
    const after = human.map((h, i) => (i >= 14 && i < 16 ? 'pass' : h));
    const d = decideOnHoldout({ human, before, after }, test);
    expect(d.ok).toBe(false);
    expect(d.gain!.p).toBeCloseTo(1 / 16, 12);
    expect(d.reason).toMatch(/^holdout: not better beyond chance/);
  });

  it('vetoes a candidate with a thresholded metric worse beyond noise, before weighing its gain', () => {
    // It now fails 8 of the 10 the humans pass: kappa 0.4 -> -0.4.
    const after = before.map((v, i) => (i < 8 ? 'fail' : v));
    const d = decideOnHoldout({ human, before, after }, test);
    expect(d.ok).toBe(false);
    expect(d.reason).toMatch(/^holdout: kappa worse beyond noise \(-[\d.]+, 95% interval \[-[\d.]+, -[\d.]+\]\)$/);
  });
});

describe('the acceptance rule, simulated at the bundled sizes (41 dev / 19 holdout, 3 rounds × 3 candidates)', () => {
  it('accepts a worse candidate in at most 5% of searches and an equal one in at most 10%', () => {
    const rate = (accuracy: number) => simulate({ accuracy, searches: 600, seed: 3 }) as { searches: number; consultations: number; consulted: number };
    const worse = rate(SCENARIOS.worse);
    const equal = rate(SCENARIOS.equal);
    const better = rate(SCENARIOS.better);
    expect(worse.consulted).toBeGreaterThan(300); // the holdout was really consulted
    expect(worse.searches).toBeLessThanOrEqual(0.05);
    expect(equal.searches).toBeLessThanOrEqual(0.1);
    // More often the better it is (the README reports the figures of a longer run).
    expect(better.searches).toBeGreaterThan(equal.searches);
    expect(equal.searches).toBeGreaterThanOrEqual(worse.searches);
  }, 60_000);

  it('has teeth: the old rule (a better point estimate, no veto) breaks both bounds', () => {
    const old = (accuracy: number) => simulate({ accuracy, searches: 300, seed: 3, rule: 'point' }) as { searches: number };
    expect(old(SCENARIOS.worse).searches).toBeGreaterThan(0.05);
    expect(old(SCENARIOS.equal).searches).toBeGreaterThan(0.1);
  }, 60_000);
});
