// Thresholds -> outcomes. An undefined metric fails its threshold, with the reason; too few
// items is "insufficient evidence", never a pass. With a baseline, outcomes carry the change.
import { DEFAULT_DRIFT_WINDOW } from '../history/history.js';
import { worsening } from '../metrics/index.js';
import type { MetricValue, ThresholdOutcome, ThresholdSpec } from '../types.js';

/** A metric against the suite's baseline: the recorded value, the change and its paired interval. */
export interface BaselineComparison {
  baseline: number;
  delta: number;
  deltaCi: [number, number] | null;
}

export type Compare = (metric: string) => BaselineComparison | undefined;

/** `drift`: the metric's rolling mean over the last `window` runs of the history, and how many runs that is. */
export type DriftOf = (metric: string, window: number) => { mean: number; runs: number };

export function checkThreshold(spec: ThresholdSpec, metric: MetricValue | undefined, minItems: number, compare?: Compare, drift?: DriftOf): ThresholdOutcome {
  const outcome = checkAgainstTarget(spec, metric, minItems, compare, drift);
  const c = spec.op !== 'drift' && metric?.value !== null && metric !== undefined ? compare?.(spec.metric) : undefined;
  return c ? { ...outcome, baseline: c.baseline, delta: c.delta, deltaCi: c.deltaCi } : outcome;
}

function checkAgainstTarget(spec: ThresholdSpec, metric: MetricValue | undefined, minItems: number, compare?: Compare, drift?: DriftOf): ThresholdOutcome {
  const base = {
    metric: spec.metric,
    op: spec.op,
    target: spec.target,
    on: spec.on,
    source: spec.source,
    n: metric?.n ?? 0,
    estimate: metric?.value ?? null,
    ci: metric?.ci ?? null,
    ...(spec.op === 'drift' ? { window: spec.window ?? DEFAULT_DRIFT_WINDOW } : {}),
  };
  if (metric?.value === null && metric.insufficient) {
    return { ...base, actual: null, status: 'insufficient', reason: metric.reason ?? 'insufficient evidence' };
  }
  if (!metric || metric.value === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} is undefined: ${metric?.reason ?? 'not computed'}` };
  }
  if (metric.n < minItems) {
    return { ...base, actual: null, status: 'insufficient', reason: `insufficient evidence: ${metric.n} item${metric.n === 1 ? '' : 's'}, the suite needs at least ${minItems} (min_items)` };
  }
  if (spec.op === 'max_drop') {
    const c = compare?.(spec.metric);
    if (!c) return { ...base, actual: null, status: 'failed', reason: `${spec.metric} has no baseline to compare with: run judge-test --update and commit the baseline file` };
    const worse = worsening(spec.metric, c.delta);
    const ok = worse <= spec.target + 1e-12;
    const reason = ok ? undefined : `${spec.metric} worsened by ${worse.toFixed(3)} from its baseline ${c.baseline.toFixed(3)} (max_drop ${spec.target})`;
    return { ...base, actual: c.delta, status: ok ? 'passed' : 'failed', ...(reason ? { reason } : {}) };
  }
  if (spec.op === 'drift') return checkDrift(spec, metric.value, base, drift);
  const actual = spec.on === 'estimate' ? metric.value : (metric.ci?.[spec.on === 'ci_low' ? 0 : 1] ?? null);
  if (actual === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} has no confidence interval to gate on (${spec.on})` };
  }
  const ok = spec.op === '>=' ? actual >= spec.target : actual <= spec.target;
  return { ...base, actual, status: ok ? 'passed' : 'failed' };
}

export function checkThresholds(specs: readonly ThresholdSpec[], metrics: Record<string, MetricValue>, minItems: number, compare?: Compare, drift?: DriftOf): ThresholdOutcome[] {
  return specs.map((s) => checkThreshold(s, metrics[s.metric], minItems, compare, drift));
}

/**
 * A control-chart check: the metric may worsen by at most `target` from its mean over the
 * last `window` runs recorded in the suite's history (all of them while there are fewer).
 * With no earlier run there is nothing to compare: insufficient evidence, reported as
 * advisory — a new check must not break the build.
 */
function checkDrift(spec: ThresholdSpec, value: number, base: Omit<ThresholdOutcome, 'actual' | 'status'>, drift?: DriftOf): ThresholdOutcome {
  const d = drift?.(spec.metric, base.window!) ?? { mean: NaN, runs: 0 };
  if (d.runs === 0) return { ...base, actual: null, status: 'insufficient', advisory: true, reason: 'no earlier run in the history (<suite>.history.jsonl) to compare with yet' };
  const delta = value - d.mean;
  const worse = worsening(spec.metric, delta);
  const ok = worse <= spec.target + 1e-12;
  const over = d.runs === 1 ? 'the last run' : `the last ${d.runs} runs`;
  return {
    ...base,
    window: d.runs,
    actual: delta,
    baseline: d.mean,
    delta,
    deltaCi: null,
    status: ok ? 'passed' : 'failed',
    ...(ok ? {} : { reason: `${spec.metric} ${value.toFixed(3)} is ${worse.toFixed(3)} worse than its mean ${d.mean.toFixed(3)} over ${over} (drift max_drop ${spec.target})` }),
  };
}

/** Whether a threshold outcome lets its suite pass: passed, or advisory (reported, not gating). */
export function allowsPass(t: ThresholdOutcome): boolean {
  return t.status === 'passed' || t.advisory === true;
}
