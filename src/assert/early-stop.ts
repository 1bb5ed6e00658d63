// Deciding early on a big suite (`early_stop: {confidence, looks}`): the items are judged in a
// seeded random order and, at a few planned looks, the suite stops when every threshold is
// settled — its interval, at the look's share of the error budget, entirely on one side of the
// target. The budget 1 − confidence is spent evenly over the looks (alpha spending with equal
// shares — the Bonferroni bound over looks, Lan & DeMets 1983): however many looks there are,
// the chance that any of them settles a threshold the wrong way stays at most 1 − confidence.
import { seededRandom } from '../metrics/random.js';
import type { ResolvedSuite, ThresholdOutcome } from '../types.js';

export interface EarlyStopOptions {
  confidence: number;
  looks: number;
}

/** The item counts at which a suite of `n` items looks: evenly spaced, the last one all of them. */
export function lookSizes(n: number, looks: number): number[] {
  const sizes = Array.from({ length: looks }, (_, k) => Math.ceil((n * (k + 1)) / looks));
  return [...new Set(sizes)].filter((s) => s > 0);
}

/** The confidence of each look's intervals: the error budget split over the looks. */
export function lookConfidence(opts: EarlyStopOptions): number {
  return 1 - (1 - opts.confidence) / opts.looks;
}

/** The suite's items in a seeded random order (the same on every run): the first n are judged first. */
export function earlyOrder<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed + 5309);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Whether a threshold checked at a look (its interval at the look's confidence) is settled:
 * 'pass' when the whole interval meets the target, 'fail' when none of it does, undefined when
 * it straddles the target or the threshold cannot be settled early (relative ones: max_drop,
 * drift; undefined or insufficient values).
 */
export function settled(t: ThresholdOutcome): 'pass' | 'fail' | undefined {
  if (t.op !== '>=' && t.op !== '<=') return undefined;
  if (t.status === 'insufficient' || t.ci === null || t.estimate === null) return undefined;
  const [lo, hi] = t.ci;
  if (t.op === '>=') return lo >= t.target ? 'pass' : hi < t.target ? 'fail' : undefined;
  return hi <= t.target ? 'pass' : lo > t.target ? 'fail' : undefined;
}

/** Every threshold of the look settled (a suite with a threshold that cannot settle early never stops early). */
export function allSettled(thresholds: readonly ThresholdOutcome[]): boolean {
  return thresholds.length > 0 && thresholds.every((t) => settled(t) !== undefined);
}

/** The suite to score at a look: its first `n` items in the early order, intervals at the look's confidence. */
export function atLook(suite: ResolvedSuite, ordered: ResolvedSuite['items'], n: number, opts: EarlyStopOptions): ResolvedSuite {
  return { ...suite, items: ordered.slice(0, n), bootstrap: { ...suite.bootstrap, confidence: lookConfidence(opts) } };
}
