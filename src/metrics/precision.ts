import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/** TP / (TP + FP): of the items the judge passed, the share the human passed too. */
export function precision(c: BinaryCounts): MetricValue {
  return ratio(c.tp, c.tp + c.fp, total(c), 'the judge passed no item');
}

export function total(c: BinaryCounts): number {
  return c.tp + c.fp + c.tn + c.fn;
}
