import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/** TP / (TP + FN): of the items the human passed, the share the judge passed too. n = the denominator: the items the rate is about. */
export function recall(c: BinaryCounts): MetricValue {
  return ratio(c.tp, c.tp + c.fn, c.tp + c.fn, 'the humans passed no item');
}
