import type { BootstrapOptions } from './bootstrap.js';
import { quantile } from './bootstrap.js';
import { multinomialDraw } from './binomial.js';
import { seededIndexDrawer, seededRandom } from './random.js';

/**
 * Items grouped into units of identical data (the same labels from the same raters, say):
 * a statistic then works on how many of each unit a resample holds, not on every item,
 * which keeps a bootstrap of 10,000 items cheap.
 */
export interface Units {
  /** The unit of each item. */
  unitOf: Int32Array;
  count: number;
  /** One item index per unit, to look up its data. */
  representative: number[];
}

/** Group items by a key describing everything the statistic reads of them. */
export function unitsByKey(keys: readonly string[]): Units {
  return unitsBy(keys.length, (i) => keys[i]!);
}

/**
 * The same, with each item's key made as it is needed: a big suite's keys are then short-lived
 * strings, not an array of one per item held through the whole grouping (100,000 items: a few MB).
 */
export function unitsBy(n: number, keyOf: (i: number) => string): Units {
  const index = new Map<string, number>();
  const unitOf = new Int32Array(n);
  const representative: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = keyOf(i);
    let u = index.get(k);
    if (u === undefined) {
      u = representative.length;
      index.set(k, u);
      representative.push(i);
    }
    unitOf[i] = u;
  }
  return { unitOf, count: representative.length, representative };
}

/** How many items each unit has: the weights of the data as observed. */
export function observedWeights(units: Units): Float64Array {
  const w = new Float64Array(units.count);
  for (const u of units.unitOf) w[u]!++;
  return w;
}

/**
 * One resample's draws per unit. Item by item (n uniform indices); or, when units hold 32 or
 * more items each on average (a 100k-item binary suite has 4), the same multinomial drawn
 * unit by unit as a chain of binomials: about Σ sqrt(items per unit) steps instead of n.
 */
function weightDrawer(units: Units, seed: number): (weights: Float64Array) => void {
  const n = units.unitOf.length;
  if (units.count * 32 <= n) {
    const sizes = observedWeights(units);
    const random = seededRandom(seed);
    return (weights) => multinomialDraw(n, sizes, random, weights);
  }
  const draw = seededIndexDrawer(seed);
  const unitOf = units.unitOf;
  return (weights) => {
    weights.fill(0);
    draw(n, (i) => weights[unitOf[i]!]!++);
  };
}

/**
 * Percentile bootstrap over items, for statistics that are not functions of one pair table
 * (multi-rater agreement, calibration, per-annotator averages): each resample draws items
 * with replacement and hands `statistic` the number of draws per unit. Seeded.
 */
export function itemBootstrapIntervals(
  units: Units,
  names: readonly string[],
  statistic: (weights: Float64Array) => Record<string, number | null>,
  opts: BootstrapOptions,
): Record<string, [number, number] | null> {
  const n = units.unitOf.length;
  const samples = names.map(() => [] as number[]);
  const weights = new Float64Array(units.count);
  const drawWeights = weightDrawer(units, opts.seed + 7919);
  for (let r = 0; r < opts.resamples && n > 0; r++) {
    drawWeights(weights);
    const values = statistic(weights);
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
