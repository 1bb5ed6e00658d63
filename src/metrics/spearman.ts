import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';

/**
 * Spearman's rank correlation: Pearson's r of the two rank vectors, ties given their
 * average rank. Matches `scipy.stats.spearmanr`. Undefined when either side is constant.
 */
export function spearman(x: readonly number[], y: readonly number[]): MetricValue {
  const n = x.length;
  if (n < 2) return undefinedMetric(n, 'fewer than 2 items');
  const r = pearson(averageRanks(x), averageRanks(y));
  return r === null ? undefinedMetric(n, 'one side gives every item the same score') : defined(r, n);
}

/** Ranks 1..n, tied values sharing the mean of their positions. */
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

function pearson(x: readonly number[], y: readonly number[]): number | null {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
