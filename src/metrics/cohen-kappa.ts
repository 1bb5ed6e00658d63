import type { Label, MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { pairTable, type PairTable } from './pair-table.js';

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Cohen's kappa, optionally weighted: 1 - Σ w·observed / Σ w·expected, where expected is
 * the outer product of the two marginals and w is 0 on the diagonal and 1 (none),
 * |i-j| (linear) or (i-j)² (quadratic) off it, i and j being positions in the table's
 * labels — the whole scale, so weights follow scale distance even for unused values.
 * Cohen (1960), Educ. Psychol. Meas. 20:37–46; Cohen (1968) for weights.
 * Matches scikit-learn's `cohen_kappa_score(y1, y2, labels=labels, weights=...)`.
 */
export function kappaOf(t: PairTable, weights: KappaWeights = 'none'): MetricValue {
  const k = t.labels.length;
  const flat = new Float64Array(k * k);
  t.counts.forEach((row, i) => row.forEach((c, j) => (flat[i * k + j] = c)));
  return kappaOfCounts(flat, 0, k, t.n, weights);
}

/** kappaOf on a k×k table stored row-major in `counts` from `offset` (for tight loops). */
export function kappaOfCounts(counts: ArrayLike<number>, offset: number, k: number, n: number, weights: KappaWeights = 'none'): MetricValue {
  if (n === 0) return undefinedMetric(0, 'no items with both a human and a judge label');
  const rows = new Float64Array(k);
  const cols = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = counts[offset + i * k + j]!;
      rows[i]! += c;
      cols[j]! += c;
    }
  }
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j);
      const w = weights === 'none' ? (d === 0 ? 0 : 1) : weights === 'linear' ? d : d * d;
      observed += w * counts[offset + i * k + j]!;
      expected += (w * rows[i]! * cols[j]!) / n;
    }
  }
  if (expected === 0) return undefinedMetric(n, 'chance agreement is total: humans and judge each used a single label');
  return defined(1 - observed / expected, n);
}

export function cohenKappa(human: readonly Label[], judge: readonly Label[], labels: readonly Label[], weights: KappaWeights = 'none'): MetricValue {
  return kappaOf(pairTable(human, judge, labels), weights);
}
