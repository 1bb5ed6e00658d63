import type { Label, MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { categoryCounts, type Ratings } from './ratings.js';

export type AlphaLevel = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's alpha: 1 − (n − 1) Σ o_ck δ²_ck / Σ n_c n_k δ²_ck, from the coincidence
 * matrix o (each item with m ≥ 2 labels adds 1/(m − 1) per ordered pair of its labels),
 * n_c its margins, n their total. δ² is 0/1 (nominal), (c − k)² (interval), or, ordinal,
 * (Σ_{g between c and k} n_g − (n_c + n_k)/2)². Handles missing labels.
 * Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability". Matches NLTK's
 * `AnnotationTask.alpha()` with the corresponding distance. n = pairable items.
 * `labels` must be in scale order; for interval, they must be numbers.
 */
export function krippendorffAlpha(ratings: Ratings, labels: readonly Label[], level: AlphaLevel): MetricValue {
  return krippendorffAlphaFromCounts(categoryCounts(ratings, labels), labels, level);
}

/** `weights[i]` counts row i that many times (a bootstrap resample); default 1 each. */
export function krippendorffAlphaFromCounts(counts: readonly (readonly number[])[], labels: readonly Label[], level: AlphaLevel, weights?: ArrayLike<number>): MetricValue {
  return alphaFromCoincidences(coincidences(counts, labels.length, weights), labels, level);
}

/** The coincidence matrix of the rows, shared by every level of alpha. */
export interface Coincidences {
  o: number[][];
  /** Pairable items (weighted). */
  units: number;
}

export function coincidences(counts: readonly (readonly number[])[], k: number, weights?: ArrayLike<number>): Coincidences {
  const o = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let units = 0;
  counts.forEach((row, i) => {
    const w = weights ? weights[i]! : 1;
    if (w === 0) return;
    let m = 0;
    for (let c = 0; c < k; c++) m += row[c]!;
    if (m < 2) return;
    units += w;
    for (let c = 0; c < k; c++) {
      if (!row[c]) continue;
      for (let d = 0; d < k; d++) {
        const pairs = c === d ? row[c]! * (row[c]! - 1) : row[c]! * row[d]!;
        if (pairs) o[c]![d]! += (w * pairs) / (m - 1);
      }
    }
  });
  return { o, units };
}

export function alphaFromCoincidences({ o, units }: Coincidences, labels: readonly Label[], level: AlphaLevel): MetricValue {
  const k = labels.length;
  const nc = o.map((r) => r.reduce((a, b) => a + b, 0));
  const n = nc.reduce((a, b) => a + b, 0);
  if (units === 0 || n <= 1) return undefinedMetric(units, 'no item has labels from 2 or more raters');
  const delta = distance(labels, nc, level);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < k; d++) {
      const dd = delta(c, d);
      observed += o[c]![d]! * dd;
      expected += nc[c]! * nc[d]! * dd;
    }
  }
  if (expected === 0) return undefinedMetric(units, 'every label is the same value');
  return defined(1 - ((n - 1) * observed) / expected, units);
}

function distance(labels: readonly Label[], nc: readonly number[], level: AlphaLevel): (c: number, d: number) => number {
  if (level === 'nominal') return (c, d) => (c === d ? 0 : 1);
  if (level === 'interval') return (c, d) => (Number(labels[c]) - Number(labels[d])) ** 2;
  return (c, d) => {
    const [lo, hi] = c < d ? [c, d] : [d, c];
    let between = 0;
    for (let g = lo; g <= hi; g++) between += nc[g]!;
    return (between - (nc[c]! + nc[d]!) / 2) ** 2;
  };
}
