import type { Label, MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import type { PanelItem } from './human-ceiling.js';
import { itemBootstrapIntervals } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';
import { pairTable, type PairTable } from './pair-table.js';

/**
 * Aggregation `individual_average`: every judge-vs-human metric computed against each
 * annotator on the items that annotator labeled, then averaged over the annotators for
 * whom it is defined. n = items with at least one annotator and a parsed verdict.
 * Intervals: percentile bootstrap over items.
 */
export function individualAverageMetrics(
  items: readonly PanelItem[],
  labels: readonly Label[],
  metrics: Record<string, (t: PairTable) => MetricValue>,
  opts: BootstrapOptions,
): Record<string, MetricValue> {
  const annotators = [...new Set(items.flatMap((i) => Object.keys(i.labels)))].sort();
  const scored = items.filter((i) => i.judge !== null && Object.keys(i.labels).length > 0);
  const names = Object.keys(metrics);
  const compute = (idx: readonly number[]): Record<string, MetricValue> => {
    const perAnnotator = annotators.map((a) => {
      const h: Label[] = [];
      const j: Label[] = [];
      for (const i of idx) {
        const item = scored[i]!;
        const l = item.labels[a];
        if (l !== undefined) (h.push(l), j.push(item.judge!));
      }
      return h.length ? Object.fromEntries(names.map((n) => [n, metrics[n]!(pairTable(h, j, labels))])) : undefined;
    });
    return Object.fromEntries(
      names.map((n) => {
        const values = perAnnotator.flatMap((m) => (m && m[n]!.value !== null ? [m[n]!.value!] : []));
        if (values.length === 0) {
          const why = perAnnotator.find((m) => m)?.[n]?.reason ?? 'no annotator shares items with the judge';
          return [n, undefinedMetric(idx.length, `undefined for every annotator: ${why}`)];
        }
        return [n, defined(values.reduce((a, b) => a + b, 0) / values.length, idx.length)];
      }),
    );
  };
  const point = compute(scored.map((_, i) => i));
  if (opts.resamples > 0) {
    const intervals = itemBootstrapIntervals(scored.length, names, (idx) => {
      const m = compute(idx);
      return Object.fromEntries(names.map((n) => [n, m[n]!.value]));
    }, opts);
    for (const n of names) if (point[n]!.value !== null) point[n]!.ci = intervals[n] ?? null;
  }
  return point;
}
