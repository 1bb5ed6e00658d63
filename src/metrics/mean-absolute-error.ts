import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';

/** Mean of |human - judge| (sklearn `mean_absolute_error`). */
export function meanAbsoluteError(human: readonly number[], judge: readonly number[]): MetricValue {
  const n = human.length;
  if (n === 0) return undefinedMetric(0, 'no items with both a human and a judge score');
  const sum = human.reduce((a, h, i) => a + Math.abs(h - judge[i]!), 0);
  return defined(sum / n, n);
}
