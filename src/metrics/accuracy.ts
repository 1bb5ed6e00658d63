import type { Label, MetricValue } from '../types.js';
import { ratio } from './metric-value.js';

/** Share of items where judge and human give the same label (sklearn `accuracy_score`). */
export function accuracy(human: readonly Label[], judge: readonly Label[]): MetricValue {
  const same = human.filter((h, i) => h === judge[i]).length;
  return ratio(same, human.length, human.length, 'no items with both a human and a judge label');
}
