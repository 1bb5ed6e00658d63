// The engine: plan every suite, replay the cache, judge the misses through one global
// pool (so many small suites keep the provider busy), score each suite as it completes.
import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { skippedSuite, itemResult, scoreSuite } from '../assert/score-suite.js';
import { scoreCombined } from '../assert/score-combined.js';
import { VerdictCache } from '../cache/store.js';
import { ConfigError, OverBudgetError, relativeTo } from '../errors.js';
import { checkTemplateFields } from '../judge/prompt.js';
import type { Provider } from '../judge/provider.js';
import { createProvider, missingCredentials, modelLabel } from '../judge/providers/index.js';
import type { ItemResult, Reporter, ResolvedJudge, ResolvedSuite, RunStats, Spend, SuiteResult, Verdict } from '../types.js';
import { callJudge, cachedVerdict, planTask, type JudgeTask } from './evaluate-item.js';
import { Limiter } from './limiter.js';
import { runPool } from './pool.js';
import { DEFAULT_PRICES, priceOf, type Price } from '../cost/prices.js';
import { addSpend, emptySpend, estimateCall } from '../cost/spend.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { rationaleSimilarities } from '../embeddings/rationale-similarity.js';

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
const WORKERS_PER_CALL = 4;

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
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    prices: DEFAULT_PRICES,
    ...partial,
  };
}

interface SuitePlan {
  suite: ResolvedSuite;
  tasks: JudgeTask[];
  /** Filled in as verdicts arrive (from the cache first, then live). */
  items: (ItemResult | undefined)[];
  pending: number;
  started: number;
  done: boolean;
}

/**
 * --max-cost: before any call, estimate what the uncached calls will cost (prompt size,
 * samples, the model's price) and refuse a run that would exceed the budget.
 */
function checkBudget(plans: SuitePlan[], opts: RunOptions): void {
  if (opts.maxCost === undefined) return;
  let estimate = 0;
  let calls = 0;
  for (const plan of plans) {
    const model = modelLabel(plan.suite.judge);
    plan.tasks.forEach((task, i) => {
      if (plan.items[i] || !task.provider.cacheable) return;
      const price = priceOf(model, opts.prices);
      if (!price) throw new ConfigError(`--max-cost: no price for model "${model}" (judge "${plan.suite.judge.id}"); add it under prices in judge-test.config`);
      const chars = task.messages.reduce((a, m) => a + m.content.length, 0);
      estimate += task.keys.length * estimateCall(chars, price);
      calls += task.keys.length;
    });
  }
  if (estimate > opts.maxCost) {
    throw new OverBudgetError(`--max-cost ${opts.maxCost}: the ${calls} uncached calls would cost about $${estimate.toFixed(4)} (prompt size / 4 input tokens, 80 output tokens each); raise the budget or run fewer suites`);
  }
}

export interface RunOutcome {
  results: SuiteResult[];
  stats: RunStats;
}

export async function runSuites(suites: ResolvedSuite[], opts: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const cache = opts.verdictCache ?? new VerdictCache(opts.cacheDir, opts.warn);
  const stats: RunStats = { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 0, cancelled: false, spent: emptySpend(), saved: emptySpend() };
  const suiteSpend = new Map<ResolvedSuite, Spend>();
  const results = new Map<ResolvedSuite, SuiteResult>();

  // Plan: everything that can fail on bad input fails here, before any call.
  const providers = new Map<string, Provider>();
  // One limiter per endpoint and model, shared by the judges that use them; the tightest limits win.
  const limiters = new Map<string, Limiter>();
  const endpoint = (j: ResolvedJudge) => `${j.provider}|${j.baseURL ?? (j.provider === 'openai' ? opts.env.OPENAI_BASE_URL : opts.env.ANTHROPIC_BASE_URL) ?? ''}|${j.model ?? ''}`;
  const limiterFor = (judge: ResolvedJudge): Limiter => {
    const key = endpoint(judge);
    const same = suites.map((s) => s.judge).filter((j) => endpoint(j) === key);
    const min = (xs: (number | undefined)[]) => {
      const v = xs.filter((x): x is number => x !== undefined);
      return v.length ? Math.min(...v) : undefined;
    };
    let limiter = limiters.get(key);
    if (!limiter) {
      const rpm = min(same.map((j) => j.limits.rpm));
      const tpm = min(same.map((j) => j.limits.tpm));
      limiter = new Limiter({ maxConcurrency: Math.min(opts.concurrency, min(same.map((j) => j.limits.concurrency)) ?? Infinity), ...(rpm ? { rpm } : {}), ...(tpm ? { tpm } : {}) });
      limiters.set(key, limiter);
    }
    return limiter;
  };
  const plans: SuitePlan[] = [];
  const pendingCached: [SuitePlan, number, Verdict][] = [];
  for (const suite of suites) {
    // A multi-criteria suite's combined view is scored from its criterion views, below.
    if (suite.combined) continue;
    const judge = suite.judge;
    const providerKey = `${judge.file}#${judge.id}`;
    let provider = providers.get(providerKey);
    if (!provider) {
      provider = await createProvider({ judge, env: opts.env, timeoutMs: opts.timeoutMs + 5_000, warn: opts.warn });
      providers.set(providerKey, provider);
    }
    provider.checkItems?.(suite.items);
    checkTemplateFields(judge, suite.items);
    const limiter = provider.cacheable ? limiterFor(judge) : undefined;
    const tasks = suite.items.map((item) => ({ ...planTask(judge, provider, item), ...(limiter ? { limiter } : {}) }));
    const verdicts = tasks.map((t) => (opts.noCache ? undefined : cachedVerdict(t, cache)));
    const misses = tasks.filter((t, i) => !verdicts[i] && t.provider.cacheable);
    if (misses.length > 0) {
      const first = misses[0]!;
      const where = `suite "${suite.name}" (${relativeTo(opts.cwd, suite.file)}), judge "${judge.id}", item "${first.item.id}"`;
      if (opts.offline) {
        throw new ConfigError(`--offline: no cached verdict for ${misses.length} item(s), first: ${where}`);
      }
      const missing = missingCredentials(judge, opts.env);
      // Only a suite with uncached items needs a key: a committed cache replays without one.
      if (missing && suite.skipWithoutKey) {
        results.set(suite, skippedSuite(suite, `${missing} (${misses.length} of ${tasks.length} items not cached)`));
        continue;
      }
      if (missing) throw new ConfigError(`${missing}: ${misses.length} item(s) are not cached, first: ${where}`);
    }
    const plan: SuitePlan = { suite, tasks, items: tasks.map(() => undefined), pending: tasks.length, started: performance.now(), done: false };
    verdicts.forEach((v, i) => v && pendingCached.push([plan, i, v]));
    plans.push(plan);
  }

  checkBudget(plans, opts);

  const ordered = () => suites.map((s) => results.get(s)).filter((r): r is SuiteResult => r !== undefined);
  opts.reporters.forEach((r) => r.onRunStart?.({ suites, totalItems: plans.reduce((a, p) => a + p.tasks.length, 0) }));
  for (const r of results.values()) opts.reporters.forEach((rep) => rep.onSuiteDone?.(r));

  const controller = new AbortController();
  // Judge calls and waits share one listener (onAbort); the embedding requests of suites
  // finishing together each add their own, possibly more than node's warning threshold.
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort(opts.signal.reason);
  if (opts.signal.aborted) stop();
  opts.signal.addEventListener('abort', stop, { once: true });
  const bailed = () => controller.abort(new Error('bail'));
  let budgetStop = false;
  const overBudget = () => {
    if (budgetStop) return;
    budgetStop = true;
    opts.warn(`--max-cost ${opts.maxCost} reached ($${stats.spent!.usd!.toFixed(4)} spent): no more calls are started`);
    controller.abort(new Error('max-cost'));
  };

  // Suites with rationale embeddings are scored once those are in: their promises.
  const finishing: Promise<void>[] = [];
  const finish = (plan: SuitePlan) => {
    plan.done = true;
    if (plan.suite.rationaleEmbedding) finishing.push(embedThenComplete(plan));
    else complete(plan);
  };
  const embedThenComplete = async (plan: SuitePlan) => {
    const items = plan.items as ItemResult[];
    const both = items.filter((r) => r.verdict.status === 'ok' && r.verdict.reason && r.item.notes);
    try {
      const out = await rationaleSimilarities(both.map((r) => ({ reason: r.verdict.reason, note: r.item.notes! })), plan.suite.rationaleEmbedding!, {
        env: opts.env,
        cacheDir: opts.cacheDir,
        noCache: opts.noCache,
        offline: opts.offline,
        signal: controller.signal,
        timeoutMs: opts.timeoutMs,
        retry: opts.retry,
      });
      stats.calls += out.calls;
      out.values.forEach((v, i) => {
        if (typeof v === 'number') both[i]!.rationaleSemanticSimilarity = v;
      });
      if (out.problem) opts.warn(`suite "${plan.suite.name}": ${out.problem}`);
      complete(plan, out.problem);
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      plan.done = false; // reported below as cancelled, with what was judged
    }
  };
  const complete = (plan: SuitePlan, semanticProblem?: string) => {
    const result = scoreSuite(plan.suite, plan.items as ItemResult[], performance.now() - plan.started, semanticProblem);
    result.spent = suiteSpend.get(plan.suite) ?? emptySpend();
    results.set(plan.suite, result);
    opts.reporters.forEach((r) => r.onSuiteDone?.(result));
    if (opts.bail && result.status !== 'passed') bailed();
    // The combined view of a multi-criteria suite, as soon as its last criterion is scored.
    for (const c of combinedViews) if (!results.has(c) && c.combined!.members.every((m) => results.has(m))) completeCombined(c);
  };
  const combinedViews = suites.filter((s) => s.combined);
  const completeCombined = (suite: ResolvedSuite) => {
    const result = scoreCombined(suite, suite.combined!.members.map((m) => results.get(m)), performance.now() - started);
    results.set(suite, result);
    opts.reporters.forEach((r) => r.onSuiteDone?.(result));
  };
  const record = (plan: SuitePlan, index: number, verdict: Verdict) => {
    const result = itemResult(plan.suite, index, verdict);
    plan.items[index] = result;
    if (verdict.cached) stats.cached++;
    if (verdict.status === 'error') stats.errors++;
    if (verdict.usage && plan.tasks[index]!.provider.cacheable) {
      const model = modelLabel(plan.suite.judge);
      if (verdict.cached) addSpend(stats.saved!, verdict.usage, model, opts.prices);
      else {
        addSpend(stats.spent!, verdict.usage, model, opts.prices);
        const s = suiteSpend.get(plan.suite) ?? emptySpend();
        addSpend(s, verdict.usage, model, opts.prices);
        suiteSpend.set(plan.suite, s);
        // The budget is checked as money is spent: no new call starts past it.
        if (opts.maxCost !== undefined && stats.spent!.usd !== null && stats.spent!.usd >= opts.maxCost) overBudget();
      }
    }
    opts.reporters.forEach((r) => r.onItemDone?.(plan.suite, result));
    if (--plan.pending === 0 && !controller.signal.aborted) finish(plan);
  };

  // Cached items first: a fully cached suite is scored before any live call starts.
  for (const [plan, index, verdict] of pendingCached) record(plan, index, verdict);

  // The criterion views of a multi-criteria suite share each item's call.
  const shared = new Map<string, Promise<Verdict>>();
  const work = plans.flatMap((plan) => plan.tasks.map((task, index) => ({ plan, task, index })).filter(({ index }) => !plan.items[index]));
  try {
    // More workers than calls: a task waiting out a retry-after must not hold back the
    // others. The endpoint limiters keep model calls in flight within --concurrency.
    await runPool(work, opts.concurrency * WORKERS_PER_CALL, controller.signal, async ({ plan, task, index }) => {
      if (plan.done) return;
      try {
        const verdict = await callJudge(task, {
          retry: opts.retry,
          timeoutMs: opts.timeoutMs,
          signal: controller.signal,
          onCall: () => (task.provider.cacheable ? stats.calls++ : stats.local++),
          env: opts.env,
          shared,
          ...(opts.noCache ? {} : { cache }),
        });
        record(plan, index, verdict);
      } catch (err) {
        if (!controller.signal.aborted) throw err;
      }
    });
    await Promise.all(finishing);
  } finally {
    opts.signal.removeEventListener('abort', stop);
    if (!opts.verdictCache) cache.close();
  }

  // Suites left unfinished by Ctrl-C or --bail are reported as such, with what was judged.
  stats.cancelled = opts.signal.aborted;
  if (budgetStop) stats.stoppedByBudget = true;
  for (const plan of plans) {
    if (plan.done) continue;
    const judged = plan.items.filter(Boolean).length;
    const why = stats.cancelled
      ? `cancelled after ${judged} of ${plan.tasks.length} items`
      : budgetStop
        ? `stopped by --max-cost after ${judged} of ${plan.tasks.length} items`
        : 'not run (--bail)';
    const result: SuiteResult = { ...skippedSuite(plan.suite, why), status: stats.cancelled || budgetStop ? 'error' : 'skipped' };
    results.set(plan.suite, result);
    opts.reporters.forEach((r) => r.onSuiteDone?.(result));
  }
  // Combined views whose criteria did not all finish (cancelled, --bail, skipped): reported as such.
  for (const c of combinedViews) if (!results.has(c)) completeCombined(c);
  stats.durationMs = performance.now() - started;
  const all = ordered();
  for (const r of opts.reporters) await r.onRunDone(all, stats);
  return { results: all, stats };
}
