import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { colSums, rowSums, type PairTable } from './pair-table.js';

/**
 * Gwet's AC1 for two raters: (pa − pe) / (1 − pe), pa = observed agreement,
 * pe = Σ_k π_k(1 − π_k) / (q − 1), π_k = the mean of both raters' share of category k,
 * q = the number of categories of the scale. Unlike kappa it stays stable when one class
 * dominates (the "kappa paradox"). Gwet (2008), Br. J. Math. Stat. Psychol. 61:29–48.
 */
export function gwetAc1Of(t: PairTable): MetricValue {
  const n = t.n;
  const q = t.labels.length;
  if (n === 0) return undefinedMetric(0, 'no items with both a human and a judge label');
  if (q < 2) return undefinedMetric(n, 'the scale has a single category');
  const rows = rowSums(t);
  const cols = colSums(t);
  const pa = t.counts.reduce((a, row, i) => a + row[i]!, 0) / n;
  const pe = rows.reduce((s, r, k) => {
    const pi = (r + cols[k]!) / (2 * n);
    return s + pi * (1 - pi);
  }, 0) / (q - 1);
  if (pe === 1) return undefinedMetric(n, 'chance agreement is total');
  return defined((pa - pe) / (1 - pe), n);
}
