import type { Label, MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import type { PanelItem } from './human-ceiling.js';
import { itemBootstrapIntervals, observedWeights, unitsByKey } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';
import type { PairTable } from './pair-table.js';

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
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  // Per item: each annotator's label index (−1 if none) and the judge's; identical items form a unit.
  const coded = scored.map((it) => [...annotators.map((a) => (it.labels[a] === undefined ? -1 : index.get(it.labels[a]!)!)), index.get(it.judge!)!]);
  const units = unitsByKey(coded.map((c) => c.join(',')));
  const unitCodes = units.representative.map((i) => coded[i]!);
  const compute = (weights: Float64Array): Record<string, MetricValue> => {
    const tables = annotators.map(() => Array.from({ length: k }, () => new Array<number>(k).fill(0)));
    const sizes = new Array<number>(annotators.length).fill(0);
    let n = 0;
    unitCodes.forEach((c, u) => {
      const w = weights[u]!;
      if (w === 0) return;
      n += w;
      const j = c[annotators.length]!;
      annotators.forEach((_, a) => {
        if (c[a]! < 0) return;
        tables[a]![c[a]!]![j]! += w;
        sizes[a]! += w;
      });
    });
    const perAnnotator = annotators.map((_, a) =>
      sizes[a]! > 0 ? Object.fromEntries(names.map((name) => [name, metrics[name]!({ labels: [...labels], counts: tables[a]!, n: sizes[a]! })])) : undefined,
    );
    return Object.fromEntries(
      names.map((name) => {
        const values = perAnnotator.flatMap((m) => (m && m[name]!.value !== null ? [m[name]!.value!] : []));
        if (values.length === 0) {
          const why = perAnnotator.find((m) => m)?.[name]?.reason ?? 'no annotator shares items with the judge';
          return [name, undefinedMetric(n, `undefined for every annotator: ${why}`)];
        }
        return [name, defined(values.reduce((a, b) => a + b, 0) / values.length, n)];
      }),
    );
  };
  const point = compute(observedWeights(units));
  if (opts.resamples > 0 && scored.length > 0) {
    const intervals = itemBootstrapIntervals(units, names, (weights) => {
      const m = compute(weights);
      return Object.fromEntries(names.map((name) => [name, m[name]!.value]));
    }, opts);
    for (const name of names) if (point[name]!.value !== null) point[name]!.ci = intervals[name] ?? null;
  }
  return point;
}
