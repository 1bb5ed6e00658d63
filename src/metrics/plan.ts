import type { MetricValue } from '../types.js';
import { normalQuantile } from './normal.js';
import type { PairTable } from './pair-table.js';
import { seededRandom } from './random.js';

/** A threshold to plan for: the gate compares `on` (the estimate, or an interval bound) with the target. */
export interface PlanTarget {
  op: '>=' | '<=';
  target: number;
  on: 'estimate' | 'ci_low' | 'ci_high';
}

export interface PlanOptions {
  /** Wanted half-width of the interval. */
  width: number;
  /** Wanted chance that the gate shows the threshold met, if the judge is as good as it is now. */
  power: number;
  /** The suite's interval confidence (0.95). */
  confidence: number;
  seed: number;
  /** Samples simulated per candidate size (default 400). */
  sims?: number;
  /** Give up beyond this many items (default 100,000). */
  maxN?: number;
}

/**
 * How many labeled items a metric needs, by simulation from the current pair table: samples of
 * n items are drawn from its cells (the judge and the humans as they are now), and n is the
 * smallest size whose metric has an interval half-width of at most `width` (the spread of the
 * simulated values between the interval's quantiles), and the smallest at which the gate
 * shows the threshold met in at least `power` of the samples (an interval-bound gate uses the
 * simulated standard error). Null when more than `maxN` items would be needed, or (for power)
 * when the judge does not meet the threshold now.
 */
export function itemsNeeded(table: PairTable, metric: (t: PairTable) => MetricValue, target: PlanTarget, opts: PlanOptions): { forWidth: number | null; forPower: number | null; why?: string } {
  const sims = opts.sims ?? 400;
  const maxN = opts.maxN ?? 100_000;
  const k = table.labels.length;
  const cells = table.counts.flat();
  const total = cells.reduce((a, b) => a + b, 0);
  if (total === 0) return { forWidth: null, forPower: null, why: 'no labeled item with a verdict yet' };
  const cumulative: number[] = [];
  cells.reduce((a, c, i) => (cumulative[i] = a + c / total), 0);
  const alpha = 1 - opts.confidence;
  const z = normalQuantile(1 - alpha / 2);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const sample: PairTable = { labels: table.labels, counts, n: 0 };
  // The same random numbers at every size: the search sees a smooth curve, not noise.
  const simulate = (n: number): number[] => {
    const random = seededRandom(opts.seed + 17);
    const values: number[] = [];
    for (let s = 0; s < sims; s++) {
      for (const row of counts) row.fill(0);
      for (let i = 0; i < n; i++) {
        const u = random();
        let lo = 0;
        let hi = cumulative.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cumulative[mid]! < u) lo = mid + 1;
          else hi = mid;
        }
        counts[Math.floor(lo / k)]![lo % k]!++;
      }
      sample.n = n;
      const v = metric(sample).value;
      if (v !== null) values.push(v);
    }
    return values.sort((a, b) => a - b);
  };
  const at = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.floor(p * (xs.length - 1))))]!;
  const halfWidth = (xs: number[]) => (xs.length < 0.9 * sims ? Infinity : (at(xs, 1 - alpha / 2) - at(xs, alpha / 2)) / 2);
  const shownMet = (xs: number[]) => {
    if (xs.length === 0) return 0;
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const se = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    const shift = target.on === 'ci_low' ? -z * se : target.on === 'ci_high' ? z * se : 0;
    return xs.filter((v) => (target.op === '>=' ? v + shift >= target.target : v + shift <= target.target)).length / sims;
  };
  const smallest = (ok: (xs: number[]) => boolean): number | null => {
    let hi = 10;
    while (!ok(simulate(hi))) {
      if (hi >= maxN) return null;
      hi = Math.min(maxN, hi * 2);
    }
    let lo = Math.max(2, Math.floor(hi / 2));
    if (ok(simulate(lo))) return lo;
    while (hi - lo > Math.max(1, Math.floor(lo / 100))) {
      const mid = Math.floor((lo + hi) / 2);
      if (ok(simulate(mid))) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const now = metric({ labels: table.labels, counts: table.counts, n: total }).value;
  const meetsNow = now !== null && (target.op === '>=' ? now >= target.target : now <= target.target);
  return {
    forWidth: smallest((xs) => halfWidth(xs) <= opts.width),
    forPower: meetsNow ? smallest((xs) => shownMet(xs) >= opts.power) : null,
    ...(meetsNow ? {} : { why: now === null ? 'the metric is undefined now' : 'the judge does not meet the threshold now: no number of items would show it met' }),
  };
}
