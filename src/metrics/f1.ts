import type { MetricValue } from '../types.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { ratio } from './metric-value.js';

/**
 * F1 = 2TP / (2TP + FP + FN), the harmonic mean of precision and recall. Defined as 0 when
 * there are errors but no TP (as sklearn's `f1_score`); undefined when no item is positive
 * for either side.
 */
export function f1(c: BinaryCounts): MetricValue {
  return ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, c.tp + c.fp + c.tn + c.fn, 'neither the humans nor the judge passed any item');
}
