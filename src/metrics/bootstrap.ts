import type { MetricValue } from '../types.js';
import type { PairTable } from './pair-table.js';
import { normalCdf, normalQuantile } from './normal.js';
import { binomialCdf, drawFromCdf } from './binomial.js';
import { seededRandom } from './random.js';

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples: number;
  seed: number;
  /** Coverage of the interval, e.g. 0.95. */
  confidence: number;
  /**
   * `percentile`, or `bca` (bias-corrected and accelerated, Efron 1987) for the judge-vs-human
   * metrics, whose jackknife is cheap on a pair table. Other intervals stay percentile.
   */
  method?: 'percentile' | 'bca';
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 1, confidence: 0.95, method: 'percentile' };

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
  const names = Object.keys(metrics);
  const samples = names.map(() => [] as number[]);
  const drawStratum = stratumSampler(t, seededRandom(opts.seed));
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const resample: PairTable = { labels: t.labels, counts, n: t.n };
  for (let r = 0; r < opts.resamples; r++) {
    for (let h = 0; h < k; h++) drawStratum(h, counts[h]!);
    names.forEach((name, i) => {
      const v = metrics[name]!(resample).value;
      if (v !== null && Number.isFinite(v)) samples[i]!.push(v);
    });
  }
  return Object.fromEntries(
    names.map((name, i) => {
      const estimate = metrics[name]!(t).value;
      if (opts.method === 'bca' && estimate !== null) return [name, bcaInterval(samples[i]!, estimate, tableJackknife(t, metrics[name]!), opts)];
      return [name, percentileInterval(samples[i]!, opts)];
    }),
  );
}

/**
 * Resampling a stratum (the items the humans gave label h) with replacement counts how many
 * draws land on each judge label: a multinomial draw into `row`. With two labels it is one
 * binomial, from a CDF tabulated once (a run's last answer to its report no longer waits on
 * resamples × items random numbers); with more, item by item.
 */
function stratumSampler(t: PairTable, random: () => number): (h: number, row: number[]) => void {
  const sizes = t.counts.map((row) => row.reduce((a, c) => a + c, 0));
  if (t.labels.length === 2) {
    const cdfs = t.counts.map((row, h) => binomialCdf(sizes[h]!, row[0]! / (sizes[h]! || 1)));
    return (h, row) => {
      row[0] = drawFromCdf(cdfs[h]!, random());
      row[1] = sizes[h]! - row[0];
    };
  }
  // Each stratum: the judge index of every item in it.
  const strata = t.counts.map((row) => row.flatMap((c, j) => new Array<number>(c).fill(j)));
  return (h, row) => {
    row.fill(0);
    const stratum = strata[h]!;
    const m = stratum.length;
    for (let i = 0; i < m; i++) row[stratum[(random() * m) | 0]!]!++;
  };
}

/**
 * Leave-one-out values of a table metric: removing one item decrements one cell, so the
 * n jackknife values are k² distinct ones, each repeated by its cell's count.
 */
export function tableJackknife(t: PairTable, metric: (t: PairTable) => MetricValue): { value: number; weight: number }[] {
  const out: { value: number; weight: number }[] = [];
  t.counts.forEach((row, h) => row.forEach((c, j) => {
    if (!c) return;
    const counts = t.counts.map((r) => [...r]);
    counts[h]![j]!--;
    const v = metric({ labels: t.labels, counts, n: t.n - 1 }).value;
    if (v !== null) out.push({ value: v, weight: c });
  }));
  return out;
}

/**
 * BCa interval: percentiles of the bootstrap distribution moved by the bias correction
 * z0 = Φ⁻¹(share of replicates below the estimate) and the acceleration
 * a = Σ(θ̄ − θ_i)³ / (6 (Σ(θ̄ − θ_i)²)^1.5) from the jackknife (Efron & Tibshirani 1993,
 * ch. 14). Falls back to the percentile interval when z0 or a cannot be estimated.
 */
export function bcaInterval(replicates: number[], estimate: number, jackknife: readonly { value: number; weight: number }[], opts: BootstrapOptions): [number, number] | null {
  if (replicates.length < MIN_DEFINED_SHARE * opts.resamples || replicates.length === 0) return null;
  replicates.sort((a, b) => a - b);
  const below = replicates.filter((v) => v < estimate).length + replicates.filter((v) => v === estimate).length / 2;
  const total = jackknife.reduce((a, j) => a + j.weight, 0);
  const mean = jackknife.reduce((a, j) => a + j.weight * j.value, 0) / total;
  const s2 = jackknife.reduce((a, j) => a + j.weight * (mean - j.value) ** 2, 0);
  const s3 = jackknife.reduce((a, j) => a + j.weight * (mean - j.value) ** 3, 0);
  const share = below / replicates.length;
  if (share <= 0 || share >= 1 || s2 === 0) return percentileInterval(replicates, opts);
  const z0 = normalQuantile(share);
  const a = s3 / (6 * s2 ** 1.5);
  const alpha = (1 - opts.confidence) / 2;
  const adjust = (p: number) => {
    const z = normalQuantile(p);
    return normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
  };
  return [quantile(replicates, adjust(alpha)), quantile(replicates, adjust(1 - alpha))];
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
