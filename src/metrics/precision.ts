import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/** TP / (TP + FP): of the items the judge passed, the share the human passed too. n = the denominator: the items the rate is about. */
export function precision(c: BinaryCounts): MetricValue {
  return ratio(c.tp, c.tp + c.fp, c.tp + c.fp, 'the judge passed no item');
}
