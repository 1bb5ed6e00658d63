// CLI wiring only: parse arguments, load suites, run them, map the outcome to an exit code.
// The engine is imported lazily so `--help` and `--version` stay as fast as a bare node.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RunStats, SuiteResult } from '../types.js';
import { helpText, parseArgs, UsageError, type CliArgs } from './args.js';

export const EXIT = { ok: 0, failed: 1, config: 2, runtime: 3, interrupted: 130 } as const;

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, EXIT.config);
    throw err;
  }
  if (args.version) {
    process.stdout.write(version() + '\n');
    return EXIT.ok;
  }
  if (args.help) {
    process.stdout.write(helpText(version()));
    return EXIT.ok;
  }
  const { ConfigError } = await import('../errors.js');
  const { redactSecrets } = await import('../secrets/redact.js');
  try {
    if (args.command === 'cache') return await cacheCommand(args, cwd);
    if (args.command === 'agreement') {
      const [{ findSuiteFiles }, { loadSuite }, { agreementText }, { relativeTo }] = await Promise.all([
        import('../config/discover.js'),
        import('../config/load-suite.js'),
        import('./agreement.js'),
        import('../errors.js'),
      ]);
      const files = findSuiteFiles(cwd, args.dir ?? 'calibration-suites', args.filters);
      if (args.resolve) {
        const [{ loadSuiteForLabeling }, { resolveDisputes }] = await Promise.all([import('../config/load-suite.js'), import('../scaffold/annotate.js')]);
        for (const f of files) {
          const suite = loadSuiteForLabeling(f);
          if (!suite.itemsFile) throw new ConfigError('agreement --resolve: the suite lists its items inline; move them to a .jsonl file', { file: f });
          await resolveDisputes(suite, suite.itemsFile, { input: process.stdin, output: process.stdout }, cwd);
        }
        return EXIT.ok;
      }
      for (const f of files) process.stdout.write(agreementText(loadSuite(f), relativeTo(cwd, f)) + '\n');
      return EXIT.ok;
    }
    if (args.command === 'import') {
      const [{ importItems }, { ConfigError: Cfg, relativeTo }] = await Promise.all([import('../scaffold/import.js'), import('../errors.js')]);
      const [source] = args.filters;
      if (!source || !args.importSuite) throw new Cfg('import: expected judge-test import <file.csv|jsonl> --suite <name>');
      const r = importItems(cwd, { source, suite: args.importSuite, columns: args.importColumns, ...(args.importLabelColumns ? { labelColumns: args.importLabelColumns } : {}), dir: args.dir ?? 'calibration-suites' });
      process.stdout.write(`Wrote ${r.items} ${r.unlabeled ? 'unlabeled ' : ''}items to ${relativeTo(cwd, r.file)}\nNext: a suite file that names it (items: ./data/${args.importSuite}.jsonl) and a judge${r.unlabeled ? `; then label them: judge-test annotate <suite> --annotator <name>` : ''}.\n`);
      return EXIT.ok;
    }
    if (args.command === 'annotate') {
      const [{ findSuiteFiles }, { loadSuiteForLabeling }, { annotate }, errors] = await Promise.all([
        import('../config/discover.js'),
        import('../config/load-suite.js'),
        import('../scaffold/annotate.js'),
        import('../errors.js'),
      ]);
      const files = findSuiteFiles(cwd, args.dir ?? 'calibration-suites', args.filters);
      if (files.length !== 1 || !args.annotator) throw new errors.ConfigError(`annotate: expected one suite and --annotator <name> (the filter matched ${files.length} suites)`);
      const suite = loadSuiteForLabeling(files[0]!);
      if (!suite.itemsFile) throw new errors.ConfigError('annotate: the suite lists its items inline; move them to a .jsonl file to annotate', { file: files[0]! });
      // Ctrl-C: every answer is already saved; leave at once.
      process.on('SIGINT', () => {
        process.stdout.write('\nStopped: every answer so far is saved.\n');
        process.exit(EXIT.interrupted);
      });
      await annotate(suite, args.annotator, suite.itemsFile, { input: process.stdin, output: process.stdout }, cwd);
      return EXIT.ok;
    }
    if (args.command === 'history') {
      const [{ findSuiteFiles }, { loadSuites }, { historyText }, { relativeTo }, { loadConfigFile }] = await Promise.all([
        import('../config/discover.js'),
        import('../config/load-suite.js'),
        import('./history.js'),
        import('../errors.js'),
        import('../config/config-file.js'),
      ]);
      const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
      for (const f of findSuiteFiles(cwd, args.dir ?? config.dir ?? 'calibration-suites', args.filters)) {
        for (const suite of loadSuites(f)) process.stdout.write(historyText(suite, suite.history ?? [], relativeTo(cwd, f)) + '\n');
      }
      return EXIT.ok;
    }
    if (args.command === 'init') {
      const written = (await import('../scaffold/init.js')).initProject(cwd);
      process.stdout.write(`Created ${written.join(', ')}\nRun it: npx judge-test\n`);
      return EXIT.ok;
    }
    return await run(args, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return fail(redactSecrets(err.format(cwd)), EXIT.config);
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return fail(`internal error: ${redactSecrets(message)}`, EXIT.runtime);
  }
}

async function run(args: CliArgs, cwd: string): Promise<number> {
  const [{ findSuiteFiles }, { loadSuites }, { runSuites, defaultRunOptions, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS }, { createReporter, REPORTERS }, { DEFAULT_RETRY }, { ConfigError, relativeTo }, { loadConfigFile }] = await Promise.all([
    import('../config/discover.js'),
    import('../config/load-suite.js'),
    import('../run/run-suites.js'),
    import('../report/index.js'),
    import('../run/retry.js'),
    import('../errors.js'),
    import('../config/config-file.js'),
  ]);
  const { DEFAULT_PRICES } = await import('../cost/prices.js');

  // Flags win over the config file, which wins over the defaults.
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const configFiles = typeof config.outputFile === 'string' ? { '': config.outputFile } : (config.outputFile ?? {});
  const outputFiles: Record<string, string> = { ...configFiles, ...args.outputFiles };
  const dir = args.dir ?? config.dir ?? 'calibration-suites';
  const names = [...(args.reporters.length > 0 ? args.reporters : (config.reporters ?? ['default']))];
  for (const n of [...names, ...Object.keys(outputFiles).filter(Boolean)]) {
    if (!(REPORTERS as readonly string[]).includes(n)) throw new ConfigError(`unknown reporter "${n}"; valid reporters: ${REPORTERS.join(', ')}`);
  }
  const { parseShard, shardSuites } = await import('../run/shard.js');
  const shard = args.shard === undefined ? undefined : parseShard(args.shard);
  if (shard === null) throw new ConfigError(`--shard expects i/n with 1 <= i <= n, got "${args.shard}"`);
  // A shard is only useful merged: it always writes its blob.
  if (shard && !names.includes('blob')) names.push('blob');
  const reporters = await Promise.all(
    names.map((n) => {
      const out = outputFiles[n] ?? (n === 'default' || n === 'blob' ? undefined : outputFiles['']);
      return createReporter(n as (typeof REPORTERS)[number], cwd, out ? resolve(cwd, out) : undefined, args.shard);
    }),
  );

  if (args.mergeReports !== undefined) {
    const { mergeReports } = await import('../run/merge-reports.js');
    const { results, stats } = await mergeReports(args.mergeReports, cwd, reporters);
    if (args.update) await updateBaselines(results, cwd);
    if (args.history && !stats.cancelled) await recordHistory(results);
    return exitCodeOf(results, stats);
  }

  const files = findSuiteFiles(cwd, dir, args.filters);
  // Load every suite before running any: one bad file stops the run with nothing judged.
  let suites = files.flatMap((f) => loadSuites(f));
  if (args.testNamePattern !== undefined) {
    const re = new RegExp(args.testNamePattern);
    suites = suites.filter((s) => re.test(s.name));
  }
  if (args.changed !== undefined) {
    const { selectChanged } = await import('../config/changed.js');
    const sel = selectChanged(suites, cwd, args.changed);
    process.stderr.write(`--changed since ${sel.ref}: ${sel.selected.length} of ${suites.length} suites selected\n`);
    for (const s of sel.selected) process.stderr.write(`  ${relativeTo(cwd, s.suite.file)}: ${s.because.join(', ')} changed\n`);
    if (sel.selected.length === 0) return EXIT.ok; // nothing the change touches: nothing to gate
    suites = sel.selected.map((s) => s.suite);
  }
  if (shard) {
    suites = shardSuites(suites, shard, cwd);
    process.stderr.write(`shard ${args.shard}: ${suites.reduce((a, s) => a + s.items.length, 0)} items of ${suites.length} suites; thresholds are checked by judge-test --merge-reports\n`);
    if (suites.length === 0) {
      for (const r of reporters) await r.onRunDone([], { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 0, cancelled: false });
      return EXIT.ok;
    }
  }
  if (suites.length === 0) {
    const how = [args.filters.length ? `filters: ${args.filters.join(' ')}` : '', args.testNamePattern ? `-t ${args.testNamePattern}` : ''].filter(Boolean).join(', ');
    throw new ConfigError(`no suites found under ${relativeTo(cwd, resolve(cwd, dir))}/${how ? ` (${how})` : ''}`);
  }

  const options = {
    cwd,
    concurrency: args.concurrency ?? config.concurrency ?? DEFAULT_CONCURRENCY,
    noCache: !args.cache,
    offline: args.offline,
    bail: args.bail ?? config.bail ?? false,
    timeoutMs: args.timeoutMs ?? config.timeout ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, retries: args.retries ?? config.retries ?? DEFAULT_RETRY.retries },
    cacheDir: resolve(cwd, args.cacheDir ?? config.cacheDir ?? '.judge-cache'),
    reporters,
    prices: { ...DEFAULT_PRICES, ...config.prices },
    ...(args.maxCost !== undefined ? { maxCost: args.maxCost } : {}),
  };
  // First Ctrl-C: stop starting calls, abort those in flight, report what finished. Second: exit now.
  // In watch mode, Ctrl-C between runs ends the session.
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
  try {
    if (args.optimize) {
      const [{ runOptimize, DEFAULT_MAX_CALLS }, { DEFAULT_OPTIMIZE }] = await Promise.all([import('../optimize/run-optimize.js'), import('../optimize/optimize-suite.js')]);
      const o = config.optimize ?? {};
      const optimizer: import('../optimize/run-optimize.js').OptimizerChoice = {};
      if (o.provider) optimizer.provider = o.provider;
      if (o.model) optimizer.model = o.model;
      if (o.baseURL) optimizer.baseURL = o.baseURL;
      if (o.temperature !== undefined) optimizer.temperature = o.temperature;
      const { results, stats } = await runOptimize(suites, {
        run: defaultRunOptions({ ...options, signal: controller.signal }),
        settings: {
          ...DEFAULT_OPTIMIZE,
          rounds: args.optimizeRounds ?? o.rounds ?? DEFAULT_OPTIMIZE.rounds,
          candidates: o.candidates ?? DEFAULT_OPTIMIZE.candidates,
          examples: o.examples ?? DEFAULT_OPTIMIZE.examples,
          strategy: o.strategy ?? DEFAULT_OPTIMIZE.strategy,
          seed: o.seed ?? DEFAULT_OPTIMIZE.seed,
        },
        optimizer,
        maxCalls: o.max_calls ?? DEFAULT_MAX_CALLS,
        dryRun: args.dryRun,
        log: (line) => process.stderr.write(`optimize: ${line}\n`),
      });
      if (args.history && !stats.cancelled && !args.dryRun) await recordHistory(results);
      return exitCodeOf(results, stats);
    }
    if (args.batch) {
      const { runBatches, batchSummary } = await import('../batch/run-batches.js');
      try {
        const outcome = await runBatches(suites, {
          cwd,
          env: process.env,
          cacheDir: options.cacheDir,
          timeoutMs: options.timeoutMs,
          pollMs: args.batchPollMs ?? 30_000,
          signal: controller.signal,
          prices: options.prices,
          log: (line) => process.stderr.write(`batch: ${line}\n`),
        });
        process.stderr.write(batchSummary(outcome, cwd, options.cacheDir) + '\n');
      } catch (err) {
        if (!controller.signal.aborted) throw err;
        process.stderr.write('batch: stopped waiting; the batches keep running at the provider: run again with --batch to collect them\n');
        return EXIT.interrupted;
      }
    }
    const { results, stats } = await runSuites(suites, defaultRunOptions({ ...options, signal: controller.signal }));
    // A shard holds part of each suite: its merge is the run the history records.
    if (args.history && !stats.cancelled && !shard) await recordHistory(results);
    if (args.update && !stats.cancelled) {
      // A shard holds part of each suite: only the merge may record a baseline.
      if (shard) process.stderr.write('--update is ignored with --shard: pass it to --merge-reports\n');
      else await updateBaselines(results, cwd);
    }
    if (!args.watch || stats.cancelled) return exitCodeOf(results, stats);
    const { watchSuites } = await import('./watch.js');
    await watchSuites(suites, {
      cwd,
      dir,
      filters: args.filters,
      log: (line) => process.stderr.write(line + '\n'),
      stopped,
      run: async (changed) => {
        controller = new AbortController();
        await runSuites(changed, defaultRunOptions({ ...options, signal: controller.signal }));
      },
    });
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** `judge-test cache stats | prune | clear [judge-id]`. */
async function cacheCommand(args: CliArgs, cwd: string): Promise<number> {
  const [{ cacheStats, otherStoreStats, pruneCache, clearCache }, { loadConfigFile }, { ConfigError, relativeTo }] = await Promise.all([
    import('../cache/maintenance.js'),
    import('../config/config-file.js'),
    import('../errors.js'),
  ]);
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const dir = resolve(cwd, args.cacheDir ?? config.cacheDir ?? '.judge-cache');
  const [action, judge] = args.filters;
  const out = (line: string) => process.stdout.write(line + '\n');
  if (action === 'stats') {
    const stats = cacheStats(dir);
    if (stats.length === 0) out(`no cached verdicts in ${relativeTo(cwd, dir)}`);
    for (const s of stats) {
      const extra = [s.duplicates && `${s.duplicates} duplicate`, s.corrupt && `${s.corrupt} corrupt`].filter(Boolean).join(', ');
      out(`${s.judge}: ${s.entries} verdicts, ${(s.bytes / 1024).toFixed(1)} KiB, ${s.inputTokens} input + ${s.outputTokens} output tokens saved per full re-run${extra ? ` (${extra} lines)` : ''}`);
    }
    const what = { optimizer: 'optimizer answers (--optimize)', embeddings: 'rationale similarities', batches: 'batches still waiting (--batch)' };
    for (const o of otherStoreStats(dir)) out(`${o.store}/: ${o.entries} ${what[o.store]}, ${(o.bytes / 1024).toFixed(1)} KiB`);
    return EXIT.ok;
  }
  if (action === 'clear') {
    const removed = clearCache(dir, judge);
    out(removed.length ? `removed ${removed.join(', ')}` : `nothing to remove${judge ? ` for judge "${judge}"` : ''}`);
    return EXIT.ok;
  }
  if (action === 'prune') {
    const [{ findSuiteFiles }, { loadSuites }, { liveCacheKeys }] = await Promise.all([import('../config/discover.js'), import('../config/load-suite.js'), import('../run/live-keys.js')]);
    const suites = findSuiteFiles(cwd, args.dir ?? config.dir ?? 'calibration-suites', []).flatMap((f) => loadSuites(f));
    for (const p of pruneCache(dir, await liveCacheKeys(suites, process.env))) out(`${p.judge}: kept ${p.kept}, removed ${p.removed}`);
    return EXIT.ok;
  }
  throw new ConfigError(`cache: expected stats, prune or clear [judge-id], got ${action ? `"${action}"` : 'nothing'}`);
}

function exitCodeOf(results: SuiteResult[], stats: RunStats): number {
  if (stats.cancelled) return EXIT.interrupted;
  if (results.some((r) => r.status === 'error')) return EXIT.runtime;
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  return EXIT.ok;
}

async function updateBaselines(results: SuiteResult[], cwd: string): Promise<void> {
  const [{ writeBaseline }, { relativeTo }] = await Promise.all([import('../assert/baseline.js'), import('../errors.js')]);
  const written = results.filter((r) => r.status === 'passed' || r.status === 'failed').map((r) => writeBaseline(r));
  process.stderr.write(`Baselines written: ${written.map((f) => relativeTo(cwd, f)).join(', ') || 'none (no suite finished)'}\n`);
}

async function recordHistory(results: SuiteResult[]): Promise<void> {
  const { appendHistory } = await import('../history/history.js');
  appendHistory(results);
}

function fail(message: string, code: number): number {
  process.stderr.write(`judge-test: ${message}\n`);
  return code;
}
