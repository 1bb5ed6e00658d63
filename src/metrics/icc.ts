import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { sumCells, type PairTable } from './pair-table.js';

export type IccForm = 'icc_2_1' | 'icc_3_1' | 'icc_2_k';

/**
 * Intraclass correlation of the two raters (human or consensus, and judge) over the items,
 * from the two-way ANOVA mean squares (Shrout & Fleiss 1979; McGraw & Wong 1996):
 * ICC(2,1) = (MSR − MSE) / (MSR + (k−1)MSE + k(MSC − MSE)/n)   absolute agreement, single rater
 * ICC(3,1) = (MSR − MSE) / (MSR + (k−1)MSE)                    consistency, single rater
 * ICC(2,k) = (MSR − MSE) / (MSR + (MSC − MSE)/n)               absolute agreement, mean of k raters
 * with k = 2 raters. Matches R `psych::ICC` (ICC2, ICC3, ICC2k).
 */
export function iccOf(t: PairTable, form: IccForm): MetricValue {
  const n = t.n;
  if (n < 2) return undefinedMetric(n, 'needs at least 2 items');
  // The same sums of squares as iccOfRatings, from the table (cheap to bootstrap).
  const sx = sumCells(t, (x) => x);
  const sy = sumCells(t, (_, y) => y);
  const grand = (sx + sy) / (2 * n);
  const ssr = 2 * sumCells(t, (x, y) => ((x + y) / 2 - grand) ** 2);
  const sst = sumCells(t, (x, y) => (x - grand) ** 2 + (y - grand) ** 2);
  const ssc = n * ((sx / n - grand) ** 2 + (sy / n - grand) ** 2);
  return iccFromSums(n, 2, ssr, ssc, sst, form);
}

/** ICC for a complete items × raters matrix; `weights[i]` counts row i that many times (default 1). */
export function iccOfRatings(ratings: readonly (readonly number[])[], form: IccForm, weights?: ArrayLike<number>): MetricValue {
  const w = (i: number) => (weights ? weights[i]! : 1);
  const n = ratings.reduce((a, _, i) => a + w(i), 0);
  const k = ratings[0]?.length ?? 0;
  if (n < 2 || k < 2) return undefinedMetric(n, 'needs at least 2 items and 2 raters');
  const grand = ratings.reduce((a, r, i) => a + w(i) * r.reduce((b, x) => b + x, 0), 0) / (n * k);
  let ssr = 0;
  let sst = 0;
  const colMeans = new Array<number>(k).fill(0);
  ratings.forEach((r, i) => {
    if (w(i) === 0) return;
    const m = r.reduce((a, b) => a + b, 0) / k;
    ssr += w(i) * k * (m - grand) ** 2;
    r.forEach((x, j) => {
      sst += w(i) * (x - grand) ** 2;
      colMeans[j]! += (w(i) * x) / n;
    });
  });
  const ssc = n * colMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  return iccFromSums(n, k, ssr, ssc, sst, form);
}

function iccFromSums(n: number, k: number, ssr: number, ssc: number, sst: number, form: IccForm): MetricValue {
  const sse = sst - ssr - ssc;
  const msr = ssr / (n - 1);
  const msc = ssc / (k - 1);
  const mse = sse / ((n - 1) * (k - 1));
  const denom = form === 'icc_2_1' ? msr + (k - 1) * mse + (k * (msc - mse)) / n : form === 'icc_3_1' ? msr + (k - 1) * mse : msr + (msc - mse) / n;
  if (denom === 0 || sst === 0) return undefinedMetric(n, 'no variance in the scores');
  // msr − mse cancels to 0 exactly in theory for a constant rater; in floating point it leaves ~1e-16.
  const numerator = Math.abs(msr - mse) <= 1e-12 * Math.max(Math.abs(msr), Math.abs(mse)) ? 0 : msr - mse;
  return defined(numerator / denom, n);
}
