import type { Label } from '../types.js';

/**
 * The label most annotators gave; null when two or more labels tie for the most votes
 * (ties are reported, never broken arbitrarily).
 */
export function majorityLabel(labels: readonly Label[]): Label | null {
  const votes = new Map<Label, number>();
  for (const l of labels) votes.set(l, (votes.get(l) ?? 0) + 1);
  let best: Label | null = null;
  let bestCount = 0;
  let tied = false;
  for (const [label, count] of votes) {
    if (count > bestCount) {
      best = label;
      bestCount = count;
      tied = false;
    } else if (count === bestCount) {
      tied = true;
    }
  }
  return tied ? null : best;
}
