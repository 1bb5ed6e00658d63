import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { colSums, pairTable, rowSums, type PairTable } from './pair-table.js';
import { pearsonOfPoints } from './pearson.js';

/**
 * Spearman's rank correlation: Pearson's r of the two rank vectors, ties given their
 * average rank. Matches `scipy.stats.spearmanr`. Undefined when either side is constant.
 */
export function spearmanOf(t: PairTable): MetricValue {
  if (t.n < 2) return undefinedMetric(t.n, 'fewer than 2 items');
  // On a discrete scale every item with the same value shares one average rank.
  const rankH = midRanks(rowSums(t));
  const rankJ = midRanks(colSums(t));
  const r = pearsonOfPoints(t, (h) => rankH[h]!, (j) => rankJ[j]!);
  return r === null ? undefinedMetric(t.n, 'one side gives every item the same score') : defined(r, t.n);
}

export function spearman(x: readonly number[], y: readonly number[]): MetricValue {
  const labels = [...new Set([...x, ...y])].sort((a, b) => a - b);
  return spearmanOf(pairTable(x, y, labels));
}

/** The average rank of each category given its count (categories in ascending order). */
export function midRanks(counts: readonly number[]): number[] {
  let before = 0;
  return counts.map((c) => {
    const r = before + (c + 1) / 2;
    before += c;
    return r;
  });
}

/** Ranks 1..n, tied values sharing the mean of their positions (scipy.stats.rankdata). */
export function averageRanks(v: readonly number[]): number[] {
  const order = v.map((value, i) => ({ value, i })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(v.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.value === order[start]!.value) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}
