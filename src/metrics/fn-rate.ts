import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/** FN / (FN + TP): of the items the human passed, the share the judge failed (too strict). n = the denominator: the items the rate is about. */
export function fnRate(c: BinaryCounts): MetricValue {
  return ratio(c.fn, c.fn + c.tp, c.fn + c.tp, 'the humans passed no item');
}
