// Retries with capped exponential backoff and full jitter, honouring retry-after.
import { ProviderCallError } from '../providers/provider.js';
import { onAbort } from './on-abort.js';

export interface RetryPolicy {
  /** Attempts after the first, for errors (5xx, network, timeouts). */
  retries: number;
  /** Attempts after the first for rate limits (429): transient by nature, so allowed more. */
  rateLimitRetries: number;
  baseMs: number;
  capMs: number;
  /** A server asking for a longer wait than this is not waited for. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, rateLimitRetries: 12, baseMs: 500, capMs: 20_000, maxRetryAfterMs: 120_000 };

export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry?: (err: ProviderCallError, delayMs: number) => void,
  random: () => number = Math.random,
): Promise<T> {
  let errors = 0;
  let rateLimits = 0;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof ProviderCallError) || !err.retryable || signal.aborted) throw err;
      const limited = err.status === 429;
      if (limited ? ++rateLimits > policy.rateLimitRetries : ++errors > policy.retries) throw err;
      const delay = retryDelay(err, limited ? rateLimits - 1 : errors - 1, policy, random);
      if (delay === undefined) throw err;
      onRetry?.(err, delay);
      await sleep(delay, signal);
    }
  }
}

/** A server's retry-after below this is not taken as a wait: the backoff applies. */
const MIN_RETRY_AFTER_MS = 50;

/** The wait before retry number n+1, or undefined when the server's wait is too long to honour. */
export function retryDelay(err: ProviderCallError, n: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (err.retryAfterMs !== undefined && err.retryAfterMs >= MIN_RETRY_AFTER_MS) {
    return err.retryAfterMs > policy.maxRetryAfterMs ? undefined : err.retryAfterMs;
  }
  // No wait given, or one too short to be meant ("retry-after: 0" made 13 retries in 0.4 s):
  // the exponential backoff.
  return random() * Math.min(policy.capMs, policy.baseMs * 2 ** n);
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
    const unsubscribe = onAbort(signal, () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });
}
