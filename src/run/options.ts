// What a run is told: the options of runSuites and their defaults.
import { join } from 'node:path';
import type { VerdictCache } from '../cache/store.js';
import { DEFAULT_PRICES, type Price } from '../cost/prices.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../judge/retry.js';
import { printable } from '../text/printable.js';
import type { Reporter } from '../types.js';

export interface RunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  concurrency: number;
  /** Bypass the cache entirely (no reads, no writes). */
  noCache: boolean;
  /** Never call a provider: a cache miss is an error. */
  offline: boolean;
  /** Stop after the first suite that does not pass. */
  bail: boolean;
  timeoutMs: number;
  retry: RetryPolicy;
  cacheDir: string;
  reporters: Reporter[];
  signal: AbortSignal;
  warn: (message: string) => void;
  /** USD per million tokens by model (defaults merged with the config's `prices`). */
  prices: Record<string, Price>;
  /** Stop before spending more than this many USD on model calls. */
  maxCost?: number;
  /** A verdict cache already open (the caller's, kept open): --optimize runs many evaluations on one. */
  verdictCache?: VerdictCache;
}

/** Calls in flight at once: enough to keep an API busy, few enough to stay under most rate limits. */
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_TIMEOUT_MS = 60_000;

export function defaultRunOptions(partial: Partial<RunOptions> & { cwd: string }): RunOptions {
  return {
    env: process.env,
    concurrency: DEFAULT_CONCURRENCY,
    noCache: false,
    offline: false,
    bail: false,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    retry: DEFAULT_RETRY,
    cacheDir: join(partial.cwd, '.judge-cache'),
    reporters: [],
    signal: new AbortController().signal,
    warn: (m) => process.stderr.write(`warning: ${printable(m)}\n`),
    prices: DEFAULT_PRICES,
    ...partial,
  };
}
