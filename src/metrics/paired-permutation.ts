import type { Label, MetricValue } from '../types.js';
import type { PairTable } from './pair-table.js';
import { seededRandom } from './random.js';

export interface PairedPermutation {
  /** after − before. */
  delta: number;
  /** One-sided p-value of "after is better than before" (higher metric value is better). */
  p: number;
}

/**
 * A one-sided paired permutation test (approximate randomization: Noreen 1989; Riezler &
 * Maxwell 2005): under the null that the two sets of verdicts are interchangeable item by
 * item, swapping them on a random half of the items is as likely as the observed assignment.
 * The p-value is the share of swaps whose change is at least the observed change: exact (every
 * swap of the items the two disagree on) when there are at most `resamples` of them, else
 * from `resamples` random swaps plus the observed one. Unlike a bootstrap bound, it keeps its
 * stated error rate on 20 items.
 */
export function pairedPermutationTest(
  human: readonly Label[],
  before: readonly Label[],
  after: readonly Label[],
  labels: readonly Label[],
  metric: (t: PairTable) => MetricValue,
  opts: { resamples: number; seed: number },
): PairedPermutation | null {
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const table = (): PairTable => ({ labels: [...labels], counts: Array.from({ length: k }, () => new Array<number>(k).fill(0)), n: human.length });
  const tb = table();
  const ta = table();
  const h = human.map((l) => index.get(l)!);
  const b = before.map((l) => index.get(l)!);
  const a = after.map((l) => index.get(l)!);
  const fill = (swap: (i: number) => boolean) => {
    for (const row of [...tb.counts, ...ta.counts]) row.fill(0);
    for (let i = 0; i < h.length; i++) {
      const s = swap(i);
      tb.counts[h[i]!]![(s ? a : b)[i]!]!++;
      ta.counts[h[i]!]![(s ? b : a)[i]!]!++;
    }
  };
  fill(() => false);
  const vb = metric(tb).value;
  const va = metric(ta).value;
  if (vb === null || va === null) return null;
  const observed = va - vb;
  let atLeast = 0;
  let defined = 0;
  const count = () => {
    const pb = metric(tb).value;
    const pa = metric(ta).value;
    if (pb === null || pa === null) return;
    defined++;
    // A tolerance: a swap that changes nothing must count as "at least", not lose to rounding.
    if (pa - pb >= observed - 1e-12) atLeast++;
  };
  // Swapping equal verdicts changes nothing: only the items the two disagree on matter.
  const differing = h.map((_, i) => i).filter((i) => a[i] !== b[i]);
  if (differing.length < 31 && 2 ** differing.length <= opts.resamples) {
    const position = new Map(differing.map((item, bit) => [item, bit]));
    for (let mask = 0; mask < 2 ** differing.length; mask++) {
      fill((i) => position.has(i) && ((mask >> position.get(i)!) & 1) === 1);
      count();
    }
    return { delta: observed, p: defined > 0 ? atLeast / defined : 1 };
  }
  const random = seededRandom(opts.seed + 7877);
  for (let r = 0; r < opts.resamples; r++) {
    fill(() => random() < 0.5);
    count();
  }
  return { delta: observed, p: (1 + atLeast) / (1 + defined) };
}
