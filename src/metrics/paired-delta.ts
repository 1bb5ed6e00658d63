import type { Label, MetricValue } from '../types.js';
import { quantile, type BootstrapOptions } from './bootstrap.js';
import { pairTable, type PairTable } from './pair-table.js';
import { seededIndexDrawer } from './random.js';

export interface PairedDelta {
  /** after − before. */
  delta: number;
  /** Percentile interval of the delta; it excludes 0 when the change is larger than noise. */
  ci: [number, number] | null;
}

/**
 * A metric's change between two sets of verdicts on the same items (a baseline run and
 * this one), with a paired bootstrap: each resample draws the same items for both
 * (stratified by the human label) and records the difference, so item difficulty cancels
 * out and only the verdicts' change remains. Efron & Tibshirani (1993), ch. 16.
 */
export function pairedDelta(
  human: readonly Label[],
  before: readonly Label[],
  after: readonly Label[],
  labels: readonly Label[],
  metric: (t: PairTable) => MetricValue,
  opts: BootstrapOptions,
): PairedDelta | null {
  const b = metric(pairTable(human, before, labels)).value;
  const a = metric(pairTable(human, after, labels)).value;
  if (a === null || b === null) return null;
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const strata = labels.map(() => [] as number[]);
  human.forEach((h, i) => strata[index.get(h)!]!.push(i));
  const countsB = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const countsA = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const tb: PairTable = { labels: [...labels], counts: countsB, n: human.length };
  const ta: PairTable = { labels: [...labels], counts: countsA, n: human.length };
  const beforeIdx = before.map((l) => index.get(l)!);
  const afterIdx = after.map((l) => index.get(l)!);
  const draw = seededIndexDrawer(opts.seed + 31337);
  const deltas: number[] = [];
  for (let r = 0; r < opts.resamples; r++) {
    strata.forEach((items, h) => {
      countsB[h]!.fill(0);
      countsA[h]!.fill(0);
      draw(items.length, (j) => {
        const i = items[j]!;
        countsB[h]![beforeIdx[i]!]!++;
        countsA[h]![afterIdx[i]!]!++;
      });
    });
    const vb = metric(tb).value;
    const va = metric(ta).value;
    if (vb !== null && va !== null) deltas.push(va - vb);
  }
  deltas.sort((x, y) => x - y);
  const alpha = (1 - opts.confidence) / 2;
  const ci: [number, number] | null = deltas.length >= 0.9 * opts.resamples && deltas.length > 0 ? [quantile(deltas, alpha), quantile(deltas, 1 - alpha)] : null;
  return { delta: a - b, ci };
}
