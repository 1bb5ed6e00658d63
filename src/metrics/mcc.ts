import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { colSums, rowSums, type PairTable } from './pair-table.js';

/**
 * Matthews correlation coefficient, in Gorodkin's (2004) multiclass form:
 * (c·n − Σ t_k p_k) / sqrt((n² − Σ p_k²)(n² − Σ t_k²)), t = human marginals, p = judge
 * marginals, c = agreements. −1..1, 0 = chance. Matches sklearn's `matthews_corrcoef`,
 * except that where sklearn returns 0 for a constant side, this reports undefined.
 */
export function mccOf(t: PairTable): MetricValue {
  const tk = rowSums(t);
  const pk = colSums(t);
  const n = t.n;
  const c = t.counts.reduce((a, row, i) => a + row[i]!, 0);
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0);
  const cov = c * n - dot(tk, pk);
  const varP = n * n - dot(pk, pk);
  const varT = n * n - dot(tk, tk);
  if (varP === 0 || varT === 0) return undefinedMetric(n, 'one side gives every item the same label');
  return defined(cov / Math.sqrt(varP * varT), n);
}
