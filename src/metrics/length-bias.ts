import type { MetricValue } from '../types.js';
import { quantile, type BootstrapOptions } from './bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';
import { seededIndexDrawer } from './random.js';

/** Average ranks (1-based), ties sharing their mean rank: scipy.stats.rankdata's "average". */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((_, i) => i).sort((a, b) => xs[a]! - xs[b]!);
  const ranks = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && xs[order[j + 1]!] === xs[order[i]!]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = r;
    i = j + 1;
  }
  return ranks;
}

/** Pearson's r of two vectors over the items `pick` names (all of them by default); null when either is constant. */
function pearson(x: readonly number[], y: readonly number[], pick?: readonly number[]): number | null {
  const n = pick ? pick.length : x.length;
  let sx = 0, sy = 0;
  for (let k = 0; k < n; k++) {
    const i = pick ? pick[k]! : k;
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n, my = sy / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let k = 0; k < n; k++) {
    const i = pick ? pick[k]! : k;
    const dx = x[i]! - mx, dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation of two vectors (matches scipy.stats.spearmanr); null when either is constant. */
export function rankCorrelation(x: readonly number[], y: readonly number[]): number | null {
  return x.length < 2 ? null : pearson(averageRanks(x), averageRanks(y));
}

/**
 * Does the judge reward length more than people do? The rank correlation of the judge's
 * verdict with the output's length, the same for the humans' labels, and their difference
 * (`length_bias`, judge − humans: positive, the judge favors longer outputs more than the
 * humans; negative, less). The interval resamples items with the ranks fixed (the ranks of
 * the full sample), which keeps each resample linear in the items.
 */
export function lengthBias(human: readonly number[], judge: readonly number[], lengths: readonly number[], opts: BootstrapOptions): { judge: MetricValue; human: MetricValue; bias: MetricValue } {
  const n = lengths.length;
  if (n < 3) {
    const why = 'fewer than 3 items with an output';
    return { judge: undefinedMetric(n, why), human: undefinedMetric(n, why), bias: undefinedMetric(n, why) };
  }
  const rl = averageRanks(lengths);
  const rj = averageRanks(judge);
  const rh = averageRanks(human);
  const j = pearson(rj, rl);
  const h = pearson(rh, rl);
  const constant = (what: string) => undefinedMetric(n, `${what} the same for every item`);
  const judgeValue = j === null ? constant(new Set(lengths).size === 1 ? 'the outputs are all of one length:' : "the judge's verdict is") : defined(j, n);
  const humanValue = h === null ? constant(new Set(lengths).size === 1 ? 'the outputs are all of one length:' : "the humans' label is") : defined(h, n);
  if (j === null || h === null) return { judge: judgeValue, human: humanValue, bias: undefinedMetric(n, 'a correlation with length is undefined') };
  const draw = seededIndexDrawer(opts.seed + 4243);
  const pick = new Array<number>(n);
  const js: number[] = [], hs: number[] = [], bs: number[] = [];
  for (let r = 0; r < opts.resamples; r++) {
    let k = 0;
    draw(n, (i) => (pick[k++] = i));
    const bj = pearson(rj, rl, pick);
    const bh = pearson(rh, rl, pick);
    if (bj !== null) js.push(bj);
    if (bh !== null) hs.push(bh);
    if (bj !== null && bh !== null) bs.push(bj - bh);
  }
  const alpha = (1 - opts.confidence) / 2;
  const ci = (xs: number[]): [number, number] | null => {
    if (xs.length < 0.9 * opts.resamples || xs.length === 0) return null;
    xs.sort((a, b) => a - b);
    return [quantile(xs, alpha), quantile(xs, 1 - alpha)];
  };
  return {
    judge: { ...defined(j, n), ci: ci(js) },
    human: { ...defined(h, n), ci: ci(hs) },
    bias: { ...defined(j - h, n), ci: ci(bs) },
  };
}
