import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';
import { total } from './precision.js';

/** FN / (FN + TP): of the items the human passed, the share the judge failed (too strict). */
export function fnRate(c: BinaryCounts): MetricValue {
  return ratio(c.fn, c.fn + c.tp, total(c), 'the humans passed no item');
}
