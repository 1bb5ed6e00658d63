// Thresholds -> outcomes. An undefined metric fails its threshold, with the reason; too few
// items is "insufficient evidence", never a pass. With a baseline, outcomes carry the change.
import { LOWER_IS_BETTER } from '../metrics/index.js';
import type { MetricValue, ThresholdOutcome, ThresholdSpec } from '../types.js';

/** A metric against the suite's baseline: the recorded value, the change and its paired interval. */
export interface BaselineComparison {
  baseline: number;
  delta: number;
  deltaCi: [number, number] | null;
}

export type Compare = (metric: string) => BaselineComparison | undefined;

export function checkThreshold(spec: ThresholdSpec, metric: MetricValue | undefined, minItems: number, compare?: Compare): ThresholdOutcome {
  const outcome = checkAgainstTarget(spec, metric, minItems, compare);
  const c = metric?.value !== null && metric !== undefined ? compare?.(spec.metric) : undefined;
  return c ? { ...outcome, baseline: c.baseline, delta: c.delta, deltaCi: c.deltaCi } : outcome;
}

function checkAgainstTarget(spec: ThresholdSpec, metric: MetricValue | undefined, minItems: number, compare?: Compare): ThresholdOutcome {
  const base = {
    metric: spec.metric,
    op: spec.op,
    target: spec.target,
    on: spec.on,
    source: spec.source,
    n: metric?.n ?? 0,
    estimate: metric?.value ?? null,
    ci: metric?.ci ?? null,
  };
  if (metric?.value === null && metric.insufficient) {
    return { ...base, actual: null, status: 'insufficient', reason: metric.reason ?? 'insufficient evidence' };
  }
  if (!metric || metric.value === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} is undefined: ${metric?.reason ?? 'not computed'}` };
  }
  if (metric.n < minItems) {
    return { ...base, actual: null, status: 'insufficient', reason: `insufficient evidence: ${metric.n} items, the suite needs at least ${minItems} (min_items)` };
  }
  if (spec.op === 'max_drop') {
    const c = compare?.(spec.metric);
    if (!c) return { ...base, actual: null, status: 'failed', reason: `${spec.metric} has no baseline to compare with: run judge-test --update and commit the baseline file` };
    // "Worse" is a fall for most metrics and a rise for error rates.
    const worsening = LOWER_IS_BETTER.has(spec.metric) ? c.delta : -c.delta;
    const ok = worsening <= spec.target + 1e-12;
    const reason = ok ? undefined : `${spec.metric} worsened by ${worsening.toFixed(3)} from its baseline ${c.baseline.toFixed(3)} (max_drop ${spec.target})`;
    return { ...base, actual: c.delta, status: ok ? 'passed' : 'failed', ...(reason ? { reason } : {}) };
  }
  const actual = spec.on === 'estimate' ? metric.value : (metric.ci?.[spec.on === 'ci_low' ? 0 : 1] ?? null);
  if (actual === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} has no confidence interval to gate on (${spec.on})` };
  }
  const ok = spec.op === '>=' ? actual >= spec.target : actual <= spec.target;
  return { ...base, actual, status: ok ? 'passed' : 'failed' };
}

export function checkThresholds(specs: readonly ThresholdSpec[], metrics: Record<string, MetricValue>, minItems: number, compare?: Compare): ThresholdOutcome[] {
  return specs.map((s) => checkThreshold(s, metrics[s.metric], minItems, compare));
}
