import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { rowSums, type PairTable } from './pair-table.js';

/**
 * The share of items in the humans' most common class (for binary scales, reported as the
 * share they passed, `pass_rate_human`): the accuracy a constant judge would reach. An
 * accuracy near it means the judge adds little.
 */
export function majorityBaselineOf(t: PairTable): MetricValue {
  if (t.n === 0) return undefinedMetric(0, 'no items with a human label');
  return defined(Math.max(...rowSums(t)) / t.n, t.n);
}

/** Share of items the humans labeled `labels[index]` (the base rate of that class). */
export function shareOf(t: PairTable, index: number): MetricValue {
  if (t.n === 0) return undefinedMetric(0, 'no items with a human label');
  return defined(rowSums(t)[index]! / t.n, t.n);
}
