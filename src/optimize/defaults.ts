// --optimize's settings and their defaults, apart from the search itself so that reading the
// settings (judge-test.config, flags) loads none of the optimizer.
import type { ProviderName } from '../types.js';

/** Which dev items the optimizer is shown: see select-examples.ts. */
export type ExampleStrategy = 'balanced' | 'misalignment' | 'patterns';

export interface OptimizeSettings {
  /** Rounds of candidates (`--optimize-rounds`). */
  rounds: number;
  /** Candidates proposed per round. */
  candidates: number;
  /** Dev items shown to the optimizer per round (and the pool few-shot anchors come from). */
  examples: number;
  strategy: ExampleStrategy;
  /** Misalignments shown for pattern discovery. */
  maxMisalignments: number;
  seed: number;
  /** Confidence that an accepted rubric is better on the holdout, over the whole search (acceptance.ts). */
  confidence: number;
  /** A candidate's few-shot set: label-balanced from the shown items (select-examples.ts), or exactly as the optimizer named it. */
  fewShot: 'balanced' | 'as_named';
}

export const DEFAULT_OPTIMIZE: OptimizeSettings = { rounds: 3, candidates: 3, examples: 8, strategy: 'misalignment', maxMisalignments: 40, seed: 0, confidence: 0.9, fewShot: 'balanced' };

/** The optimizer model; each field defaults to the judge's own. */
export interface OptimizerChoice {
  provider?: ProviderName;
  model?: string;
  baseURL?: string;
  temperature?: number;
}

/** Optimizer and judge calls one --optimize run may make, unless the config says. */
export const DEFAULT_MAX_CALLS = 5000;
