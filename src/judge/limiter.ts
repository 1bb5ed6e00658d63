// Per provider endpoint and model: a cap on calls in flight that adapts to 429s (AIMD:
// halve on a rate limit, grow by one after a window of successes; and a server's own cap on
// calls at once, learned from which in-flight levels it refuses, is not grown past), optional requests- and
// tokens-per-minute budgets (token buckets), and pauses when the provider's rate-limit
// headers say the budget is spent. Every judge using the same endpoint and model shares one.
import { ProviderCallError, type RateLimitHint } from '../providers/provider.js';
import { onAbort } from './on-abort.js';

/** After a decrease, further 429s within this time count as the same overload. */
const DECREASE_COOLDOWN_MS = 1000;
/** How many recent answers the overload test looks at. */
const RECENT_WINDOW = 20;
/** How many recent answers, with the number of calls in flight each was sent at, the cap estimate looks at. */
const LEVEL_WINDOW = 64;
/** After this long without a refusal at the learned cap, one more call at once is tried. */
const PROBE_AFTER_MS = 30_000;

export interface LimiterOptions {
  /** Most calls in flight (the judge's `concurrency`); the run's --concurrency caps it too. */
  maxConcurrency: number;
  rpm?: number;
  tpm?: number;
  now?: () => number;
}

export class Limiter {
  private inFlight = 0;
  private limit: number;
  private successes = 0;
  private readonly waiters: (() => void)[] = [];
  private requestTokens: number;
  private tokenTokens: number;
  private refilledAt: number;
  private pausedUntil = 0;
  private calmUntil = 0;
  private readonly now: () => number;
  private answered = false;
  /** A server's cap on calls at once, learned from refusals that come only above some level; undefined until seen. */
  private ceiling: number | undefined;
  private ceilingSince = 0;
  private readonly levels: { level: number; refused: boolean }[] = [];
  /** Set when the endpoint refused or did not resolve before it ever answered: no call is made again. */
  unreachable: ProviderCallError | undefined;

  constructor(private readonly opts: LimiterOptions) {
    this.limit = opts.maxConcurrency;
    this.now = opts.now ?? Date.now;
    this.requestTokens = opts.rpm ?? Infinity;
    this.tokenTokens = opts.tpm ?? Infinity;
    this.refilledAt = this.now();
  }

  /** The current (adaptive) concurrency limit. */
  get currentLimit(): number {
    return this.limit;
  }

  /** Wait for a slot and for budget for one request of about `tokens` tokens; returns the calls in flight with it (its level). */
  async acquire(tokens: number, signal: AbortSignal): Promise<number> {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      this.refill();
      const wait = this.waitMs(tokens);
      if (this.inFlight < this.limit && wait === 0) {
        this.inFlight++;
        this.requestTokens -= 1;
        this.tokenTokens -= Math.min(tokens, this.opts.tpm ?? Infinity);
        return this.inFlight;
      }
      // Waiting for budget: a timer. Waiting for a slot: a place in line, woken one at a time.
      await new Promise<void>((resolve) => {
        const waiters = this.waiters;
        const timer = wait > 0 ? setTimeout(wake, wait) : undefined;
        let unsubscribe = () => {};
        function wake() {
          clearTimeout(timer);
          unsubscribe();
          const i = waiters.indexOf(wake);
          if (i >= 0) waiters.splice(i, 1);
          resolve();
        }
        if (wait === 0) waiters.push(wake);
        unsubscribe = onAbort(signal, wake);
      });
    }
  }

  release(): void {
    this.inFlight--;
    this.waiters.shift()?.();
  }

  /** A call succeeded: after `limit` successes in a row, allow one more in flight (not past a server's learned cap). */
  onSuccess(hint?: RateLimitHint, level?: number): void {
    this.answered = true;
    this.record(false, level);
    if (hint?.remaining === 0 && hint.resetMs !== undefined) this.pausedUntil = Math.max(this.pausedUntil, this.now() + hint.resetMs);
    // Long calm at the learned cap: the server may take one more now.
    if (this.ceiling !== undefined && this.now() - this.ceilingSince > PROBE_AFTER_MS) {
      this.ceiling++;
      this.ceilingSince = this.now();
    }
    const top = Math.min(this.opts.maxConcurrency, this.ceiling ?? Infinity);
    if (this.limit < top && ++this.successes >= this.limit) {
      this.limit++;
      this.successes = 0;
      this.waiters.shift()?.();
    }
  }

  /**
   * A call failed. An endpoint that refuses connections (or whose name does not resolve)
   * before it has answered once is wrong, not busy: every later call fails at once with its
   * error instead of retrying item by item. Once it has answered, such a failure is a blip
   * and goes through the retries as any other.
   */
  onFailure(err: unknown): unknown {
    if (!(err instanceof ProviderCallError) || !err.unreachable || this.answered) return err;
    this.unreachable ??= new ProviderCallError(err.message, false, err.status, undefined, true);
    return this.unreachable;
  }

  /**
   * The provider said 429. A refusal now and then is the provider's rate limit doing its
   * job — the call waits its retry-after without holding a slot. When refusals are at least
   * half of the recent answers the endpoint is overloaded: halve what may be in flight, once
   * per burst (the calls in flight answer 429 together; halving for each would collapse the
   * limit to 1 for one overload).
   */
  onRateLimited(level?: number): void {
    this.record(true, level);
    this.learnCeiling();
    const now = this.now();
    if (this.recentRefusals() < 0.5 || now < this.calmUntil) return;
    this.calmUntil = now + DECREASE_COOLDOWN_MS;
    this.limit = Math.max(1, Math.floor(this.limit / 2));
    this.successes = 0;
  }

  /** The last answers' outcomes (true = 429), for the overload test. */
  private readonly recent: boolean[] = [];

  private record(refused: boolean, level?: number): void {
    this.recent.push(refused);
    if (this.recent.length > RECENT_WINDOW) this.recent.shift();
    if (level === undefined) return;
    this.levels.push({ level, refused });
    if (this.levels.length > LEVEL_WINDOW) this.levels.shift();
  }

  /**
   * A server that takes only so many calls at once refuses the calls sent above that level
   * and answers the others; a rate limit refuses at any level. When the recent refusals all
   * came above some level, most calls above it were refused and calls at or below it were
   * answered, that level is the server's cap: the limit goes to it and stops growing past it
   * (instead of growing into the refusals and halving again). A refusal at or below the cap
   * (a rate limit) leaves it alone.
   */
  private learnCeiling(): void {
    const refused = this.levels.filter((l) => l.refused);
    if (refused.length < 3) return;
    const lowest = Math.min(...refused.map((l) => l.level));
    const above = this.levels.filter((l) => l.level >= lowest);
    const below = this.levels.filter((l) => l.level < lowest);
    if (below.length < 3 || above.filter((l) => l.refused).length < 0.8 * above.length) return;
    const cap = lowest - 1;
    if (this.ceiling === undefined || cap < this.ceiling) {
      this.ceiling = cap;
      this.ceilingSince = this.now();
    }
    if (this.limit > cap) {
      this.limit = cap;
      this.successes = 0;
    }
  }

  private recentRefusals(): number {
    return this.recent.filter(Boolean).length / this.recent.length;
  }

  private waitMs(tokens: number): number {
    const paused = Math.max(0, this.pausedUntil - this.now());
    const forRequests = this.requestTokens >= 1 ? 0 : ((1 - this.requestTokens) / this.opts.rpm!) * 60_000;
    const need = Math.min(tokens, this.opts.tpm ?? Infinity);
    const forTokens = this.tokenTokens >= need ? 0 : ((need - this.tokenTokens) / this.opts.tpm!) * 60_000;
    return Math.ceil(Math.max(paused, forRequests, forTokens));
  }

  /** Token buckets refill continuously, up to one minute's budget. */
  private refill(): void {
    const now = this.now();
    const minutes = (now - this.refilledAt) / 60_000;
    this.refilledAt = now;
    if (this.opts.rpm) this.requestTokens = Math.min(this.opts.rpm, this.requestTokens + minutes * this.opts.rpm);
    if (this.opts.tpm) this.tokenTokens = Math.min(this.opts.tpm, this.tokenTokens + minutes * this.opts.tpm);
  }
}
