import type { ClassScore, MetricValue } from '../types.js';
import { defined, undefinedMetric } from './metric-value.js';
import { colSums, rowSums, type PairTable } from './pair-table.js';

export type { ClassScore };

/**
 * Per-class precision, recall and F1 (one class against the rest), for every class either
 * side used. A score whose denominator is 0 is null (sklearn would say 0).
 */
export function classScoresOf(t: PairTable): ClassScore[] {
  const rows = rowSums(t);
  const cols = colSums(t);
  return t.labels.flatMap((label, k) => {
    if (rows[k] === 0 && cols[k] === 0) return [];
    const tp = t.counts[k]![k]!;
    return [{
      label,
      support: rows[k]!,
      precision: cols[k]! > 0 ? tp / cols[k]! : null,
      recall: rows[k]! > 0 ? tp / rows[k]! : null,
      f1: tp / ((rows[k]! + cols[k]!) / 2),
    }];
  });
}

/**
 * Macro average (unweighted mean over classes) of a per-class score, over the classes
 * where that score is defined: macro precision skips classes the judge never used,
 * macro recall classes the humans never used. Macro F1 covers every class either side
 * used and equals sklearn's `f1_score(average='macro')`.
 */
export function macroOf(t: PairTable, score: 'precision' | 'recall' | 'f1'): MetricValue {
  const vals = classScoresOf(t).map((c) => c[score]).filter((v): v is number => v !== null);
  if (vals.length === 0) return undefinedMetric(t.n, 'no class has a defined score');
  return defined(vals.reduce((a, b) => a + b, 0) / vals.length, t.n);
}
