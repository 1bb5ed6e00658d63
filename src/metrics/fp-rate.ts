import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';
import { total } from './precision.js';

/** FP / (FP + TN): of the items the human failed, the share the judge passed (too lenient). */
export function fpRate(c: BinaryCounts): MetricValue {
  return ratio(c.fp, c.fp + c.tn, total(c), 'the humans failed no item');
}
