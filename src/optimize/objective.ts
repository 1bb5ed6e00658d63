// How --optimize ranks rubrics: the suite's thresholds first, then margin, then brevity.
import { allowsPass } from '../assert/thresholds.js';
import { worsening } from '../metrics/index.js';
import type { Objective, ThresholdOutcome } from '../types.js';

/** A threshold's identity across runs of the same suite. */
export function thresholdKey(t: Pick<ThresholdOutcome, 'metric' | 'op' | 'slice'>): string {
  return `${t.slice ? `${t.slice}/` : ''}${t.metric} ${t.op}`;
}

/**
 * How far a threshold is from being met, in the metric's units. Too few items gates as
 * "insufficient" whatever the rubric; the estimate still says which way the rubric moved.
 * An undefined metric counts as a whole unit short.
 */
export function shortfallOf(t: ThresholdOutcome): number {
  if (allowsPass(t)) return 0;
  const relative = t.op === 'max_drop' || t.op === 'drift';
  const value = t.actual ?? (relative || t.on !== 'estimate' ? null : t.estimate);
  if (value === null) return 1;
  if (t.op === '>=') return Math.max(0, t.target - value);
  if (t.op === '<=') return Math.max(0, value - t.target);
  return Math.max(0, worsening(t.metric, value) - t.target);
}

function marginOf(t: ThresholdOutcome): number {
  const value = t.actual ?? t.estimate;
  if (value === null || t.op === 'max_drop' || t.op === 'drift') return 0;
  return t.op === '>=' ? value - t.target : t.target - value;
}

export function objectiveOf(thresholds: readonly ThresholdOutcome[], focus: ReadonlySet<string>, length: number): Objective {
  return {
    shortfall: thresholds.reduce((a, t) => a + shortfallOf(t), 0),
    failing: thresholds.filter((t) => !allowsPass(t)).length,
    margin: thresholds.filter((t) => focus.has(thresholdKey(t))).reduce((a, t) => a + marginOf(t), 0),
    length,
  };
}

const EPS = 1e-9;

/** Negative when a ranks before b. */
export function compareObjectives(a: Objective, b: Objective): number {
  if (Math.abs(a.shortfall - b.shortfall) > EPS) return a.shortfall - b.shortfall;
  if (a.failing !== b.failing) return a.failing - b.failing;
  if (Math.abs(a.margin - b.margin) > EPS) return b.margin - a.margin;
  return a.length - b.length;
}
