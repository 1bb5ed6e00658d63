// The engine: plan every suite, replay the cache, judge the misses through one global
// pool (so many small suites keep the provider busy), score each suite as it completes.
import { setMaxListeners } from 'node:events';
import { skippedSuite, itemResult, scoreSuite } from '../assert/score-suite.js';
import { scoreCombined } from '../assert/score-combined.js';
import { compareJudges } from '../assert/compare-judges.js';
import { scorePanel } from '../assert/score-panel.js';
import { loadCustomMetrics } from '../assert/custom-metrics.js';
import { canStopEarly, runWithEarlyStop } from './early-stop.js';
import { VerdictCache } from '../cache/store.js';
import { otherWriters } from '../cache/writers.js';
import { ConfigError, OverBudgetError, relativeTo } from '../errors.js';
import { checkTemplateFields } from '../judge/prompt.js';
import type { Provider } from '../providers/provider.js';
import { createProvider, endpointOf, missingCredentials, modelLabel } from '../providers/index.js';
import type { Item, ItemResult, ResolvedJudge, ResolvedSuite, RunStats, Spend, SuiteResult, Verdict } from '../types.js';
import { callJudge, cachedVerdict, planTask, type JudgeTask } from '../judge/evaluate-item.js';
import { Limiter } from '../judge/limiter.js';
import { runPool, WorkQueue } from './pool.js';
import { priceOf } from '../cost/prices.js';
import { addSpend, emptySpend, estimateCall } from '../cost/spend.js';
import { rationaleSimilarities } from '../embeddings/rationale-similarity.js';
import type { RunOptions } from './options.js';

export { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, defaultRunOptions, type RunOptions } from './options.js';

/** Workers per call in flight: a task waiting out a retry-after must not hold back the others. */
const WORKERS_PER_CALL = 4;

interface SuitePlan {
  suite: ResolvedSuite;
  /** The suite's provider calls a model: its verdicts cost money, and the cache's replays count as saved. */
  cacheable: boolean;
  /** One per item; an item the cache answered lets its task go once recorded (a million-item replay). */
  tasks: (JudgeTask | undefined)[];
  /** Filled in as verdicts arrive (from the cache first, then live). */
  items: (ItemResult | undefined)[];
  /** What the cache answered while planning, recorded once the run starts (then dropped). */
  cached: (Verdict | undefined)[];
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
      if (!task || plan.cached[i] || !task.provider.cacheable) return;
      const price = priceOf(model, opts.prices);
      if (!price) throw new ConfigError(`--max-cost: no price for model "${model}" (judge "${plan.suite.judge.id}"); add it under prices in judge-test.config`);
      estimate += task.keys.length * estimateCall(task.promptChars, price);
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
  // A suite that may decide early is judged look by look first (run/early-stop.ts).
  if (suites.some((s) => canStopEarly(s, opts))) return runWithEarlyStop(suites, opts, runNow);
  return runNow(suites, opts);
}

async function runNow(suites: ResolvedSuite[], opts: RunOptions): Promise<RunOutcome> {
  const run = new SuiteRun(suites, opts);
  try {
    // Everything that can fail on bad input fails here, before any call.
    await loadCustomMetrics(suites);
    await run.prepare();
    if (run.canPipeline()) await run.judgeWhilePlanning();
    else await run.planThenJudge();
  } finally {
    run.close();
  }
  return run.finish();
}

/** With this many items or more, the first calls start while the rest is planned. */
const PIPELINE_FROM = 1000;
/** Items planned between two turns of the event loop while calls are running. */
const PLAN_CHUNK = 256;
/** Verdicts the warm-up scoring uses at most (enough to reach every path, cheap to score). */
const WARM_UP_ITEMS = 2000;
/** Warm-up passes at most, each with this many resamples: V8 compiles and optimizes the
 *  scoring code over the first passes' loops, not by their length (2 × 150 resamples warm it
 *  as well as 4 × 250, for half the CPU: `BENCH_WARM=4x250 node bench/cold-paths.mjs`). */
const WARM_UP_PASSES = 2;
const WARM_UP_RESAMPLES = 150;
/** A first pass starts only with this long left to wait (one cold pass over 2,000 items: ≈ 40–55 ms). */
const WARM_UP_MIN_WAIT_MS = 100;

/** A suite ready to plan: its provider (one per judge and endpoint) and endpoint limiter. */
interface Prepared {
  suite: ResolvedSuite;
  provider: Provider;
  limiter: Limiter | undefined;
}

interface Work {
  plan: SuitePlan;
  task: JudgeTask;
  index: number;
}

/** One runSuites call: its plans, the results as they come in, and what it spent. */
class SuiteRun {
  private readonly prepared: Prepared[] = [];
  readonly plans: SuitePlan[] = [];
  private readonly started = performance.now();
  private readonly cache: VerdictCache;
  private readonly stats: RunStats = { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 0, cancelled: false, spent: emptySpend(), saved: emptySpend() };
  private readonly suiteSpend = new Map<ResolvedSuite, Spend>();
  private readonly results = new Map<ResolvedSuite, SuiteResult>();
  private readonly combinedViews: ResolvedSuite[];
  /** Suites with rationale embeddings are scored once those are in: their promises. */
  private readonly finishing: Promise<void>[] = [];
  /** Ctrl-C (the caller's signal), --bail and --max-cost stop the run through this one. */
  private readonly controller = new AbortController();
  private readonly stop = () => this.controller.abort(this.opts.signal.reason);
  private budgetStop = false;
  /** A running mean of live call latencies (the warm-up's estimate of the wait left). */
  private callLatencyMs: number | undefined;

  constructor(
    private readonly suites: ResolvedSuite[],
    private readonly opts: RunOptions,
  ) {
    this.cache = opts.verdictCache ?? new VerdictCache(opts.cacheDir, opts.warn);
    // Suites scored from others: a multi-criteria suite's combined view, a panel.
    this.combinedViews = suites.filter((s) => s.combined || s.panel);
  }

  /** A provider per suite and the checks of its items; a suite that failed to load is reported as such. */
  async prepare(): Promise<void> {
    const { opts } = this;
    const providers = new Map<string, Provider>();
    const limiterFor = endpointLimiters(this.suites, opts);
    for (const suite of this.suites) {
      // A multi-criteria suite's combined view is scored from its criterion views, below.
      if (suite.combined || suite.panel) continue;
      if (suite.loadError) {
        this.results.set(suite, { ...skippedSuite(suite, suite.loadError.message), status: 'error' });
        continue;
      }
      const judge = suite.judge;
      // One provider per judge and endpoint: --judge-model variants share a judge's file and id, not its model.
      const providerKey = JSON.stringify([judge.file, judge.id, judge.provider, judge.model ?? null, judge.baseURL ?? null]);
      let provider = providers.get(providerKey);
      if (!provider) {
        provider = await createProvider({ judge, env: opts.env, timeoutMs: opts.timeoutMs + 5_000, warn: opts.warn });
        providers.set(providerKey, provider);
      }
      provider.checkItems?.(suite.items);
      checkTemplateFields(judge, suite.items);
      this.prepared.push({ suite, provider, limiter: provider.cacheable ? limiterFor(judge) : undefined });
    }
  }

  /**
   * Can the first calls start while the rest is planned? Not for a small run (nothing to
   * gain), nor when a check needs every item's plan before any call: --max-cost (the
   * estimate), --offline (nothing may be called), a judge without its key (an error only if
   * its suite has uncached items), another run on the same cache (the work starts halfway).
   */
  canPipeline(): boolean {
    const { opts } = this;
    if (opts.maxCost !== undefined || opts.offline) return false;
    if (this.prepared.reduce((a, p) => a + p.suite.items.length, 0) < PIPELINE_FROM) return false;
    if (this.prepared.some((p) => p.provider.cacheable && missingCredentials(p.suite.judge, opts.env))) return false;
    return opts.noCache || otherWriters(this.cache.dir) === 0;
  }

  /** Plan every suite (the cache replayed, credentials and budget checked), then judge the misses. */
  async planThenJudge(): Promise<void> {
    const { opts } = this;
    for (const p of this.prepared) {
      const plan = this.planSuite(p);
      if (plan) this.plans.push(plan);
    }
    checkBudget(this.plans, opts);
    this.start(this.plans.reduce((a, p) => a + p.tasks.length, 0));
    // Cached items first: a fully cached suite is scored before any live call starts.
    for (const plan of this.plans) {
      plan.cached.forEach((verdict, index) => {
        if (!verdict) return;
        this.record(plan, index, verdict);
        plan.tasks[index] = undefined;
      });
      plan.cached = [];
    }
    // A suite with nothing to judge (every item unlabeled) is scored as it is.
    for (const plan of this.plans) if (plan.tasks.length === 0) this.finishSuite(plan);
    let work = this.plans.flatMap((plan) => plan.tasks.flatMap((task, index): Work[] => (task && !plan.items[index] ? [{ plan, task, index }] : [])));
    // Another run is filling the same cache: start halfway through, so the two do not call
    // the same items in lock-step; each then finds the other's answers in the cache.
    if (!opts.noCache && work.length > 0) {
      this.cache.beginWriting();
      if (work.length > 1 && otherWriters(this.cache.dir) > 0) work = [...work.slice(work.length >> 1), ...work.slice(0, work.length >> 1)];
    }
    await this.judge(WorkQueue.of(work));
  }

  /** One suite's tasks with the cache replayed; --offline and a missing key checked. Undefined: skipped (no key). */
  private planSuite(prepared: Prepared): SuitePlan | undefined {
    const { opts } = this;
    const { suite } = prepared;
    const judge = suite.judge;
    const tasks: JudgeTask[] = [];
    const verdicts: (Verdict | undefined)[] = [];
    for (const item of suite.items) {
      const { task, verdict } = this.planItem(prepared, item);
      tasks.push(task);
      verdicts.push(verdict);
    }
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
        this.results.set(suite, skippedSuite(suite, `${missing} (${misses.length} of ${tasks.length} item${tasks.length === 1 ? '' : 's'} not cached)`));
        return undefined;
      }
      if (missing) throw new ConfigError(`${missing}: ${misses.length} item(s) are not cached, first: ${where}`);
    }
    return newPlan(prepared, tasks, verdicts);
  }

  /** An item's task and, unless --no-cache, its cached verdict. */
  private planItem({ suite, provider, limiter }: Prepared, item: Item): { task: JudgeTask; verdict: Verdict | undefined } {
    const task = planTask(suite.judge, provider, item, limiter);
    const verdict = this.opts.noCache ? undefined : cachedVerdict(task, this.cache);
    return { task, verdict };
  }

  /**
   * Plan and judge at once: each item is planned and looked up in the cache, a cached one
   * recorded and a miss handed to the running pool, a chunk at a time between turns of the
   * event loop, so the first calls leave while the rest of a big run is still being planned.
   */
  async judgeWhilePlanning(): Promise<void> {
    const { opts, controller } = this;
    this.start(this.prepared.reduce((a, p) => a + p.suite.items.length, 0));
    const queue = WorkQueue.open<Work>();
    let failed = false;
    const judging = this.judge(queue);
    judging.catch(() => (failed = true)); // awaited below; planning stops meanwhile
    // Every suite's plan exists from the start: one that a stop (Ctrl-C, --bail) leaves
    // unplanned is still reported, as not run.
    const plans = this.prepared.map((p) => newPlan(p, new Array<JudgeTask | undefined>(p.suite.items.length), []));
    this.plans.push(...plans);
    try {
      let planned = 0;
      for (const [p, prepared] of this.prepared.entries()) {
        const plan = plans[p]!;
        const items = prepared.suite.items;
        plan.started = performance.now();
        if (items.length === 0) this.finishSuite(plan);
        for (let index = 0; index < items.length; index++) {
          const { task, verdict } = this.planItem(prepared, items[index]!);
          if (verdict) this.record(plan, index, verdict);
          else {
            // Marked as writing from the first miss on (a fully cached run writes nothing); once only.
            if (!opts.noCache) this.cache.beginWriting();
            plan.tasks[index] = task;
            queue.push({ plan, task, index });
          }
          if (++planned % PLAN_CHUNK === 0) {
            await new Promise((resolve) => setImmediate(resolve));
            if (failed || controller.signal.aborted) return;
          }
        }
      }
    } catch (err) {
      // Nothing more is started; the calls in flight end as at Ctrl-C.
      controller.abort(err);
      throw err;
    } finally {
      queue.close();
      await judging;
    }
  }

  /** Tell the reporters what runs, and listen for the caller's stop. */
  private start(totalItems: number): void {
    const { opts } = this;
    opts.reporters.forEach((r) => r.onRunStart?.({ suites: this.suites, totalItems }));
    for (const r of this.results.values()) opts.reporters.forEach((rep) => rep.onSuiteDone?.(r));
    // Judge calls and waits share one listener (onAbort); the embedding requests of suites
    // finishing together each add their own, possibly more than node's warning threshold.
    setMaxListeners(0, this.controller.signal);
    if (opts.signal.aborted) this.stop();
    opts.signal.addEventListener('abort', this.stop, { once: true });
  }

  /** Call the judge on every item the cache did not answer, through one pool. */
  private async judge(work: WorkQueue<Work>): Promise<void> {
    const { opts, controller } = this;
    // The criterion views of a multi-criteria suite share each item's call.
    const shared = new Map<string, Promise<Verdict>>();
    // More workers than calls: a task waiting out a retry-after must not hold back the
    // others. The endpoint limiters keep model calls in flight within --concurrency.
    await runPool(work, opts.concurrency * WORKERS_PER_CALL, controller.signal, async ({ plan, task, index }) => {
      if (plan.done) return;
      try {
        const verdict = await callJudge(task, {
          retry: opts.retry,
          timeoutMs: opts.timeoutMs,
          signal: controller.signal,
          onCall: () => (task.provider.cacheable ? this.stats.calls++ : this.stats.local++),
          env: opts.env,
          shared,
          ...(opts.noCache ? {} : { cache: this.cache }),
        });
        this.record(plan, index, verdict);
        plan.tasks[index] = undefined;
      } catch (err) {
        if (!controller.signal.aborted) throw err;
      }
    }, () => {
      const drainedAt = performance.now();
      setImmediate(() => this.warmUpScoring(drainedAt, 0, 0));
    });
    await Promise.all(this.finishing);
  }

  /**
   * Every task has been taken and the last calls are in flight: the process only waits now.
   * Score an unfinished suite on the verdicts it has (at most WARM_UP_ITEMS) and throw the
   * result away, a few times: the scoring after the last answer then runs optimized code
   * (2,000 items: ≈ 42 ms cold, ≈ 25 ms after the passes, bench/cold-paths.mjs) instead of
   * compiling it while the user waits (bench/runner.mjs: "exit … after the last answer").
   * A pass starts only while the wait left (a typical call's latency since the last task was
   * taken) is surely longer than it, so it never holds back the last answer; one turn of the
   * event loop between passes lets the answers that come in meanwhile through. Not a suite
   * with custom metrics: their modules are the user's code, and see only final data.
   */
  private warmUpScoring(drainedAt: number, pass: number, lastPassMs: number): void {
    if (pass >= WARM_UP_PASSES || this.controller.signal.aborted) return;
    const waitLeft = (this.callLatencyMs ?? 0) - (performance.now() - drainedAt);
    if (waitLeft < Math.max(WARM_UP_MIN_WAIT_MS, 2 * lastPassMs)) return;
    const plan = this.plans.find((p) => !p.done && !p.suite.customMetrics?.length);
    if (!plan) return;
    const judged: ItemResult[] = [];
    for (const r of plan.items) if (r && judged.push(r) >= WARM_UP_ITEMS) break;
    if (judged.length === 0) return;
    const start = performance.now();
    try {
      const { bootstrap } = plan.suite;
      scoreSuite({ ...plan.suite, bootstrap: { ...bootstrap, resamples: Math.min(bootstrap.resamples, WARM_UP_RESAMPLES) } }, judged, 0);
    } catch {
      return; // only a warm-up: the real scoring reports whatever this met
    }
    const took = performance.now() - start;
    setImmediate(() => this.warmUpScoring(drainedAt, pass + 1, took));
  }

  close(): void {
    this.opts.signal.removeEventListener('abort', this.stop);
    // A cache shared with the caller stays open, but this run's lines are on disk when it returns.
    if (!this.opts.verdictCache) this.cache.close();
    else this.cache.flush();
  }

  /** Report the suites left unfinished by Ctrl-C, --bail or --max-cost, then the run. */
  async finish(): Promise<RunOutcome> {
    const { opts, stats } = this;
    stats.cancelled = opts.signal.aborted;
    if (this.budgetStop) stats.stoppedByBudget = true;
    if (opts.noCache) stats.cacheOff = true;
    for (const plan of this.plans) {
      if (plan.done) continue;
      const judged = plan.items.filter(Boolean).length;
      const of = `${judged} of ${plan.tasks.length} item${plan.tasks.length === 1 ? '' : 's'}`;
      const why = stats.cancelled ? `cancelled after ${of}` : this.budgetStop ? `stopped by --max-cost after ${of}` : 'not run (--bail)';
      const result: SuiteResult = { ...skippedSuite(plan.suite, why), status: stats.cancelled || this.budgetStop ? 'error' : 'skipped' };
      this.publish(plan.suite, result);
    }
    // Combined views whose criteria did not all finish (cancelled, --bail, skipped): reported as such.
    for (const c of this.combinedViews) if (!this.results.has(c)) this.completeCombined(c);
    stats.durationMs = performance.now() - this.started;
    const all = this.suites.map((s) => this.results.get(s)).filter((r): r is SuiteResult => r !== undefined);
    compareJudges(all, opts.prices);
    for (const r of opts.reporters) await r.onRunDone(all, stats);
    return { results: all, stats };
  }

  /** One item's verdict: counted, priced, reported; the suite is finished with its last item. */
  private record(plan: SuitePlan, index: number, verdict: Verdict): void {
    const { opts, stats } = this;
    const result = itemResult(plan.suite, index, verdict);
    plan.items[index] = result;
    if (verdict.cached) stats.cached++;
    if (verdict.status === 'error') stats.errors++;
    if (verdict.usage && plan.cacheable) this.spend(plan.suite, verdict);
    const latency = verdict.cached ? undefined : verdict.usage?.latencyMs;
    if (latency !== undefined) this.callLatencyMs = this.callLatencyMs === undefined ? latency : 0.9 * this.callLatencyMs + 0.1 * latency;
    opts.reporters.forEach((r) => r.onItemDone?.(plan.suite, result));
    if (--plan.pending === 0 && !this.controller.signal.aborted) this.finishSuite(plan);
  }

  private spend(suite: ResolvedSuite, verdict: Verdict): void {
    const { opts, stats } = this;
    const model = modelLabel(suite.judge);
    if (verdict.cached) {
      addSpend(stats.saved!, verdict.usage!, model, opts.prices);
      return;
    }
    addSpend(stats.spent!, verdict.usage!, model, opts.prices);
    const s = this.suiteSpend.get(suite) ?? emptySpend();
    addSpend(s, verdict.usage!, model, opts.prices);
    this.suiteSpend.set(suite, s);
    // The budget is checked as money is spent: no new call starts past it.
    if (opts.maxCost !== undefined && stats.spent!.usd !== null && stats.spent!.usd >= opts.maxCost) this.overBudget();
  }

  private overBudget(): void {
    if (this.budgetStop) return;
    this.budgetStop = true;
    this.opts.warn(`--max-cost ${this.opts.maxCost} reached ($${this.stats.spent!.usd!.toFixed(4)} spent): no more calls are started`);
    this.controller.abort(new Error('max-cost'));
  }

  private finishSuite(plan: SuitePlan): void {
    plan.done = true;
    if (plan.suite.rationaleEmbedding) this.finishing.push(this.embedThenScore(plan));
    else this.score(plan);
  }

  private async embedThenScore(plan: SuitePlan): Promise<void> {
    const { opts, controller } = this;
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
      this.stats.calls += out.calls;
      out.values.forEach((v, i) => {
        if (typeof v === 'number') both[i]!.rationaleSemanticSimilarity = v;
      });
      if (out.problem) opts.warn(`suite "${plan.suite.name}": ${out.problem}`);
      this.score(plan, out.problem);
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      plan.done = false; // reported by finish() as cancelled, with what was judged
    }
  }

  private score(plan: SuitePlan, semanticProblem?: string): void {
    const result = scoreSuite(plan.suite, plan.items as ItemResult[], performance.now() - plan.started, semanticProblem);
    result.spent = this.suiteSpend.get(plan.suite) ?? emptySpend();
    this.publish(plan.suite, result);
    if (this.opts.bail && result.status !== 'passed') this.controller.abort(new Error('bail'));
    // The combined view of a multi-criteria suite, as soon as its last criterion is scored.
    for (const c of this.combinedViews) if (!this.results.has(c) && (c.combined ?? c.panel)!.members.every((m) => this.results.has(m))) this.completeCombined(c);
  }

  private completeCombined(suite: ResolvedSuite): void {
    const scored = suite.panel ? scorePanel : scoreCombined;
    this.publish(suite, scored(suite, (suite.combined ?? suite.panel)!.members.map((m) => this.results.get(m)), performance.now() - this.started));
  }

  private publish(suite: ResolvedSuite, result: SuiteResult): void {
    this.results.set(suite, result);
    this.opts.reporters.forEach((r) => r.onSuiteDone?.(result));
  }
}

/** A suite's plan over its tasks (one per item) and what the cache answered, nothing judged yet. */
function newPlan({ suite, provider }: Prepared, tasks: (JudgeTask | undefined)[], cached: (Verdict | undefined)[]): SuitePlan {
  return { suite, cacheable: provider.cacheable, tasks, items: new Array<ItemResult | undefined>(tasks.length), cached, pending: tasks.length, started: performance.now(), done: false };
}

/** One limiter per endpoint and model, shared by the judges that use them; the tightest limits win. */
function endpointLimiters(suites: ResolvedSuite[], opts: RunOptions): (judge: ResolvedJudge) => Limiter {
  const limiters = new Map<string, Limiter>();
  const endpoint = (j: ResolvedJudge) => `${j.provider}|${endpointOf(j, opts.env)}|${j.model ?? ''}`;
  const min = (xs: (number | undefined)[]) => {
    const v = xs.filter((x): x is number => x !== undefined);
    return v.length ? Math.min(...v) : undefined;
  };
  return (judge) => {
    const key = endpoint(judge);
    let limiter = limiters.get(key);
    if (!limiter) {
      const same = suites.map((s) => s.judge).filter((j) => endpoint(j) === key);
      const rpm = min(same.map((j) => j.limits.rpm));
      const tpm = min(same.map((j) => j.limits.tpm));
      limiter = new Limiter({ maxConcurrency: Math.min(opts.concurrency, min(same.map((j) => j.limits.concurrency)) ?? Infinity), ...(rpm ? { rpm } : {}), ...(tpm ? { tpm } : {}) });
      limiters.set(key, limiter);
    }
    return limiter;
  };
}
