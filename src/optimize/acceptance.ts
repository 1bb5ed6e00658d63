// Whether a candidate rubric is really better than the current one on the holdout. The point
// estimate on ~20 items is mostly noise, and the holdout is consulted once a round, so a
// candidate is accepted only when a one-sided paired test shows it better at the stated
// confidence, spent evenly over the rounds (Bonferroni: with a 10% error budget and 3 rounds,
// each consultation is a test at 3.3%), and no thresholded metric is worse beyond noise (the
// paired bootstrap interval of its change). The test is a paired permutation test: on 19 items
// the one-sided bound of a paired bootstrap accepted an equal candidate 4.1% of the time at a
// nominal 3.3% (bench/optimize-acceptance.mjs); swapping verdicts keeps the stated rate.
import type { BootstrapOptions } from '../metrics/bootstrap.js';
import { judgeMetricFunctions, worsening } from '../metrics/index.js';
import { pairedDelta } from '../metrics/paired-delta.js';
import { pairedPermutationTest } from '../metrics/paired-permutation.js';
import type { PairTable } from '../metrics/pair-table.js';
import { scaleLabels } from '../scale/scale.js';
import type { Label, MetricValue, Scale, ThresholdSpec } from '../types.js';
import { roleOf, spanOf, thresholdKey, type Yardstick } from './objective.js';

/** One term of the gauge: a metric's value, signed so that up is better, over its span. */
interface GaugeTerm {
  metric: string;
  sign: 1 | -1;
  span: number;
}

/** What the holdout test compares: the normalised margins of the thresholds the search is after, summed. */
export interface Gauge {
  terms: GaugeTerm[];
  /** "kappa >= + fp_rate <=", for the log. */
  text: string;
}

/**
 * The gauge of a search: the whole-suite `>=`/`<=` thresholds in `focus` that a pair table
 * gives (agreement ones over their chance-to-target span, constraints in their own units).
 * When none does (slices, drift, multi-annotator metrics), the scale's chance-corrected
 * agreement: kappa, or quadratic-weighted kappa on an ordinal scale.
 */
export function gaugeOf(scale: Scale, thresholds: readonly (Pick<ThresholdSpec, 'metric' | 'op' | 'target'> & { slice?: string })[], focus: ReadonlySet<string>, yard: Yardstick): Gauge {
  const fns = judgeMetricFunctions(scale);
  const terms: GaugeTerm[] = thresholds
    .filter((t) => !t.slice && (t.op === '>=' || t.op === '<=') && focus.has(thresholdKey(t)) && fns[t.metric])
    .map((t) => ({ metric: t.metric, sign: t.op === '>=' ? 1 : -1, span: roleOf(t) === 'agreement' ? spanOf(t.metric, t.target, yard) : 1 }));
  if (terms.length === 0) terms.push({ metric: scale.kind === 'ordinal' ? 'kappa_quadratic' : 'kappa', sign: 1, span: 1 });
  return { terms, text: terms.map((t) => `${t.metric} ${t.sign > 0 ? '>=' : '<='}`).join(' + ') };
}

/** The gauge as a metric of a pair table (undefined when any of its terms is). */
function gaugeMetric(scale: Scale, gauge: Gauge): (t: PairTable) => MetricValue {
  const fns = judgeMetricFunctions(scale);
  return (t) => {
    let sum = 0;
    for (const term of gauge.terms) {
      const v = fns[term.metric]!(t).value;
      if (v === null) return { value: null, n: t.n };
      sum += (term.sign * v) / term.span;
    }
    return { value: sum, n: t.n };
  };
}

/** Verdicts on the same holdout items: the humans', the current rubric's, the candidate's. */
export interface HoldoutPairs {
  human: Label[];
  before: Label[];
  after: Label[];
}

export interface HoldoutTest {
  scale: Scale;
  gauge: Gauge;
  /** The thresholded metrics that veto a candidate worse beyond noise. */
  vetoMetrics: readonly string[];
  /** Confidence that the candidate is better, over the whole search (default 0.9). */
  confidence: number;
  /** How many times the holdout may be consulted in the search (its rounds): the error budget is split over them. */
  consultations: number;
  /** The suite's bootstrap: resamples and seed; its confidence is the veto's two-sided level. */
  bootstrap: BootstrapOptions;
}

export interface Decision {
  ok: boolean;
  reason: string;
  /** Each veto metric's change on the holdout, after − before, with its paired interval. */
  deltas: Record<string, { delta: number; ci: [number, number] | null }>;
  /** The gauge's change on the holdout, the one-sided p-value of a gain, and the confidence this consultation needs (p <= 1 − confidence). */
  gain?: { delta: number; p: number; confidence: number };
}

/** The confidence of one consultation of the holdout: the search's error budget spent evenly over its rounds. */
export function perConsultation(confidence: number, consultations: number): number {
  return 1 - (1 - confidence) / Math.max(1, consultations);
}

/** The holdout's verdict on a candidate: vetoed if any thresholded metric is worse beyond noise; accepted only if the gauge is better beyond chance. */
export function decideOnHoldout(pairs: HoldoutPairs, test: HoldoutTest): Decision {
  const labels = scaleLabels(test.scale);
  const fns = judgeMetricFunctions(test.scale);
  const deltas: Decision['deltas'] = {};
  if (pairs.human.length === 0) return { ok: false, reason: 'holdout: no item both rubrics answered', deltas };
  for (const metric of new Set(test.vetoMetrics)) {
    const fn = fns[metric];
    const d = fn ? pairedDelta(pairs.human, pairs.before, pairs.after, labels, fn, test.bootstrap) : null;
    if (d) deltas[metric] = d;
  }
  for (const [metric, d] of Object.entries(deltas)) {
    // Worse beyond noise: the whole interval of the change lies on the worse side.
    if (d.ci && Math.min(worsening(metric, d.ci[0]), worsening(metric, d.ci[1])) > 0) {
      return { ok: false, reason: `holdout: ${metric} worse beyond noise (${signed(d.delta)}, ${pct(test.bootstrap.confidence)} interval [${signed(d.ci[0])}, ${signed(d.ci[1])}])`, deltas };
    }
  }
  const confidence = perConsultation(test.confidence, test.consultations);
  const d = pairedPermutationTest(pairs.human, pairs.before, pairs.after, labels, gaugeMetric(test.scale, test.gauge), test.bootstrap);
  if (!d) return { ok: false, reason: `holdout: ${test.gauge.text} is undefined for one of the rubrics`, deltas };
  const gain = { delta: d.delta, p: d.p, confidence };
  const shown = `${test.gauge.text} ${signed(d.delta)}, p = ${d.p.toFixed(3)}, needs <= ${(1 - confidence).toFixed(3)}`;
  if (d.delta <= 0 || d.p > 1 - confidence + 1e-12) return { ok: false, reason: `holdout: not better beyond chance (${shown})`, deltas, gain };
  return { ok: true, reason: `holdout: better beyond chance (${shown})`, deltas, gain };
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(3)}`;
}

function pct(c: number): string {
  return `${Math.round(c * 100)}%`;
}
