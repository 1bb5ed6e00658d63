// `judge-test [filters]`: the main job, as steps — settings, reporters, which suites, then
// one of: merge shards, optimize, batch then run, run (and watch); then history and baselines.
import { resolve } from 'node:path';
import { findSuiteFiles } from '../config/discover.js';
import { loadSuitesReportingErrors } from '../config/load-suite.js';
import { ConfigError, relativeTo } from '../errors.js';
import { plural } from '../report/format.js';
import { createReporter } from '../report/index.js';
import { defaultRunOptions, runSuites } from '../run/run-suites.js';
import { loadConfigFile, type UserConfig } from '../settings/config-file.js';
import { cacheDir, optimizeSettings, reporterChoices, runSettings, suitesDir } from '../settings/settings.js';
import { parseShard, runFingerprint, shardSuites, type Shard } from '../shard/shard.js';
import type { Reporter, ResolvedSuite, SuiteResult } from '../types.js';
import type { CliArgs } from './args.js';
import { redactSecrets } from '../secrets/redact.js';
import { printable } from '../text/printable.js';
import { EXIT, exitCodeOf, fail } from './exit.js';

export default async function runCommand(args: CliArgs, cwd: string): Promise<number> {
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const choices = reporterChoices(args, config, cwd, args.shard !== undefined);
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (shard === null) throw new ConfigError(`--shard expects i/n with 1 <= i <= n, got "${args.shard}"`);
  const create = (run?: Selected['run']) =>
    Promise.all(choices.map((c) => createReporter(c.name, { cwd, ...(c.outputFile ? { outputFile: c.outputFile } : {}), ...(args.shard ? { shard: args.shard } : {}), ...(run ? { run } : {}) })));

  if (args.mergeReports !== undefined) return mergeShards(args, cwd, await create());

  // Only a blob says which run it belongs to: the fingerprint of every item is made for it alone.
  const selected = await selectSuites(args, config, cwd, shard, choices.some((c) => c.name === 'blob'));
  if (typeof selected === 'number') return selected;
  const { suites, loadErrors } = selected;
  const reporters = await create(selected.run);
  if (shard && suites.length === 0) {
    for (const r of reporters) await r.onRunDone([], { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 0, cancelled: false });
    return loadErrorsExit(loadErrors, cwd) ?? EXIT.ok;
  }
  const code = await withInterrupts((signal, stopped) => runSelected(suites, args, config, cwd, reporters, { signal, stopped, shard }));
  // Suite files that could not be loaded were reported with the others: their lines, and exit 2.
  return code === EXIT.interrupted ? code : (loadErrorsExit(loadErrors, cwd) ?? code);
}

/** One line each on stderr for the suite files that could not be loaded, and exit 2; undefined when there are none. */
function loadErrorsExit(errors: ConfigError[], cwd: string): number | undefined {
  if (errors.length === 0) return undefined;
  for (const err of errors) fail(redactSecrets(err.format(cwd)), EXIT.config);
  return EXIT.config;
}

/** --merge-reports: score the shards' blobs as one run. */
async function mergeShards(args: CliArgs, cwd: string, reporters: Reporter[]): Promise<number> {
  const { mergeReports } = await import('../shard/merge-reports.js');
  const { results, stats } = await mergeReports(args.mergeReports!, cwd, reporters, { recordingBaseline: args.update });
  if (args.update) await updateBaselines(results, cwd);
  if (args.history && !stats.cancelled) await recordHistory(results);
  return exitCodeOf(results, stats);
}

interface Selected {
  suites: ResolvedSuite[];
  /** The whole selection, before --shard takes its part: what a blob says its run is (with a blob reporter). */
  run?: { fingerprint: string; files: string[] };
  /** Suite files that could not be loaded (each is also a suite of `suites`, reported as errored). */
  loadErrors: ConfigError[];
}

/** The suites this run judges: every suite file under the folder, then -t, --changed and --shard. An exit code when nothing is left to do. */
async function selectSuites(args: CliArgs, config: UserConfig, cwd: string, shard: Shard | undefined, blob: boolean): Promise<Selected | number> {
  const dir = suitesDir(args, config);
  const files = findSuiteFiles(cwd, dir, args.filters);
  // Load every suite before running any; a file that cannot be loaded is reported as errored.
  const { suites: loaded, errors: loadErrors } = loadSuitesReportingErrors(files, cwd);
  let suites = loaded;
  if (args.testNamePattern !== undefined) {
    const re = new RegExp(args.testNamePattern);
    // A file that could not be loaded has no name to match: it is always reported.
    suites = suites.filter((s) => s.loadError || re.test(s.name));
  }
  if (args.changed !== undefined) {
    const { selectChanged } = await import('../config/changed.js');
    const sel = selectChanged(suites, cwd, args.changed, cacheDir(args, config, cwd));
    process.stderr.write(`--changed since ${sel.ref}: ${sel.selected.length} of ${plural(suites.length, 'suite')} selected\n`);
    for (const s of sel.selected) process.stderr.write(`  ${printable(relativeTo(cwd, s.suite.file))}: ${printable(s.because.join(', '))} changed\n`);
    if (sel.selected.length === 0) return loadErrorsExit(loadErrors, cwd) ?? EXIT.ok; // nothing the change touches: nothing to gate
    suites = sel.selected.map((s) => s.suite);
  }
  if (args.judgeModels !== undefined) {
    const { modelVariants, parseModelSpecs } = await import('../config/variants.js');
    const varied = modelVariants(suites, parseModelSpecs(args.judgeModels));
    for (const s of varied.skipped) process.stderr.write(`--judge-model: ${printable(s.name)} is not varied (its judge ${s.comparison ? 'is already compared' : s.criterion !== undefined || s.combined ? 'has criteria' : 'calls no model'})\n`);
    suites = varied.suites;
  }
  if (args.earlyStop) for (const s of suites) s.earlyStop ??= { confidence: 0.95, looks: 5 };
  const run = blob ? runFingerprint(suites, cwd) : undefined;
  if (shard) {
    suites = shardSuites(suites, shard, cwd);
    process.stderr.write(`shard ${args.shard}: ${plural(suites.reduce((a, s) => a + s.items.length, 0), 'item')} of ${plural(suites.length, 'suite')}; thresholds are checked by judge-test --merge-reports\n`);
    return { suites, loadErrors, ...(run ? { run } : {}) };
  }
  if (suites.length === 0) {
    const how = [args.filters.length ? `filters: ${args.filters.join(' ')}` : '', args.testNamePattern ? `-t ${args.testNamePattern}` : ''].filter(Boolean).join(', ');
    throw new ConfigError(`no suites found under ${relativeTo(cwd, resolve(cwd, dir))}/${how ? ` (${how})` : ''}`);
  }
  return { suites, loadErrors, ...(run ? { run } : {}) };
}

interface Session {
  /** The signal Ctrl-C aborts: the first run's, then a fresh one for each watch re-run. */
  signal: () => AbortSignal;
  /** Resolves when the user stops a watch session. */
  stopped: Promise<void>;
  shard: Shard | undefined;
}

/**
 * First Ctrl-C: stop starting calls, abort those in flight, report what finished. Second:
 * exit now. In watch mode, Ctrl-C between runs ends the session.
 */
async function withInterrupts(body: (signal: () => AbortSignal, stopped: Promise<void>) => Promise<number>): Promise<number> {
  let controller = new AbortController();
  let interrupts = 0;
  let stopWatching = () => {};
  const stopped = new Promise<void>((done) => (stopWatching = done));
  const onSigint = () => {
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    process.stderr.write('\nStopping: finishing the report (Ctrl-C again to exit now)\n');
    controller.abort(new Error('interrupted'));
    stopWatching();
  };
  process.on('SIGINT', onSigint);
  // The first run takes the first signal; each watch re-run starts a fresh one.
  let fresh = true;
  const nextSignal = () => {
    if (!fresh) controller = new AbortController();
    fresh = false;
    return controller.signal;
  };
  try {
    return await body(nextSignal, stopped);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function runSelected(suites: ResolvedSuite[], args: CliArgs, config: UserConfig, cwd: string, reporters: Reporter[], session: Session): Promise<number> {
  const options = { ...runSettings(args, config, cwd), reporters };
  const signal = session.signal();
  if (args.optimize) {
    const { runOptimize } = await import('../optimize/run-optimize.js');
    const { results, stats } = await runOptimize(suites, {
      run: defaultRunOptions({ ...options, signal }),
      ...optimizeSettings(args, config),
      dryRun: args.dryRun,
      log: (line) => process.stderr.write(`optimize: ${printable(line)}\n`),
    });
    if (args.history && !stats.cancelled && !args.dryRun) await recordHistory(results);
    return exitCodeOf(results, stats);
  }
  // --update records this run as the baseline: its max_drop checks compare it with itself.
  if (args.update && !session.shard) for (const s of suites) s.recordingBaseline = true;
  if (args.batch) {
    const stoppedEarly = await batchFirst(suites, args, options, signal, cwd);
    if (stoppedEarly !== undefined) return stoppedEarly;
  }
  const { results, stats } = await runSuites(suites, defaultRunOptions({ ...options, signal }));
  // A shard holds part of each suite: its merge is the run the history records.
  if (args.history && !stats.cancelled && !session.shard) await recordHistory(results);
  if (args.update && !stats.cancelled) {
    // A shard holds part of each suite: only the merge may record a baseline.
    if (session.shard) process.stderr.write('--update is ignored with --shard: pass it to --merge-reports\n');
    else await updateBaselines(results, cwd);
  }
  if (!args.watch || stats.cancelled) return exitCodeOf(results, stats);
  const { watchSuites } = await import('./watch.js');
  await watchSuites(suites, {
    cwd,
    dir: suitesDir(args, config),
    filters: args.filters,
    log: (line) => process.stderr.write(line.split('\n').map(printable).join('\n') + '\n'),
    stopped: session.stopped,
    run: async (changed) => {
      await runSuites(changed, defaultRunOptions({ ...options, signal: session.signal() }));
    },
  });
  return EXIT.ok;
}

/** --batch: send the uncached calls through the batch APIs first. An exit code if stopped while waiting. */
async function batchFirst(suites: ResolvedSuite[], args: CliArgs, options: ReturnType<typeof runSettings>, signal: AbortSignal, cwd: string): Promise<number | undefined> {
  const { runBatches, batchSummary } = await import('../batch/run-batches.js');
  try {
    const outcome = await runBatches(suites, {
      cwd,
      env: process.env,
      cacheDir: options.cacheDir,
      timeoutMs: options.timeoutMs,
      pollMs: args.batchPollMs ?? 30_000,
      signal,
      prices: options.prices,
      log: (line) => process.stderr.write(`batch: ${printable(line)}\n`),
    });
    process.stderr.write(batchSummary(outcome, cwd, options.cacheDir) + '\n');
    return undefined;
  } catch (err) {
    if (!signal.aborted) throw err;
    process.stderr.write('batch: stopped waiting; the batches keep running at the provider: run again with --batch to collect them\n');
    return EXIT.interrupted;
  }
}

async function updateBaselines(results: SuiteResult[], cwd: string): Promise<void> {
  const { writeBaseline } = await import('../history/baseline.js');
  // A --judge-model variant is an experiment: it records no baseline.
  const written = results.filter((r) => (r.status === 'passed' || r.status === 'failed') && !r.suite.comparison?.adhoc && r.suite.panelMember === undefined).map((r) => writeBaseline(r));
  process.stderr.write(`Baselines written: ${written.map((f) => relativeTo(cwd, f)).join(', ') || 'none (no suite finished)'}\n`);
}

async function recordHistory(results: SuiteResult[]): Promise<void> {
  const { appendHistory } = await import('../history/history.js');
  appendHistory(results.filter((r) => !r.suite.comparison?.adhoc));
}
