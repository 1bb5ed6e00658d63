// Thresholds -> outcomes. An undefined metric fails its threshold, with the reason; too few
// items is "insufficient evidence", never a pass.
import type { MetricValue, ThresholdOutcome, ThresholdSpec } from '../types.js';

export function checkThreshold(spec: ThresholdSpec, metric: MetricValue | undefined, minItems: number): ThresholdOutcome {
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
  const actual = spec.on === 'estimate' ? metric.value : (metric.ci?.[spec.on === 'ci_low' ? 0 : 1] ?? null);
  if (actual === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} has no confidence interval to gate on (${spec.on})` };
  }
  const ok = spec.op === '>=' ? actual >= spec.target : actual <= spec.target;
  return { ...base, actual, status: ok ? 'passed' : 'failed' };
}

export function checkThresholds(specs: readonly ThresholdSpec[], metrics: Record<string, MetricValue>, minItems: number): ThresholdOutcome[] {
  return specs.map((s) => checkThreshold(s, metrics[s.metric], minItems));
}
