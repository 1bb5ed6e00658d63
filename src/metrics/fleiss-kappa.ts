import type { Label, MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { categoryCounts, type Ratings } from './ratings.js';

/**
 * Fleiss' kappa for several raters: (P̄ − Pe) / (1 − Pe), P̄ the mean over items of the
 * share of agreeing rater pairs, Pe = Σ p_j² with p_j the share of all labels in category j.
 * Items with fewer than 2 labels are left out; an item labeled by fewer raters than others
 * counts its own pairs (the usual generalization; identical to Fleiss when every item has
 * the same number of labels). Fleiss (1971), Psychol. Bull. 76:378–382. Matches
 * statsmodels' `fleiss_kappa(table, method='fleiss')` on complete data. n = items used.
 */
export function fleissKappa(ratings: Ratings, labels: readonly Label[]): MetricValue {
  return fleissKappaFromCounts(categoryCounts(ratings, labels));
}

/** `weights[i]` counts row i that many times (a bootstrap resample); default 1 each. */
export function fleissKappaFromCounts(counts: readonly (readonly number[])[], weights?: ArrayLike<number>): MetricValue {
  const k = counts[0]?.length ?? 0;
  const totals = new Array<number>(k).fill(0);
  let n = 0;
  let labelsTotal = 0;
  let pBar = 0;
  counts.forEach((row, i) => {
    const w = weights ? weights[i]! : 1;
    const m = row.reduce((a, b) => a + b, 0);
    if (w === 0 || m < 2) return;
    pBar += (w * (row.reduce((a, c) => a + c * c, 0) - m)) / (m * (m - 1));
    row.forEach((c, j) => (totals[j]! += w * c));
    labelsTotal += w * m;
    n += w;
  });
  if (n === 0) return undefinedMetric(0, 'no item has labels from 2 or more raters');
  pBar /= n;
  const pe = totals.reduce((a, t) => a + (t / labelsTotal) ** 2, 0);
  if (pe === 1) return undefinedMetric(n, 'every label is the same category');
  return defined((pBar - pe) / (1 - pe), n);
}
