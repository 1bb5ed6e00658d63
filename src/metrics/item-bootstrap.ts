import type { BootstrapOptions } from './bootstrap.js';
import { quantile } from './bootstrap.js';
import { seededRandom } from './random.js';

/**
 * Percentile bootstrap over items, for statistics that are not functions of one pair table
 * (multi-rater agreement, per-annotator averages): items are resampled with replacement,
 * `statistic` is recomputed on each resample's item indices. Seeded.
 */
export function itemBootstrapIntervals(
  nItems: number,
  names: readonly string[],
  statistic: (indices: readonly number[]) => Record<string, number | null>,
  opts: BootstrapOptions,
): Record<string, [number, number] | null> {
  const samples = names.map(() => [] as number[]);
  const random = seededRandom(opts.seed + 7919);
  const idx = new Array<number>(nItems);
  for (let r = 0; r < opts.resamples && nItems > 0; r++) {
    for (let i = 0; i < nItems; i++) idx[i] = (random() * nItems) | 0;
    const values = statistic(idx);
    names.forEach((name, i) => {
      const v = values[name];
      if (v !== null && v !== undefined && Number.isFinite(v)) samples[i]!.push(v);
    });
  }
  const alpha = (1 - opts.confidence) / 2;
  return Object.fromEntries(
    names.map((name, i) => {
      const s = samples[i]!.sort((a, b) => a - b);
      return [name, s.length >= 0.9 * opts.resamples && s.length > 0 ? [quantile(s, alpha), quantile(s, 1 - alpha)] : null];
    }),
  );
}
