import type { Label, MetricValue } from '../types.js';
import { ratio } from './metric-value.js';
import { wilsonInterval } from './wilson.js';

/** One item of a pairwise judge: the humans' preference, the judge's (reconciled) verdict, and its answer in each order when it was asked both ways. */
export interface PairwiseItem {
  human: Label;
  judge: Label;
  orders?: { first: Label | null; swapped: Label | null; consistent: boolean };
}

/** The names `pairwiseMetrics` computes, for the registry. */
export const PAIRWISE_METRICS = ['accuracy_excluding_ties', 'position_consistency', 'first_position_rate', 'tie_rate'];

/**
 * A pairwise judge beyond plain agreement, each a proportion with its Wilson interval:
 * - accuracy_excluding_ties: agreement on the items where neither the humans nor the judge call a tie;
 * - position_consistency: the share of items (asked in both orders, answered both times) whose verdict survives the swap;
 * - first_position_rate: the share of answers (both orders, ties left out) that chose the output shown first — 0.5 is no position bias;
 * - tie_rate: the share of items the judge calls a tie.
 */
export function pairwiseMetrics(items: readonly PairwiseItem[], confidence: number): Record<string, MetricValue> {
  const proportion = (k: number, n: number, reason: string): MetricValue => {
    const m = ratio(k, n, n, reason);
    return m.value === null ? m : { ...m, ci: wilsonInterval(k, n, confidence) };
  };
  const decided = items.filter((i) => i.human !== 'tie' && i.judge !== 'tie');
  const both = items.filter((i) => i.orders && i.orders.first !== null && i.orders.swapped !== null);
  const answers = items.flatMap((i) => (i.orders ? [i.orders.first, i.orders.swapped] : [])).filter((l) => l === 'A' || l === 'B');
  return {
    accuracy_excluding_ties: proportion(decided.filter((i) => i.human === i.judge).length, decided.length, 'no item where neither the humans nor the judge call a tie'),
    position_consistency: proportion(both.filter((i) => i.orders!.consistent).length, both.length, 'the judge was not asked in both orders (recorded verdicts, or pairwise: {swap: false})'),
    first_position_rate: proportion(answers.filter((l) => l === 'A').length, answers.length, 'the judge was not asked in both orders (recorded verdicts, or pairwise: {swap: false})'),
    tie_rate: proportion(items.filter((i) => i.judge === 'tie').length, items.length, 'no item judged'),
  };
}
