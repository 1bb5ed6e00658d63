import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { meanWithInterval } from './mean-interval.js';
import { defined, undefinedMetric } from './metric-value.js';

/** One item of a multi-criteria suite: which binary criteria are "on" (pass) for the humans and the judge. */
export interface LabelSets {
  human: readonly boolean[];
  judge: readonly boolean[];
}

/**
 * The criteria scored together as a label set per item (the binary criteria, "pass" = on):
 * - exact_match: the share of items whose whole set matches (subset accuracy);
 * - jaccard: per item |H ∩ J| / |H ∪ J|, averaged (1 when both sets are empty: they agree);
 * - hamming_loss: the share of item × criterion cells that differ;
 * - micro_f1: F1 of the pooled cells; macro_f1: the mean of each criterion's F1 (0 when a
 *   criterion has no positive in either).
 * As scikit-learn's accuracy_score, jaccard_score(average='samples', zero_division=1),
 * hamming_loss and f1_score(average='micro' | 'macro', zero_division=0) on indicator matrices.
 * Item-level ones carry a bootstrap interval over items.
 */
export function multilabelMetrics(items: readonly LabelSets[], opts: BootstrapOptions): Record<string, MetricValue> {
  const n = items.length;
  const why = 'no item has a human label and a verdict on every binary criterion';
  if (n === 0 || items[0]!.human.length === 0) {
    return Object.fromEntries(['multilabel_exact_match', 'multilabel_jaccard', 'multilabel_hamming_loss', 'multilabel_micro_f1', 'multilabel_macro_f1'].map((m) => [m, undefinedMetric(0, why)]));
  }
  const k = items[0]!.human.length;
  const exact = items.map((it) => (it.human.every((h, j) => h === it.judge[j]) ? 1 : 0));
  const jaccard = items.map((it) => {
    let inter = 0;
    let union = 0;
    it.human.forEach((h, j) => {
      if (h && it.judge[j]) inter++;
      if (h || it.judge[j]) union++;
    });
    return union === 0 ? 1 : inter / union;
  });
  const hamming = items.map((it) => it.human.reduce((a, h, j) => a + (h === it.judge[j] ? 0 : 1), 0) / k);
  const f1 = (tp: number, fp: number, fn: number) => (2 * tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));
  const per = Array.from({ length: k }, (_, j) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const it of items) {
      if (it.human[j] && it.judge[j]) tp++;
      else if (!it.human[j] && it.judge[j]) fp++;
      else if (it.human[j] && !it.judge[j]) fn++;
    }
    return { tp, fp, fn };
  });
  const sum = per.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn }), { tp: 0, fp: 0, fn: 0 });
  return {
    multilabel_exact_match: meanWithInterval(exact, opts, why),
    multilabel_jaccard: meanWithInterval(jaccard, opts, why),
    multilabel_hamming_loss: meanWithInterval(hamming, opts, why),
    multilabel_micro_f1: defined(f1(sum.tp, sum.fp, sum.fn), n),
    multilabel_macro_f1: defined(per.reduce((a, c) => a + f1(c.tp, c.fp, c.fn), 0) / k, n),
  };
}

/** Each criterion scored alone, then averaged: the mean of the criteria's values of a metric. */
export function multitaskMean(perCriterion: readonly (MetricValue | undefined)[], metric: string): MetricValue {
  const values = perCriterion.filter((m): m is MetricValue => m !== undefined && m.value !== null);
  if (values.length === 0 || values.length < perCriterion.length) {
    return undefinedMetric(0, `${metric} is undefined for ${perCriterion.length - values.length} criterion(s)`);
  }
  return defined(values.reduce((a, m) => a + m.value!, 0) / values.length, Math.min(...values.map((m) => m.n)));
}
