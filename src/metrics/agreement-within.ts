import type { MetricValue } from '../types.js';
import { ratio } from './metric-value.js';
import { pairTable, sumCells, type PairTable } from './pair-table.js';

/**
 * Share of items where |human − judge| <= tolerance: tolerance 0 is exact agreement,
 * 1 is within-one ("adjacent") agreement on an ordinal scale.
 */
export function agreementWithinOf(t: PairTable, tolerance: number): MetricValue {
  const close = sumCells(t, (x, y) => (Math.abs(x - y) <= tolerance ? 1 : 0));
  return ratio(close, t.n, t.n, 'no items with both a human and a judge score');
}

export function agreementWithin(human: readonly number[], judge: readonly number[], tolerance: number): MetricValue {
  return agreementWithinOf(pairTable(human, judge, [...new Set([...human, ...judge])]), tolerance);
}
