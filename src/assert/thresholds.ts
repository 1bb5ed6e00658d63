// Thresholds -> outcomes. An undefined metric fails its threshold, with the reason.
import type { MetricValue, ThresholdOutcome, ThresholdSpec } from '../types.js';

export function checkThreshold(spec: ThresholdSpec, metric: MetricValue | undefined): ThresholdOutcome {
  const base = { metric: spec.metric, op: spec.op, target: spec.target, source: spec.source, n: metric?.n ?? 0 };
  if (!metric || metric.value === null) {
    return { ...base, actual: null, status: 'failed', reason: `${spec.metric} is undefined: ${metric?.reason ?? 'not computed'}` };
  }
  const ok = spec.op === '>=' ? metric.value >= spec.target : metric.value <= spec.target;
  return { ...base, actual: metric.value, status: ok ? 'passed' : 'failed' };
}

export function checkThresholds(specs: readonly ThresholdSpec[], metrics: Record<string, MetricValue>): ThresholdOutcome[] {
  return specs.map((s) => checkThreshold(s, metrics[s.metric]));
}
