// The humans as a panel: how well they agree among themselves (the ceiling a judge can be
// held to), and how the agreement changes when the judge joins them as one more rater.
import type { Label, MetricValue, Scale } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { kappaOfCounts } from './cohen-kappa.js';
import { fleissKappaFromCounts } from './fleiss-kappa.js';
import { iccOfRatings, type IccForm } from './icc.js';
import { itemBootstrapIntervals, observedWeights, unitsBy } from './item-bootstrap.js';
import { alphaFromCoincidences, coincidences, type AlphaLevel } from './krippendorff-alpha.js';
import { defined, undefinedMetric } from './metric-value.js';

export interface PanelItem {
  labels: Record<string, Label>;
  /** The judge's parsed verdict, or null. */
  judge: Label | null;
}

const ICC_FORMS: IccForm[] = ['icc_2_1', 'icc_3_1', 'icc_2_k'];

function levels(scale: Scale): AlphaLevel[] {
  return scale.kind === 'ordinal' ? ['nominal', 'ordinal', 'interval'] : ['nominal'];
}

/** The panel metric names a scale has (thresholds may name them). */
export function panelMetricNames(scale: Scale): string[] {
  const names = ['human_fleiss_kappa', 'fleiss_kappa_with_judge'];
  for (const l of levels(scale)) names.push(`human_krippendorff_alpha_${l}`, `krippendorff_alpha_${l}_with_judge`);
  if (scale.kind === 'ordinal') names.push(...ICC_FORMS.map((f) => `human_${f}`));
  names.push('human_agreement', 'judge_agreement', 'judge_to_human_ratio');
  return names;
}

// human_agreement averages Cohen's kappa (quadratic-weighted on ordinal scales) over annotator
// pairs, judge_agreement over the judge paired with each annotator, on the items each pair shares.
export function panelMetrics(scale: Scale, items: readonly PanelItem[], labels: readonly Label[], opts: BootstrapOptions): Record<string, MetricValue> {
  const named = new Set<string>();
  for (const it of items) for (const a of Object.keys(it.labels)) named.add(a);
  const annotators = [...named].sort();
  const names = panelMetricNames(scale);
  if (annotators.length === 0) {
    return Object.fromEntries(names.map((n) => [n, undefinedMetric(0, 'needs labels from 2 or more annotators')]));
  }
  // Label indices per item and rater (−1 = not labeled); the judge is the last rater.
  const index = new Map(labels.map((l, i) => [l, i]));
  const codeOf = (it: PanelItem) => [...annotators.map((a) => (it.labels[a] === undefined ? -1 : index.get(it.labels[a]!)!)), it.judge === null ? -1 : index.get(it.judge)!];
  // Items with the same labels from the same raters are one unit: resamples weigh units. (The
  // codes are made per item as needed and kept for one item per unit only.)
  const units = unitsBy(items.length, (i) => codeOf(items[i]!).join(','));
  const prepared = prepare(units.representative.map((i) => codeOf(items[i]!)), labels, annotators.length);
  const point = compute(scale, prepared, labels, observedWeights(units), true);
  if (opts.resamples > 0) {
    // One annotator: the metrics among humans are undefined (below), so only those with the
    // judge are resampled.
    const humans = annotators.length > 1;
    const resampled = humans ? names : names.filter((n) => !HUMANS_ONLY(n));
    const intervals = itemBootstrapIntervals(units, resampled, (weights) => {
      const m = compute(scale, prepared, labels, weights, humans);
      return Object.fromEntries(resampled.map((n) => [n, m[n]!.value]));
    }, opts);
    for (const n of names) if (point[n]!.value !== null) point[n]!.ci = intervals[n] ?? null;
  }
  // One annotator: the human and the judge are still two raters (the *_with_judge metrics and
  // judge_agreement), but nothing is known of agreement among people.
  if (annotators.length === 1) for (const n of names) if (HUMANS_ONLY(n)) point[n] = undefinedMetric(0, 'needs labels from 2 or more annotators');
  return point;
}

/** The metrics about the humans among themselves (and the ratio built on them). */
const HUMANS_ONLY = (name: string) => name.startsWith('human_') || name === 'judge_to_human_ratio';

/** Per-unit data every resample reuses, so a resample only sums what its units contribute. */
interface Prepared {
  raters: number;
  humanCounts: number[][];
  judgeCounts: number[][];
  /** Rater pairs: all human pairs, then (human a, judge) for each a. */
  pairs: [number, number][];
  /** Per unit, flat triples (pair index, first rater's code, second rater's code) for each pair both labeled. */
  pairCodes: Int32Array[];
  /** Per unit, the humans' numeric labels when every annotator labeled it (for ICC), else null. */
  complete: (number[] | null)[];
}

function prepare(coded: number[][], labels: readonly Label[], raters: number): Prepared {
  const k = labels.length;
  const pairs: [number, number][] = [];
  for (let a = 0; a < raters; a++) for (let b = a + 1; b < raters; b++) pairs.push([a, b]);
  for (let a = 0; a < raters; a++) pairs.push([a, raters]);
  const countsOf = (codes: number[], upTo: number) => {
    const row = new Array<number>(k).fill(0);
    for (let r = 0; r < upTo; r++) if (codes[r]! >= 0) row[codes[r]!]!++;
    return row;
  };
  return {
    raters,
    humanCounts: coded.map((c) => countsOf(c, raters)),
    judgeCounts: coded.map((c) => countsOf(c, raters + 1)),
    pairs,
    pairCodes: coded.map((c) => Int32Array.from(pairs.flatMap(([a, b], q) => (c[a]! >= 0 && c[b]! >= 0 ? [q, c[a]!, c[b]!] : [])))),
    complete: coded.map((c) => (c.slice(0, raters).every((x) => x >= 0) ? c.slice(0, raters).map((x) => Number(labels[x])) : null)),
  };
}

/** The panel metrics, each unit counted `weights[u]` times; `humans` false: only those with the judge. */
function compute(scale: Scale, p: Prepared, labels: readonly Label[], weights: Float64Array, humans: boolean): Record<string, MetricValue> {
  const k = labels.length;
  const raters = p.raters;
  const m: Record<string, MetricValue> = {};
  if (humans) m.human_fleiss_kappa = fleissKappaFromCounts(p.humanCounts, weights);
  m.fleiss_kappa_with_judge = fleissKappaFromCounts(p.judgeCounts, weights);
  const humanPairs = humans ? coincidences(p.humanCounts, k, weights) : undefined;
  const judgePairs = coincidences(p.judgeCounts, k, weights);
  for (const l of levels(scale)) {
    if (humanPairs) m[`human_krippendorff_alpha_${l}`] = alphaFromCoincidences(humanPairs, labels, l);
    m[`krippendorff_alpha_${l}_with_judge`] = alphaFromCoincidences(judgePairs, labels, l);
  }
  if (humans && scale.kind === 'ordinal') {
    const rows: number[][] = [];
    const w: number[] = [];
    p.complete.forEach((row, u) => row && weights[u]! > 0 && (rows.push(row), w.push(weights[u]!)));
    const n = w.reduce((a, b) => a + b, 0);
    for (const f of ICC_FORMS) {
      m[`human_${f}`] = n >= 2 ? iccOfRatings(rows, f, w) : undefinedMetric(n, 'ICC needs 2 or more items labeled by every annotator');
    }
  }
  // Mean pairwise agreement among humans, and of the judge (rater index `raters`) with each human.
  const kappaWeights = scale.kind === 'ordinal' ? 'quadratic' : 'none';
  // Every pair's k×k table, side by side in one flat array.
  const tables = new Float64Array(p.pairs.length * k * k);
  const sizes = new Float64Array(p.pairs.length);
  p.pairCodes.forEach((codes, u) => {
    const w = weights[u]!;
    if (w === 0) return;
    for (let c = 0; c < codes.length; c += 3) {
      tables[codes[c]! * k * k + codes[c + 1]! * k + codes[c + 2]!]! += w;
      sizes[codes[c]!]! += w;
    }
  });
  const kappaOfPair = (q: number) => kappaOfCounts(tables, q * k * k, k, sizes[q]!, kappaWeights);
  const mean = (values: MetricValue[], why: string): MetricValue => {
    const ok = values.filter((v) => v.value !== null);
    if (ok.length === 0) return undefinedMetric(0, why);
    return defined(ok.reduce((s, v) => s + v.value!, 0) / ok.length, Math.max(...ok.map((v) => v.n)));
  };
  // p.pairs lists the human pairs first, then (annotator, judge) for each annotator.
  const humanPairCount = p.pairs.length - raters;
  const judge = mean(Array.from({ length: raters }, (_, a) => kappaOfPair(humanPairCount + a)), 'the judge has no defined agreement with any annotator');
  if (!humans) {
    m.judge_agreement = judge;
    return m;
  }
  const human = mean(Array.from({ length: humanPairCount }, (_, q) => kappaOfPair(q)), 'no pair of annotators has a defined agreement on shared items');
  m.human_agreement = human;
  m.judge_agreement = judge;
  m.judge_to_human_ratio =
    human.value === null || judge.value === null
      ? undefinedMetric(0, human.value === null ? `human agreement is undefined: ${human.reason}` : `judge agreement is undefined: ${judge.reason}`)
      : human.value <= 0
        ? undefinedMetric(human.n, 'the humans agree no better than chance: there is no ceiling to compare with')
        : defined(judge.value / human.value, judge.n);
  return m;
}
