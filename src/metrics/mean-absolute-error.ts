import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { pairTable, sumCells, type PairTable } from './pair-table.js';

/** Mean of |human − judge| (sklearn `mean_absolute_error`). */
export function maeOf(t: PairTable): MetricValue {
  if (t.n === 0) return undefinedMetric(0, 'no items with both a human and a judge score');
  return defined(sumCells(t, (x, y) => Math.abs(x - y)) / t.n, t.n);
}

/** Root of the mean of (human − judge)² (sklearn `root_mean_squared_error`). */
export function rmseOf(t: PairTable): MetricValue {
  if (t.n === 0) return undefinedMetric(0, 'no items with both a human and a judge score');
  return defined(Math.sqrt(sumCells(t, (x, y) => (x - y) ** 2) / t.n), t.n);
}

export function meanAbsoluteError(human: readonly number[], judge: readonly number[]): MetricValue {
  return maeOf(pairTable(human, judge, [...new Set([...human, ...judge])]));
}
