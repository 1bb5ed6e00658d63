import type { Label, MetricValue } from '../types.js';
import { ratio } from './metric-value.js';
import { labelsOf, pairTable, type PairTable } from './pair-table.js';

/** Share of items where judge and human give the same label (sklearn `accuracy_score`). */
export function accuracyOf(t: PairTable): MetricValue {
  const same = t.counts.reduce((a, row, i) => a + row[i]!, 0);
  return ratio(same, t.n, t.n, 'no items with both a human and a judge label');
}

export function accuracy(human: readonly Label[], judge: readonly Label[]): MetricValue {
  return accuracyOf(pairTable(human, judge, labelsOf(human, judge)));
}
