import type { MetricValue } from '../types.js';
import type { PairTable } from './pair-table.js';
import { seededRandom } from './random.js';

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples: number;
  seed: number;
  /** Coverage of the interval, e.g. 0.95. */
  confidence: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1, confidence: 0.95 };

/** Below this share of resamples where a metric is defined, no interval is given. */
const MIN_DEFINED_SHARE = 0.9;

/**
 * Percentile bootstrap intervals for metrics that are functions of a pair table
 * (Efron & Tibshirani 1993, ch. 13). Items are resampled with replacement within each
 * human label (stratified), so every resample keeps the anchor set's label mix; each
 * resample rebuilds only the k×k counts, and every metric is recomputed from them.
 * Seeded: the same data, seed and options give the same intervals.
 */
export function bootstrapTableIntervals(
  t: PairTable,
  metrics: Record<string, (t: PairTable) => MetricValue>,
  opts: BootstrapOptions,
): Record<string, [number, number] | null> {
  const k = t.labels.length;
  // Each stratum: the judge index of every item the humans gave label h.
  const strata = t.counts.map((row) => row.flatMap((c, j) => new Array<number>(c).fill(j)));
  const names = Object.keys(metrics);
  const samples = names.map(() => [] as number[]);
  const random = seededRandom(opts.seed);
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const resample: PairTable = { labels: t.labels, counts, n: t.n };
  for (let r = 0; r < opts.resamples; r++) {
    for (let h = 0; h < k; h++) {
      const row = counts[h]!;
      row.fill(0);
      const stratum = strata[h]!;
      const m = stratum.length;
      for (let i = 0; i < m; i++) row[stratum[(random() * m) | 0]!]!++;
    }
    names.forEach((name, i) => {
      const v = metrics[name]!(resample).value;
      if (v !== null && Number.isFinite(v)) samples[i]!.push(v);
    });
  }
  return Object.fromEntries(names.map((name, i) => [name, percentileInterval(samples[i]!, opts)]));
}

function percentileInterval(values: number[], opts: BootstrapOptions): [number, number] | null {
  if (values.length < MIN_DEFINED_SHARE * opts.resamples || values.length === 0) return null;
  values.sort((a, b) => a - b);
  const alpha = (1 - opts.confidence) / 2;
  return [quantile(values, alpha), quantile(values, 1 - alpha)];
}

/** Linear-interpolation quantile of sorted values (numpy's default, "type 7"). */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
