import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/** FP / (FP + TN): of the items the human failed, the share the judge passed (too lenient). n = the denominator: the items the rate is about. */
export function fpRate(c: BinaryCounts): MetricValue {
  return ratio(c.fp, c.fp + c.tn, c.fp + c.tn, 'the humans failed no item');
}
