import type { Label, MetricValue } from '../types.js';
import { confusionMatrix } from './confusion-matrix.js';
import { defined, undefinedMetric } from './metric-value.js';

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Cohen's kappa, optionally weighted: 1 - Σ w·observed / Σ w·expected, where expected is
 * the outer product of the two marginals and w is 0 on the diagonal and 1 (none),
 * |i-j| (linear) or (i-j)² (quadratic) off it, i and j being positions in `labels`.
 * Pass the whole scale as `labels` so weights follow scale distance.
 * Cohen (1960), Educ. Psychol. Meas. 20:37–46; Cohen (1968) for weights.
 * Matches scikit-learn's `cohen_kappa_score(y1, y2, labels=labels, weights=...)`.
 */
export function cohenKappa(human: readonly Label[], judge: readonly Label[], labels: readonly Label[], weights: KappaWeights = 'none'): MetricValue {
  const n = human.length;
  if (n === 0) return undefinedMetric(0, 'no items with both a human and a judge label');
  const { counts } = confusionMatrix(human, judge, labels);
  const k = labels.length;
  const rows = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = labels.map((_, j) => counts.reduce((a, r) => a + r[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const d = Math.abs(i - j);
      const w = weights === 'none' ? (d === 0 ? 0 : 1) : weights === 'linear' ? d : d * d;
      observed += w * counts[i]![j]!;
      expected += (w * rows[i]! * cols[j]!) / n;
    }
  }
  if (expected === 0) return undefinedMetric(n, 'chance agreement is total: humans and judge each used a single label');
  return defined(1 - observed / expected, n);
}
