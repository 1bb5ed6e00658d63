import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { itemBootstrapIntervals, unitsByKey } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';

/**
 * rationale_similarity: the mean, over items with both a judge reason and a human note,
 * of their Ratcliff–Obershelp ratio (see text-similarity.ts). A textual signal for items
 * where the judge may be right for the wrong reason; reported, gated only if a suite asks.
 */
export function meanSimilarity(perItem: readonly number[], opts: BootstrapOptions): MetricValue {
  if (perItem.length === 0) return undefinedMetric(0, 'no item has both a judge reason and a human note');
  const m = defined(perItem.reduce((a, b) => a + b, 0) / perItem.length, perItem.length);
  if (opts.resamples > 0) {
    const units = unitsByKey(perItem.map(String));
    const values = units.representative.map((i) => perItem[i]!);
    const mean = (w: Float64Array) => values.reduce((a, v, u) => a + w[u]! * v, 0) / perItem.length;
    m.ci = itemBootstrapIntervals(units, ['mean'], (w) => ({ mean: mean(w) }), opts).mean ?? null;
  }
  return m;
}
