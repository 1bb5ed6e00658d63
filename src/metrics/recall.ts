import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';
import { total } from './precision.js';

/** TP / (TP + FN): of the items the human passed, the share the judge passed too. */
export function recall(c: BinaryCounts): MetricValue {
  return ratio(c.tp, c.tp + c.fn, total(c), 'the humans passed no item');
}
