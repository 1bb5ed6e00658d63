// Argument parsing, Vitest-style. No heavy imports here: `--help` and `--version` must be instant.
import { REPORTER_NAMES } from '../report/index.js';
import type { SettingFlags } from '../settings/settings.js';

export interface CliArgs extends SettingFlags {
  /** A subcommand (a name of COMMANDS in commands.ts), or undefined for a run. */
  command?: string;
  /** annotate: whose labels these are. */
  annotator?: string;
  /** agreement: walk the disputed items and record a consensus. */
  resolve: boolean;
  /** import: the suite name and column mapping (--id, --input, ... --labels a,b). */
  importSuite?: string;
  /** import / export: the other tool's format (label-studio). */
  format?: string;
  /** annotate: informative (the most useful items first) or file (default). */
  order?: string;
  /** export: the folder to write to. */
  out?: string;
  /** plan: the interval half-width and the power wanted, and JSON output. */
  planWidth?: number;
  planPower?: number;
  planJson?: boolean;
  importColumns: Record<string, string>;
  importLabelColumns?: string[];
  filters: string[];
  testNamePattern?: string;
  // The settings a config file may also give are in SettingFlags.
  config?: string;
  /** Record each suite's metrics and verdicts as its baseline. */
  update: boolean;
  /** Run only suites whose files changed since this git ref ('' = the merge base with the default branch). */
  changed?: string;
  /** Re-run affected suites when their files change. */
  watch: boolean;
  /** Append each suite's metrics to its history file (default on). */
  history: boolean;
  /** "i/n": this machine's share of the items. */
  shard?: string;
  /** Merge the shards' blobs in this directory instead of running. */
  mergeReports?: string;
  /** Send the uncached calls through the providers' batch APIs first. */
  batch: boolean;
  /** ms between two status checks of a running batch. */
  batchPollMs?: number;
  /** Rewrite the rubric of each failing suite from its misalignments, verified on a holdout. */
  optimize: boolean;
  /** With --optimize: show the diff and the before/after, write nothing. */
  dryRun: boolean;
  /** --early-stop: every suite without its own early_stop decides early with the defaults. */
  earlyStop?: boolean;
  /** --judge-model: the models to run each suite's judge with, compared side by side. */
  judgeModels?: string;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const FLAGS: { flag: string; value?: string; help: string }[] = [
  { flag: '-t, --testNamePattern', value: '<pattern>', help: 'run only suites whose name matches the pattern (regular expression)' },
  { flag: '--reporter', value: '<name>', help: `${REPORTER_NAMES.join(' | ')} (repeatable; default: default)` },
  { flag: '--outputFile', value: '<path>', help: 'write the report to a file; --outputFile.<reporter> <path> for one reporter' },
  { flag: '--bail', help: 'stop after the first suite that does not pass' },
  { flag: '--early-stop', help: 'judge big suites in a seeded order and stop once every threshold is settled (95% across 5 looks; early_stop: in a suite to tune)' },
  { flag: '--verbose', help: 'print every suite in full: each metric, the human ceiling, the intervals (the verbose reporter)' },
  { flag: '--concurrency', value: '<n>', help: 'provider calls in flight at once (default: 8)' },
  { flag: '--no-cache', help: 'ignore the verdict cache: neither read nor write it' },
  { flag: '--no-history', help: 'do not append this run to the suites\' history files (<suite>.history.jsonl)' },
  { flag: '--offline', help: 'never call a provider; a cache miss is an error' },
  { flag: '--timeout', value: '<ms>', help: 'timeout of one provider call (default: 60000)' },
  { flag: '--retries', value: '<n>', help: 'retries of a failed provider call (default: 4; rate limits (429) get 12)' },
  { flag: '--dir', value: '<path>', help: 'where to look for suites (default: calibration-suites)' },
  { flag: '--cache-dir', value: '<path>', help: 'where the verdict cache lives (default: .judge-cache)' },
  { flag: '--changed', value: '[ref]', help: 'run only suites whose suite, judge or data files changed since ref (default: merge base with the default branch)' },
  { flag: '--max-cost', value: '<usd>', help: 'refuse a run whose uncached calls would cost more, and stop calling once it is spent' },
  { flag: '-w, --watch', help: 're-run the suites a changed suite, judge or data file touches (the cache keeps re-runs cheap)' },
  { flag: '--shard', value: '<i/n>', help: 'judge this machine\'s share of the items and write a blob (thresholds are checked at the merge)' },
  { flag: '--merge-reports', value: '[dir]', help: 'merge the shards\' blobs (default .judge-test-reports) and report and gate on all items' },
  { flag: '-u, --update', help: 'record each suite\'s metrics and verdicts as its baseline (<suite>.baseline.json)' },
  { flag: '--batch', help: 'send the uncached calls through the OpenAI / Anthropic batch APIs (half price; polls; resumes after a restart), then report from the cache' },
  { flag: '--batch-poll', value: '<ms>', help: 'time between two status checks of a running batch (default: 30000)' },
  { flag: '--optimize', help: 'rewrite the rubric of each failing suite from its misaligned dev items; written only if a holdout confirms it' },
  { flag: '--optimize-rounds', value: '<n>', help: 'rounds of candidate rubrics (default: 3)' },
  { flag: '--judge-model', value: '<models>', help: 'compare judges: run each suite once per model (a,b or provider:model) and print the comparison' },
  { flag: '--dry-run', help: 'with --optimize: print the diff and the before/after, change no file' },
  { flag: '--config', value: '<path>', help: 'config file (default: judge-test.config.{js,mjs,ts,mts} in this folder)' },
  { flag: '-h, --help', help: 'show this help' },
  { flag: '-v, --version', help: 'show the version' },
];

/** `commands`: the subcommand names (a first argument that is one of them). */
export function parseArgs(argv: readonly string[], commands: readonly string[]): CliArgs {
  const a: CliArgs = {
    filters: [],
    reporters: [],
    outputFiles: {},
    cache: true,
    offline: false,
    importColumns: {},
    resolve: false,
    update: false,
    watch: false,
    history: true,
    batch: false,
    optimize: false,
    dryRun: false,
    help: false,
    version: false,
  };
  if (argv[0] !== undefined && commands.includes(argv[0])) a.command = argv[0];
  for (let i = a.command ? 1 : 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string => {
      if (eq > 0) return arg.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined || (v.startsWith('-') && v !== '-')) throw new UsageError(`${name} expects a value`);
      return v;
    };
    const int = (min: number): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} expects an integer >= ${min}, got "${raw}"`);
      return n;
    };
    if (name === '-h' || name === '--help') a.help = true;
    else if (name === '-v' || name === '--version') a.version = true;
    else if (name === '-t' || name === '--testNamePattern') a.testNamePattern = value();
    else if (name === '--reporter') a.reporters.push(value());
    else if (name === '--outputFile') a.outputFiles[''] = value();
    else if (name.startsWith('--outputFile.')) a.outputFiles[name.slice('--outputFile.'.length)] = value();
    else if (name === '--bail') a.bail = true;
    else if (name === '--verbose') a.verbose = true;
    else if (name === '--early-stop') a.earlyStop = true;
    else if (name === '--concurrency') a.concurrency = int(1);
    else if (name === '--no-cache') a.cache = false;
    else if (name === '--no-history') a.history = false;
    else if (name === '--offline') a.offline = true;
    else if (name === '--timeout') a.timeoutMs = int(1);
    else if (name === '--retries') a.retries = int(0);
    else if (name === '--dir') a.dir = value();
    else if (name === '--cache-dir') a.cacheDir = value();
    else if (name === '--config') a.config = value();
    else if (a.command === 'import' && name === '--suite') a.importSuite = value();
    else if ((a.command === 'import' || a.command === 'export') && name === '--format') a.format = value();
    else if (a.command === 'export' && name === '--out') a.out = value();
    else if (a.command === 'plan' && name === '--width') a.planWidth = Number(value());
    else if (a.command === 'plan' && name === '--power') a.planPower = Number(value());
    else if (a.command === 'plan' && name === '--json') a.planJson = true;
    else if (a.command === 'annotate' && name === '--annotator') a.annotator = value();
    else if (a.command === 'annotate' && name === '--order') a.order = value();
    else if (a.command === 'agreement' && name === '--resolve') a.resolve = true;
    else if (a.command === 'import' && name === '--labels') a.importLabelColumns = value().split(',').map((c) => c.trim()).filter(Boolean);
    else if (a.command === 'import' && ['--id', '--input', '--output', '--expected', '--context', '--label', '--notes'].includes(name)) a.importColumns[name.slice(2)] = value();
    else if (name === '-u' || name === '--update') a.update = true;
    else if (name === '--optimize') a.optimize = true;
    else if (name === '--batch') a.batch = true;
    else if (name === '--batch-poll') a.batchPollMs = int(1);
    else if (name === '--optimize-rounds') a.optimizeRounds = int(1);
    else if (name === '--judge-model') a.judgeModels = value();
    else if (name === '--dry-run') a.dryRun = true;
    else if (name === '--shard') a.shard = value();
    else if (name === '--max-cost') {
      const raw = value();
      const usd = Number(raw);
      if (!Number.isFinite(usd) || usd < 0) throw new UsageError(`--max-cost expects an amount in USD, got "${raw}"`);
      a.maxCost = usd;
    }
    else if (name === '-w' || name === '--watch') a.watch = true;
    else if (name === '--merge-reports') {
      const next = argv[i + 1];
      a.mergeReports = eq > 0 ? arg.slice(eq + 1) : next !== undefined && !next.startsWith('-') ? (i++, next) : '.judge-test-reports';
    } else if (name === '--changed') {
      // An optional value, as in Vitest: `--changed`, `--changed main`, `--changed=HEAD~1`.
      const next = argv[i + 1];
      a.changed = eq > 0 ? arg.slice(eq + 1) : next !== undefined && !next.startsWith('-') ? (i++, next) : '';
    }
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${name} (see judge-test --help)`);
    else a.filters.push(arg);
  }
  if (a.dryRun && !a.optimize) throw new UsageError('--dry-run goes with --optimize');
  if (a.batch && (a.offline || a.optimize || a.watch || a.mergeReports !== undefined)) throw new UsageError('--batch makes calls: not with --offline, --optimize, --watch or --merge-reports');
  if (a.optimize && (a.watch || a.shard !== undefined || a.mergeReports !== undefined || a.update)) {
    throw new UsageError('--optimize runs on its own: not with --watch, --shard, --merge-reports or --update');
  }
  if (a.testNamePattern !== undefined) {
    try {
      new RegExp(a.testNamePattern);
    } catch {
      throw new UsageError(`-t: not a valid regular expression: ${a.testNamePattern}`);
    }
  }
  return a;
}

/** `commands`: each subcommand's usage lines (the first after `judge-test `, the others indented under it). */
export function helpText(version: string, commands: readonly string[][]): string {
  const width = Math.max(...FLAGS.map((f) => (f.flag + (f.value ? ' ' + f.value : '')).length));
  const rows = FLAGS.map((f) => `  ${(f.flag + (f.value ? ' ' + f.value : '')).padEnd(width)}  ${f.help}`);
  return [
    `judge-test ${version} — test LLM judges against human labels`,
    '',
    'Usage: judge-test [filters...] [options]',
    ...commands.flatMap((lines) => lines.map((line, i) => `${i === 0 ? '       judge-test ' : ' '.repeat(18)}${line}`)),
    '',
    'Runs every suite under calibration-suites/ (filters match suite file paths).',
    '',
    'Options:',
    ...rows,
    '',
    'Exit codes: 0 all thresholds met, 1 a threshold failed, 2 usage or config error,',
    '            3 provider or runtime error, 130 interrupted.',
    '',
  ].join('\n');
}
