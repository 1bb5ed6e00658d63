// A suite's own metrics (`metrics: {name: ./module.js}`): each module exports a function over
// the scored items, loaded once before scoring; its value gets a bootstrap interval like the
// built-in item metrics, and a module that cannot be loaded or throws is one line naming it.
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { quantile, type BootstrapOptions } from '../metrics/bootstrap.js';
import { LOWER_IS_BETTER } from '../metrics/index.js';
import { undefinedMetric } from '../metrics/metric-value.js';
import { seededIndexDrawer } from '../metrics/random.js';
import type { CustomMetricFn, CustomMetricItem, CustomMetricSpec, ItemResult, MetricValue, ResolvedSuite } from '../types.js';

/** Import every custom metric module of the suites (once each): a default export that is a function, or `{value, lowerIsBetter}`. */
export async function loadCustomMetrics(suites: readonly ResolvedSuite[]): Promise<void> {
  for (const spec of suites.flatMap((s) => s.customMetrics ?? [])) {
    if (spec.fn) continue;
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(spec.file).href)) as { default?: unknown };
    } catch (err) {
      throw new ConfigError(`metrics.${spec.name}: the module could not be loaded: ${(err as Error).message.split('\n')[0]}`, { file: spec.file });
    }
    const exported = mod.default as { value?: unknown; lowerIsBetter?: unknown } | ((...a: unknown[]) => unknown) | undefined;
    const fn = typeof exported === 'function' ? exported : typeof exported?.value === 'function' ? exported.value : undefined;
    if (!fn) throw new ConfigError(`metrics.${spec.name}: expected a default export that is a function of the items, or {value: function, lowerIsBetter?: boolean}`, { file: spec.file });
    spec.fn = fn as CustomMetricFn;
    if (typeof exported === 'object' && exported?.lowerIsBetter === true) {
      spec.lowerIsBetter = true;
      // Baseline deltas and max_drop read the direction from the registry's set.
      LOWER_IS_BETTER.add(spec.name);
    }
  }
}

/** The suite's custom metrics over its items, each with a percentile bootstrap interval (items resampled). */
export function customMetricValues(suite: ResolvedSuite, items: readonly ItemResult[], opts: BootstrapOptions): Record<string, MetricValue> {
  const out: Record<string, MetricValue> = {};
  if (!suite.customMetrics?.length) return out;
  const rows: CustomMetricItem[] = items.map((r) => ({
    id: r.item.id,
    human: r.human,
    labels: r.item.labels,
    verdict: r.verdict.status === 'ok' ? r.verdict.label : null,
    status: r.verdict.status,
    ...(r.verdict.confidence !== undefined ? { confidence: r.verdict.confidence } : {}),
    fields: r.item.fields,
  }));
  for (const spec of suite.customMetrics) {
    const value = call(spec, rows);
    if (value === null) {
      out[spec.name] = undefinedMetric(rows.length, `${spec.name} returned null for these items`);
      continue;
    }
    const draw = seededIndexDrawer(opts.seed + 9001);
    const replicates: number[] = [];
    const sample = new Array<CustomMetricItem>(rows.length);
    for (let r = 0; r < opts.resamples && rows.length > 0; r++) {
      let k = 0;
      draw(rows.length, (i) => (sample[k++] = rows[i]!));
      const v = call(spec, sample);
      if (v !== null) replicates.push(v);
    }
    replicates.sort((a, b) => a - b);
    const alpha = (1 - opts.confidence) / 2;
    const ci: [number, number] | null = replicates.length >= 0.9 * opts.resamples && replicates.length > 0 ? [quantile(replicates, alpha), quantile(replicates, 1 - alpha)] : null;
    out[spec.name] = { value, n: rows.length, ci };
  }
  return out;
}

function call(spec: CustomMetricSpec, rows: readonly CustomMetricItem[]): number | null {
  let v: unknown;
  try {
    v = spec.fn!(rows);
  } catch (err) {
    throw new ConfigError(`metrics.${spec.name}: the function threw: ${(err as Error).message?.split('\n')[0] ?? String(err)}`, { file: spec.file });
  }
  if (v === null || v === undefined) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConfigError(`metrics.${spec.name}: expected a finite number or null, got ${typeof v === 'number' ? String(v) : typeof v}`, { file: spec.file });
  return v;
}
