import type { MetricValue } from '../types.js';
import { ratio } from './metric-value.js';

/**
 * Share of items where |human - judge| <= tolerance: tolerance 0 is exact agreement,
 * 1 is within-one ("adjacent") agreement on an ordinal scale.
 */
export function agreementWithin(human: readonly number[], judge: readonly number[], tolerance: number): MetricValue {
  const close = human.filter((h, i) => Math.abs(h - judge[i]!) <= tolerance).length;
  return ratio(close, human.length, human.length, 'no items with both a human and a judge score');
}
