import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { itemBootstrapIntervals } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';

/**
 * rationale_similarity: the mean, over items with both a judge reason and a human note,
 * of their Ratcliff–Obershelp ratio (see text-similarity.ts). A textual signal for items
 * where the judge may be right for the wrong reason; reported, gated only if a suite asks.
 */
export function meanSimilarity(perItem: readonly number[], opts: BootstrapOptions): MetricValue {
  if (perItem.length === 0) return undefinedMetric(0, 'no item has both a judge reason and a human note');
  const mean = (idx: readonly number[]) => idx.reduce((a, i) => a + perItem[i]!, 0) / idx.length;
  const m = defined(mean(perItem.map((_, i) => i)), perItem.length);
  if (opts.resamples > 0) {
    m.ci = itemBootstrapIntervals(perItem.length, ['mean'], (idx) => ({ mean: mean(idx) }), opts).mean ?? null;
  }
  return m;
}
