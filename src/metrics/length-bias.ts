import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { itemBootstrapIntervals, unitsBy } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';

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
 * the full sample), which makes each resample a sum over the distinct (length, labels) units.
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
  // Items with the same length and labels are one unit (their ranks are the same): a resample
  // is how many of each unit it drew, and both correlations are sums over the units.
  const units = unitsBy(n, (i) => `${lengths[i]},${judge[i]},${human[i]}`);
  const centre = (n + 1) / 2; // the mean of average ranks: centred, the sums stay small
  const cl = Float64Array.from(units.representative, (i) => rl[i]! - centre);
  const cj = Float64Array.from(units.representative, (i) => rj[i]! - centre);
  const ch = Float64Array.from(units.representative, (i) => rh[i]! - centre);
  const corr = (sxy: number, sx: number, sxx: number, sy: number, syy: number): number | null => {
    const vx = sxx - (sx * sx) / n, vy = syy - (sy * sy) / n;
    return vx <= 0 || vy <= 0 ? null : (sxy - (sx * sy) / n) / Math.sqrt(vx * vy);
  };
  const intervals = itemBootstrapIntervals(units, ['judge', 'human', 'bias'], (w) => {
    let sl = 0, sj = 0, sh = 0, sll = 0, sjj = 0, shh = 0, slj = 0, slh = 0;
    for (let u = 0; u < w.length; u++) {
      const c = w[u]!;
      if (c === 0) continue;
      const l = cl[u]!, a = cj[u]!, b = ch[u]!;
      sl += c * l; sj += c * a; sh += c * b;
      sll += c * l * l; sjj += c * a * a; shh += c * b * b;
      slj += c * l * a; slh += c * l * b;
    }
    const bj = corr(slj, sl, sll, sj, sjj);
    const bh = corr(slh, sl, sll, sh, shh);
    return { judge: bj, human: bh, bias: bj === null || bh === null ? null : bj - bh };
  }, { ...opts, seed: opts.seed + 4243 });
  return {
    judge: { ...defined(j, n), ci: intervals.judge ?? null },
    human: { ...defined(h, n), ci: intervals.human ?? null },
    bias: { ...defined(j - h, n), ci: intervals.bias ?? null },
  };
}
