import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { rowSums, type PairTable } from './pair-table.js';

/**
 * Balanced accuracy: the mean, over the classes the humans used, of the judge's recall on
 * that class; for binary scales (TPR + TNR) / 2. Immune to a dominant class.
 * Brodersen et al. (2010). Matches sklearn's `balanced_accuracy_score`.
 */
export function balancedAccuracyOf(t: PairTable): MetricValue {
  const rows = rowSums(t);
  const recalls = rows.flatMap((r, i) => (r > 0 ? [t.counts[i]![i]! / r] : []));
  if (recalls.length === 0) return undefinedMetric(t.n, 'no items with both a human and a judge label');
  return defined(recalls.reduce((a, b) => a + b, 0) / recalls.length, t.n);
}
