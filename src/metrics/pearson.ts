import type { MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { values, type PairTable } from './pair-table.js';

/** Pearson's r between human and judge scores (scipy.stats.pearsonr). Undefined when a side is constant. */
export function pearsonOf(t: PairTable): MetricValue {
  if (t.n < 2) return undefinedMetric(t.n, 'fewer than 2 items');
  const v = values(t);
  const r = pearsonOfPoints(t, (h) => v[h]!, (j) => v[j]!);
  return r === null ? undefinedMetric(t.n, 'one side gives every item the same score') : defined(r, t.n);
}

/** Pearson's r of the table's items, each row/column category mapped to a number. */
export function pearsonOfPoints(t: PairTable, x: (h: number) => number, y: (j: number) => number): number | null {
  let sx = 0;
  let sy = 0;
  t.counts.forEach((row, h) => row.forEach((c, j) => {
    sx += c * x(h);
    sy += c * y(j);
  }));
  const mx = sx / t.n;
  const my = sy / t.n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  t.counts.forEach((row, h) => row.forEach((c, j) => {
    if (!c) return;
    const dx = x(h) - mx;
    const dy = y(j) - my;
    sxy += c * dx * dy;
    sxx += c * dx * dx;
    syy += c * dy * dy;
  }));
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
