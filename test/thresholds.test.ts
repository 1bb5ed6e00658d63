// Each threshold operator at its boundary: exactly on the target passes, the smallest step
// beyond it fails — in the direction that makes the metric worse.
import { describe, expect, it } from 'vitest';
import { checkThreshold, type Compare, type DriftOf } from '../src/assert/thresholds.js';
import type { MetricValue, ThresholdSpec } from '../src/types.js';

const where = { file: 'suite.yaml', line: 3, column: 3 };
const spec = (s: Partial<ThresholdSpec> & Pick<ThresholdSpec, 'metric' | 'op' | 'target'>): ThresholdSpec => ({ on: 'estimate', source: where, ...s });
const metric = (value: number, ci?: [number, number]): MetricValue => ({ value, n: 100, ...(ci ? { ci } : {}) });
const EPS = 1e-9;

describe('>=', () => {
  it('passes exactly at the target and fails just below it', () => {
    const t = spec({ metric: 'kappa', op: '>=', target: 0.6 });
    expect(checkThreshold(t, metric(0.6), 10).status).toBe('passed');
    expect(checkThreshold(t, metric(0.6 - EPS), 10).status).toBe('failed');
    expect(checkThreshold(t, metric(0.6 + EPS), 10).status).toBe('passed');
  });

  it('on ci_low compares the interval\'s lower bound', () => {
    const t = spec({ metric: 'kappa', op: '>=', target: 0.6, on: 'ci_low' });
    expect(checkThreshold(t, metric(0.9, [0.6, 0.95]), 10)).toMatchObject({ status: 'passed', actual: 0.6 });
    expect(checkThreshold(t, metric(0.9, [0.6 - EPS, 0.95]), 10)).toMatchObject({ status: 'failed', actual: 0.6 - EPS });
  });
});

describe('<=', () => {
  it('passes exactly at the target and fails just above it', () => {
    const t = spec({ metric: 'fp_rate', op: '<=', target: 0.1 });
    expect(checkThreshold(t, metric(0.1), 10).status).toBe('passed');
    expect(checkThreshold(t, metric(0.1 + EPS), 10).status).toBe('failed');
    expect(checkThreshold(t, metric(0.1 - EPS), 10).status).toBe('passed');
  });

  it('on ci_high compares the interval\'s upper bound', () => {
    const t = spec({ metric: 'fp_rate', op: '<=', target: 0.1, on: 'ci_high' });
    expect(checkThreshold(t, metric(0.02, [0, 0.1]), 10)).toMatchObject({ status: 'passed', actual: 0.1 });
    expect(checkThreshold(t, metric(0.02, [0, 0.1 + EPS]), 10)).toMatchObject({ status: 'failed' });
  });
});

describe('max_drop (against the baseline)', () => {
  const against = (baseline: number): Compare => (m) => (m === 'kappa' || m === 'fp_rate' ? { baseline, delta: 0, deltaCi: null } : undefined);
  const withDelta = (baseline: number, delta: number): Compare => () => ({ baseline, delta, deltaCi: null });

  it('a higher-is-better metric may fall by exactly the target, not more', () => {
    const t = spec({ metric: 'kappa', op: 'max_drop', target: 0.05 });
    expect(checkThreshold(t, metric(0.65), 10, withDelta(0.7, -0.05))).toMatchObject({ status: 'passed', actual: -0.05 });
    expect(checkThreshold(t, metric(0.65), 10, withDelta(0.7, -0.05 - 1e-6))).toMatchObject({ status: 'failed', reason: expect.stringContaining('kappa worsened by 0.050 from its baseline 0.700 (max_drop 0.05)') });
    expect(checkThreshold(t, metric(0.9), 10, withDelta(0.7, 0.2)).status).toBe('passed'); // a rise is never a drop
  });

  it('a lower-is-better metric may rise by exactly the target, not more', () => {
    const t = spec({ metric: 'fp_rate', op: 'max_drop', target: 0.02 });
    expect(checkThreshold(t, metric(0.12), 10, withDelta(0.1, 0.02)).status).toBe('passed');
    expect(checkThreshold(t, metric(0.12), 10, withDelta(0.1, 0.02 + 1e-6)).status).toBe('failed');
    expect(checkThreshold(t, metric(0.0), 10, withDelta(0.1, -0.1)).status).toBe('passed');
  });

  it('fails without a baseline, saying how to record one', () => {
    const t = spec({ metric: 'mcc', op: 'max_drop', target: 0.05 });
    expect(checkThreshold(t, metric(0.5), 10, against(0.7))).toMatchObject({ status: 'failed', reason: 'mcc has no baseline to compare with: run judge-test --update and commit the baseline file' });
  });
});

describe('drift (against the history\'s rolling mean)', () => {
  const history = (mean: number, runs: number): DriftOf => () => ({ mean, runs });

  it('may worsen by exactly the target from the rolling mean, not more', () => {
    const t = spec({ metric: 'kappa', op: 'drift', target: 0.05, window: 5 });
    expect(checkThreshold(t, metric(0.65), 10, undefined, history(0.7, 5))).toMatchObject({ status: 'passed', baseline: 0.7, window: 5 });
    expect(checkThreshold(t, metric(0.65 - 1e-6), 10, undefined, history(0.7, 5))).toMatchObject({ status: 'failed', reason: expect.stringContaining('worse than its mean 0.700 over the last 5 runs (drift max_drop 0.05)') });
  });

  it('turns a rise of a lower-is-better metric into worsening', () => {
    const t = spec({ metric: 'mae', op: 'drift', target: 0.1, window: 3 });
    expect(checkThreshold(t, metric(0.6), 10, undefined, history(0.5, 2)).status).toBe('passed');
    expect(checkThreshold(t, metric(0.6 + 1e-6), 10, undefined, history(0.5, 2)).status).toBe('failed');
  });

  it('with no earlier run is advisory insufficient evidence, not a failure', () => {
    const t = spec({ metric: 'kappa', op: 'drift', target: 0.05 });
    expect(checkThreshold(t, metric(0.1), 10, undefined, history(Number.NaN, 0))).toMatchObject({ status: 'insufficient', advisory: true, window: 5 });
  });
});

describe('min_items', () => {
  it('gates from exactly min_items on; one fewer is insufficient evidence', () => {
    const t = spec({ metric: 'kappa', op: '>=', target: 0.6 });
    expect(checkThreshold(t, { value: 0.9, n: 10 }, 10).status).toBe('passed');
    expect(checkThreshold(t, { value: 0.9, n: 9 }, 10)).toMatchObject({ status: 'insufficient', actual: null, reason: 'insufficient evidence: 9 items, the suite needs at least 10 (min_items)' });
  });
});
