import type { Label } from '../types.js';
import { majorityLabel } from './majority.js';

export type Aggregation = 'majority' | 'mean' | 'median' | 'individual_average';

/**
 * The humans' label for an item under an aggregation: the majority label (null on a tie),
 * or, for numeric labels, their mean or median (which may fall between scale points).
 * `individual_average` scores the judge against each annotator separately; its consensus,
 * shown beside the item, is the majority.
 */
export function consensus(labels: readonly Label[], aggregation: Aggregation): Label | null {
  if (labels.length === 0) return null;
  if (aggregation === 'mean') return (labels as number[]).reduce((a, b) => a + b, 0) / labels.length;
  if (aggregation === 'median') {
    const s = [...(labels as number[])].sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  }
  return majorityLabel(labels);
}
