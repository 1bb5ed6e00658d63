// `judge-test --optimize`: run the suites, optimize the rubric of each failing one, write
// what the holdout accepted (unless --dry-run), then report every suite as it now stands.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { loadSuites } from '../config/load-suite.js';
import { VerdictCache } from '../cache/store.js';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { missingCredentials, modelLabel, PROVIDERS } from '../providers/index.js';
import { runSuites, type RunOptions, type RunOutcome } from '../run/run-suites.js';
import { priceOf, type Price } from '../cost/prices.js';
import { emptySpend, estimateCall, sumSpend } from '../cost/spend.js';
import { renderMessages } from '../judge/prompt.js';
import { thousands } from '../text/numbers.js';
import type { OptimizationReport, Reporter, ResolvedJudge, ResolvedSuite, RunStats, Spend, SuiteResult } from '../types.js';
import { CallBudget, OptimizerModel } from './optimizer-model.js';
import type { OptimizerChoice, OptimizeSettings } from './defaults.js';
import { optimizeSuite } from './optimize-suite.js';
import { applyRewrite, planRewrite, rewriteDiff } from './rewrite-judge.js';
import { splitItems } from './split.js';


export interface OptimizeRunOptions {
  run: RunOptions;
  settings: OptimizeSettings;
  optimizer: OptimizerChoice;
  /** Optimizer and judge calls the whole optimization may make. */
  maxCalls: number;
  dryRun: boolean;
  log: (line: string) => void;
}

/** Where a suite's optimization log goes: next to it, like its baseline. */
export function optimizeLogFile(suiteFile: string): string {
  return suiteFile.replace(/\.ya?ml$/i, '') + '.optimize.json';
}

export async function runOptimize(suites: ResolvedSuite[], options: OptimizeRunOptions): Promise<RunOutcome & { reports: OptimizationReport[] }> {
  // One verdict cache for the whole search: every evaluation of a candidate reads it, and a
  // large cache file is parsed once, not once per evaluation.
  const verdictCache = new VerdictCache(options.run.cacheDir, options.run.warn);
  try {
    return await optimizeAll(suites, { ...options, run: { ...options.run, verdictCache } });
  } finally {
    verdictCache.close();
  }
}

async function optimizeAll(suites: ResolvedSuite[], opts: OptimizeRunOptions): Promise<RunOutcome & { reports: OptimizationReport[] }> {
  const { run, log } = opts;
  const first = await runSuites(suites, { ...run, reporters: [] });
  if (first.stats.cancelled) return finalRun(suites, opts, []);
  const reports: OptimizationReport[] = [];
  const notes = new Map<ResolvedSuite, string>();
  const taken = new Map<string, string>();
  const budget = new CallBudget(opts.maxCalls, run.maxCost);
  for (const result of first.results) {
    const suite = result.suite;
    if (result.status !== 'failed') continue;
    const why = cannotOptimize(suite, opts.optimizer);
    const judgeKey = `${suite.judge.file}#${suite.judge.id}`;
    const other = taken.get(judgeKey);
    if (why || other) {
      notes.set(suite, why ?? `judge "${suite.judge.id}" was optimized for suite "${other}" in this run; optimize one suite per judge at a time`);
      log(`${suite.name}: not optimized: ${notes.get(suite)}`);
      continue;
    }
    taken.set(judgeKey, suite.name);
    const optimizerJudge = optimizerOf(suite.judge, opts.optimizer);
    const missing = missingCredentials(optimizerJudge, run.env);
    const model = new OptimizerModel({
      judge: optimizerJudge,
      env: run.env,
      cacheDir: run.cacheDir,
      noCache: run.noCache,
      offline: run.offline,
      retry: run.retry,
      timeoutMs: run.timeoutMs,
      signal: run.signal,
      budget,
      prices: run.prices,
      warn: run.warn,
    });
    try {
      if (missing && !run.offline) throw new ConfigError(`--optimize: the optimizer model needs credentials: ${missing}`);
      log(`${suite.name}: optimizing judge "${suite.judge.id}" (${relativeTo(run.cwd, suite.judge.file)}) with ${model.label}`);
      log(`${suite.name}: ${searchEstimate(suite, opts.settings, run.prices)}`);
      let report: OptimizationReport;
      try {
        report = await optimizeSuite(suite, { run: { ...run, reporters: [] }, model, budget, settings: opts.settings, log, judgeSha256: sha256(readFileSync(suite.judge.file)) });
      } catch (err) {
        if (!run.signal.aborted) throw err;
        log(`${suite.name}: interrupted; no file was changed`);
        break;
      }
      if (report.accepted) {
        const rewrite = planRewrite(suite.judge, suite.file, report.rubric.after!, sameExamples(report) ? null : report.examples.after);
        report.diff = rewriteDiff(rewrite, relativeTo(run.cwd, rewrite.file));
        if (!opts.dryRun) {
          applyRewrite(rewrite);
          report.written = true;
        }
      }
      // Also with --dry-run: every candidate can be reviewed, and applied with `optimize apply`.
      report.logFile = optimizeLogFile(suite.file);
      // The paths as the user sees them, as in the JSON report.
      const logged = { ...report, judgeFile: relativeTo(run.cwd, report.judgeFile), logFile: relativeTo(run.cwd, report.logFile) };
      writeFileAtomic(report.logFile, JSON.stringify(logged, null, 1) + '\n');
      reports.push(report);
    } finally {
      model.close();
    }
    if (run.signal.aborted) break;
  }
  // Rewritten judges are read back from disk: the report is of the files as they now are.
  const rewritten = new Set(reports.filter((r) => r.written).map((r) => r.judgeFile));
  const reloaded = new Map<string, ResolvedSuite[]>();
  const fresh = (s: ResolvedSuite) => {
    if (!reloaded.has(s.file)) reloaded.set(s.file, loadSuites(s.file));
    return reloaded.get(s.file)!.find((x) => x.name === s.name) ?? s;
  };
  const final = suites.map((s) => (rewritten.has(s.judge.file) && existsSync(s.file) ? fresh(s) : s));
  // The run's calls and cost include the first measurement and the whole search, not only the final report's run.
  const before = { calls: first.stats.calls, spent: { ...(first.stats.spent ?? emptySpend()) } };
  for (const r of reports) {
    before.calls += r.calls.optimizer + r.calls.judge;
    sumSpend(before.spent, r.spent.optimizer);
    sumSpend(before.spent, r.spent.judge);
  }
  return finalRun(final, opts, reports, notes, before);
}

async function finalRun(
  suites: ResolvedSuite[],
  opts: OptimizeRunOptions,
  reports: OptimizationReport[],
  notes = new Map<ResolvedSuite, string>(),
  before: { calls: number; spent: Spend } = { calls: 0, spent: emptySpend() },
): Promise<RunOutcome & { reports: OptimizationReport[] }> {
  const withSearch = (stats: RunStats): RunStats => {
    const spent = emptySpend();
    sumSpend(spent, before.spent);
    if (stats.spent) sumSpend(spent, stats.spent);
    return { ...stats, calls: stats.calls + before.calls, spent };
  };
  const bySuite = new Map(reports.map((r) => [r.suite, r]));
  const attach = (r: SuiteResult) => {
    const report = bySuite.get(r.suite.name);
    if (report) r.optimization = report;
    const note = [...notes.entries()].find(([s]) => s.file === r.suite.file)?.[1];
    if (note && !report) r.optimizationNote = note;
  };
  const reporters: Reporter[] = opts.run.reporters.map((rep) => ({
    ...(rep.onRunStart ? { onRunStart: (plan) => rep.onRunStart!(plan) } : {}),
    ...(rep.onItemDone ? { onItemDone: (suite, item) => rep.onItemDone!(suite, item) } : {}),
    onSuiteDone: (r) => {
      attach(r);
      rep.onSuiteDone?.(r);
    },
    onRunDone: (results, stats) => {
      results.forEach(attach);
      return rep.onRunDone(results, withSearch(stats));
    },
  }));
  const outcome = await runSuites(suites, { ...opts.run, reporters });
  return { ...outcome, stats: withSearch(outcome.stats), reports };
}

/**
 * What the search can cost at most, said before it starts: every round judges each candidate
 * on dev and the best on the holdout, and asks the optimizer twice. Cached verdicts and an
 * early stop make it less; --max-cost and optimize.max_calls stop it.
 */
function searchEstimate(suite: ResolvedSuite, settings: OptimizeSettings, prices: Record<string, Price>): string {
  const split = splitItems(suite.items, suite.split.holdout, suite.split.seed);
  const perRound = settings.candidates * split.dev.length + split.holdout.length;
  const judgeCalls = settings.rounds * perRound * suite.judge.samples;
  const promptChars = suite.items.reduce((a, item) => a + renderMessages(suite.judge, item).reduce((b, m) => b + m.content.length, 0), 0) / Math.max(1, suite.items.length);
  const tokens = Math.ceil((judgeCalls * promptChars) / 4);
  const model = modelLabel(suite.judge);
  const price = priceOf(model, prices);
  const cost = price ? `≈$${(judgeCalls * estimateCall(promptChars, price)).toFixed(4)}` : `${model} has no price`;
  return `the search makes at most ${judgeCalls} judge calls (≈${thousands(tokens)} input tokens; ${cost}) and ${2 * settings.rounds} optimizer calls; --max-cost and optimize.max_calls bound it`;
}

function sameExamples(r: OptimizationReport): boolean {
  return JSON.stringify(r.examples.before) === JSON.stringify(r.examples.after);
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Why a failing suite's judge cannot be optimized, or undefined. */
function cannotOptimize(suite: ResolvedSuite, choice: OptimizerChoice): string | undefined {
  const j = suite.judge;
  if (suite.combined) return 'the combined view of a multi-criteria suite: its criteria are optimized one by one';
  const how = PROVIDERS[j.provider].optimize;
  if (how.model === 'none') return how.why;
  if (how.model === 'configured' && !(choice.provider && choice.model)) return `${how.why}: set optimize.provider and optimize.model in judge-test.config`;
  return undefined;
}

function optimizerOf(judge: ResolvedJudge, choice: OptimizerChoice): ResolvedJudge {
  const provider = choice.provider ?? judge.provider;
  const sameEndpoint = provider === judge.provider;
  const o: ResolvedJudge = { ...judge, provider, examples: [], samples: 1, responseFormat: 'json_schema', limits: {} };
  delete o.confidence;
  delete o.maxTokens;
  const model = choice.model ?? (sameEndpoint ? judge.model : undefined);
  if (model === undefined) throw new ConfigError(`--optimize: name the optimizer's model (optimize.model in judge-test.config) for provider ${provider}`);
  o.model = model;
  const baseURL = choice.baseURL ?? (sameEndpoint ? judge.baseURL : undefined);
  if (baseURL === undefined) delete o.baseURL;
  else o.baseURL = baseURL;
  if (choice.temperature !== undefined) o.temperature = choice.temperature;
  return o;
}
