import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { colSums, rowSums, type PairTable } from './pair-table.js';

/**
 * Kendall's tau-b: (P − Q) / sqrt((n0 − n1)(n0 − n2)), P and Q the concordant and
 * discordant pairs, n0 = n(n−1)/2, n1 and n2 the pairs tied on the human and on the judge
 * side. Kendall (1945). Matches `scipy.stats.kendalltau` (variant 'b'). Computed from the
 * table with running sums, so it costs O(k²) for k scale values.
 */
export function kendallTauBOf(t: PairTable): MetricValue {
  const k = t.labels.length;
  const n = t.n;
  if (n < 2) return undefinedMetric(n, 'fewer than 2 items');
  // suffix[i][j] = items with human index >= i and judge index >= j.
  const suffix = Array.from({ length: k + 1 }, () => new Array<number>(k + 2).fill(0));
  for (let i = k - 1; i >= 0; i--) {
    let rowRun = 0;
    for (let j = k - 1; j >= 0; j--) {
      rowRun += t.counts[i]![j]!;
      suffix[i]![j] = suffix[i + 1]![j]! + rowRun; // items with h >= i and judge >= j
    }
  }
  const rowsBelow = (i: number) => suffix[i]![0]!; // items with h >= i
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = t.counts[i]![j]!;
      if (!c) continue;
      const higherBoth = suffix[i + 1]![j + 1]!;
      const higherHuman = rowsBelow(i + 1);
      const higherHumanJudgeAtLeast = suffix[i + 1]![j]!;
      concordant += c * higherBoth;
      discordant += c * (higherHuman - higherHumanJudgeAtLeast);
    }
  }
  const pairs = (m: number) => (m * (m - 1)) / 2;
  const n0 = pairs(n);
  const n1 = rowSums(t).reduce((a, r) => a + pairs(r), 0);
  const n2 = colSums(t).reduce((a, c) => a + pairs(c), 0);
  const denom = Math.sqrt((n0 - n1) * (n0 - n2));
  if (denom === 0) return undefinedMetric(n, 'one side gives every item the same score');
  return defined((concordant - discordant) / denom, n);
}
