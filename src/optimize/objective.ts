// How --optimize ranks rubrics. A threshold that bounds an error rate (fp_rate, fn_rate,
// unparseable_rate, …) or a drop from the baseline is a constraint: a judge that fails
// everything meets an fp_rate ceiling for free, so a constraint ranks first but never counts as
// agreement. The agreement thresholds (kappa, within_one, mae, …) form the objective, each
// shortfall in units of its own distance from chance to the target, so that scale points,
// kappa and rates add up to something with one meaning.
import { allowsPass } from '../assert/thresholds.js';
import { judgeMetricFunctions, LOWER_IS_BETTER, worsening } from '../metrics/index.js';
import { pairTable } from '../metrics/pair-table.js';
import { scaleLabels } from '../scale/scale.js';
import type { Label, Objective, Scale, ThresholdOutcome, ThresholdSpec } from '../types.js';

/** Judge-vs-human agreement: what the objective is made of. Every other thresholded metric is a constraint. */
export const AGREEMENT_METRICS = new Set([
  'accuracy', 'balanced_accuracy', 'f1', 'kappa', 'mcc', 'ac1',
  'exact_agreement', 'within_one', 'mae', 'rmse', 'kappa_linear', 'kappa_quadratic', 'spearman', 'kendall_tau_b', 'pearson', 'icc_2_1', 'icc_3_1', 'icc_2_k',
  'macro_precision', 'macro_recall', 'macro_f1',
  'multilabel_exact_match', 'multilabel_jaccard', 'multilabel_hamming_loss', 'multilabel_micro_f1', 'multilabel_macro_f1', 'multitask_accuracy', 'multitask_kappa',
  'alt_test_winning_rate', 'alt_test_advantage_probability',
]);

export type Role = 'constraint' | 'agreement';

export function roleOf(t: Pick<ThresholdSpec, 'metric' | 'op'>): Role {
  if (t.op === 'max_drop' || t.op === 'drift') return 'constraint';
  return AGREEMENT_METRICS.has(t.metric) ? 'agreement' : 'constraint';
}

/** A threshold's identity across runs of the same suite. */
export function thresholdKey(t: Pick<ThresholdOutcome, 'metric' | 'op' | 'slice'>): string {
  return `${t.slice ? `${t.slice}/` : ''}${t.metric} ${t.op}`;
}

/**
 * What the agreement metrics are measured against on one side of the split: the chance level
 * of each (the best value a judge that gives every item the same label reaches on these
 * humans: 0 for kappa and correlations, the majority share for accuracy, the best constant's
 * error for mae), and the metric's own unit for when chance already meets the target.
 */
export interface Yardstick {
  chance: Record<string, number>;
  /** mae/rmse: the scale's range in points; every other metric: 1. */
  pointsRange: number;
}

export function yardstickOf(scale: Scale, humans: readonly Label[]): Yardstick {
  const labels = scaleLabels(scale);
  const chance: Record<string, number> = {};
  for (const [name, fn] of Object.entries(judgeMetricFunctions(scale))) {
    let best: number | null = null;
    for (const l of labels) {
      const v = humans.length > 0 ? fn(pairTable(humans, humans.map(() => l), labels)).value : null;
      if (v !== null && (best === null || worsening(name, v - best) < 0)) best = v;
    }
    // A constant judge leaves a correlation undefined: no association, 0.
    chance[name] = best ?? 0;
  }
  return { chance, pointsRange: scale.kind === 'ordinal' ? scale.max - scale.min : 1 };
}

/** The distance from chance to the target in the metric's better direction; its unit when chance already meets the target. */
export function spanOf(metric: string, target: number, yard: Yardstick): number {
  const unit = metric === 'mae' || metric === 'rmse' ? yard.pointsRange : 1;
  const chance = yard.chance[metric];
  if (chance === undefined) return unit;
  const span = LOWER_IS_BETTER.has(metric) ? chance - target : target - chance;
  return span > 1e-9 ? span : unit;
}

/**
 * How far a threshold is from being met: an agreement threshold in units of its chance-to-
 * target span (1 = as far as chance is), a constraint in the metric's own units. Too few
 * items gates as "insufficient" whatever the rubric; the estimate still says which way the
 * rubric moved. An undefined metric counts as a whole unit short.
 */
export function shortfallOf(t: ThresholdOutcome, yard: Yardstick): number {
  if (allowsPass(t)) return 0;
  const relative = t.op === 'max_drop' || t.op === 'drift';
  const value = t.actual ?? (relative || t.on !== 'estimate' ? null : t.estimate);
  if (value === null) return 1;
  let raw: number;
  if (t.op === '>=') raw = Math.max(0, t.target - value);
  else if (t.op === '<=') raw = Math.max(0, value - t.target);
  else raw = Math.max(0, worsening(t.metric, value) - t.target);
  return roleOf(t) === 'agreement' ? raw / spanOf(t.metric, t.target, yard) : raw;
}

/** A threshold's signed margin (positive: met with room), in the same units as its shortfall. */
export function marginOf(t: ThresholdOutcome, yard: Yardstick): number {
  const value = t.actual ?? t.estimate;
  if (value === null || t.op === 'max_drop' || t.op === 'drift') return 0;
  const raw = t.op === '>=' ? value - t.target : t.target - value;
  return roleOf(t) === 'agreement' ? raw / spanOf(t.metric, t.target, yard) : raw;
}

export function objectiveOf(thresholds: readonly ThresholdOutcome[], focus: ReadonlySet<string>, length: number, yard: Yardstick): Objective {
  const failing = thresholds.filter((t) => !allowsPass(t));
  return {
    violation: failing.filter((t) => roleOf(t) === 'constraint').reduce((a, t) => a + shortfallOf(t, yard), 0),
    shortfall: failing.filter((t) => roleOf(t) === 'agreement').reduce((a, t) => a + shortfallOf(t, yard), 0),
    failing: failing.length,
    margin: thresholds.filter((t) => focus.has(thresholdKey(t))).reduce((a, t) => a + marginOf(t, yard), 0),
    length,
  };
}

const EPS = 1e-9;

/** Negative when a ranks before b: constraints first, then agreement, then how many fail, margin on the focus, brevity. */
export function compareObjectives(a: Objective, b: Objective): number {
  if (Math.abs(a.violation - b.violation) > EPS) return a.violation - b.violation;
  if (Math.abs(a.shortfall - b.shortfall) > EPS) return a.shortfall - b.shortfall;
  if (a.failing !== b.failing) return a.failing - b.failing;
  if (Math.abs(a.margin - b.margin) > EPS) return b.margin - a.margin;
  return a.length - b.length;
}

/** Met nothing less than before: a no worse on constraints, then on agreement (point estimates). */
export function noWorse(a: Objective, b: Objective): boolean {
  return a.violation <= b.violation + EPS && (a.violation < b.violation - EPS || a.shortfall <= b.shortfall + EPS);
}

/** Each threshold's margin (relative ones: minus their shortfall), by key: a point for Pareto comparisons. */
export function marginsByThreshold(thresholds: readonly ThresholdOutcome[], yard: Yardstick): Map<string, number> {
  return new Map(thresholds.map((t) => [thresholdKey(t), t.op === 'max_drop' || t.op === 'drift' ? -shortfallOf(t, yard) : marginOf(t, yard)]));
}

/** a is at least as good as b on every threshold. */
export function atLeastAsGood(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  for (const [key, bv] of b) {
    const av = a.get(key);
    if (av === undefined || av < bv - EPS) return false;
  }
  return true;
}

/** a is at least as good as b on every threshold and better on one. */
export function dominates(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  return atLeastAsGood(a, b) && [...b].some(([key, bv]) => a.get(key)! > bv + EPS);
}
