import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { itemBootstrapIntervals, unitsByKey } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';

/**
 * The mean of per-item values with a percentile bootstrap interval over items. Serves
 * rationale_similarity (the Ratcliff–Obershelp ratio of judge reason and human note, over
 * items with both) and self_consistency (the share of a judge's samples agreeing with its
 * verdict, over items judged with `samples: k`).
 */
export function meanWithInterval(perItem: readonly number[], opts: BootstrapOptions, whenEmpty: string): MetricValue {
  if (perItem.length === 0) return undefinedMetric(0, whenEmpty);
  const m = defined(perItem.reduce((a, b) => a + b, 0) / perItem.length, perItem.length);
  if (opts.resamples > 0) {
    const units = unitsByKey(perItem.map(String));
    const values = units.representative.map((i) => perItem[i]!);
    const mean = (w: Float64Array) => values.reduce((a, v, u) => a + w[u]! * v, 0) / perItem.length;
    m.ci = itemBootstrapIntervals(units, ['mean'], (w) => ({ mean: mean(w) }), opts).mean ?? null;
  }
  return m;
}
