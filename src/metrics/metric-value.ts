import type { MetricValue } from '../types.js';

export function defined(value: number, n: number): MetricValue {
  return { value, n };
}

/** A metric the data cannot define: reported with the reason, never as 0 or 1 (docs/architecture.md, "Conventions"). */
export function undefinedMetric(n: number, reason: string): MetricValue {
  return { value: null, n, reason };
}

/** value = numerator / denominator, undefined with `reason` when the denominator is 0. */
export function ratio(numerator: number, denominator: number, n: number, reason: string): MetricValue {
  return denominator === 0 ? undefinedMetric(n, reason) : defined(numerator / denominator, n);
}
