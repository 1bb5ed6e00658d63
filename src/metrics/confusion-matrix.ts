import type { Label } from '../types.js';

export interface ConfusionMatrix {
  labels: Label[];
  /** counts[h][j]: items the human labeled labels[h] and the judge labeled labels[j]. */
  counts: number[][];
}

/**
 * Confusion matrix of paired labels over a fixed label order (rows = human, columns = judge),
 * as scikit-learn's `confusion_matrix(y_true, y_pred, labels=...)`. Pairs with a label
 * outside `labels` are a programming error.
 */
export function confusionMatrix(human: readonly Label[], judge: readonly Label[], labels: readonly Label[]): ConfusionMatrix {
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  human.forEach((h, k) => {
    const r = index.get(h);
    const c = index.get(judge[k]!);
    if (r === undefined || c === undefined) throw new Error(`label outside the scale: ${String(h)} / ${String(judge[k])}`);
    counts[r]![c]!++;
  });
  return { labels: [...labels], counts };
}

export interface BinaryCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Positive class = pass (the judge accepts). FP = judge passes what the human failed. */
export function binaryCounts(human: readonly Label[], judge: readonly Label[]): BinaryCounts {
  const c: BinaryCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  human.forEach((h, k) => {
    const j = judge[k];
    if (h === 'pass') j === 'pass' ? c.tp++ : c.fn++;
    else j === 'pass' ? c.fp++ : c.tn++;
  });
  return c;
}

/** Binary counts from a pass/fail table (labels in the order pass, fail). */
export function binaryCountsOf(t: { counts: number[][] }): BinaryCounts {
  return { tp: t.counts[0]![0]!, fn: t.counts[0]![1]!, fp: t.counts[1]![0]!, tn: t.counts[1]![1]! };
}
