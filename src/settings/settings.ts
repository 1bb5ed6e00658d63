// A run's settings, in one order everywhere: flags win over the config file, which wins over
// the defaults. The CLI parses the flags; everything here is about merging them.
import { resolve } from 'node:path';
import { DEFAULT_PRICES } from '../cost/prices.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_RETRY } from '../judge/retry.js';
import { DEFAULT_MAX_CALLS, DEFAULT_OPTIMIZE, type OptimizerChoice, type OptimizeSettings } from '../optimize/defaults.js';
import { isReporterName, REPORTER_NAMES, REPORTERS, type ReporterName } from '../report/index.js';
import { DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT_MS, type RunOptions } from '../run/run-suites.js';
import type { UserConfig } from './config-file.js';

/** The flags that a config file may also give; undefined unless a flag sets it. */
export interface SettingFlags {
  dir?: string;
  cacheDir?: string;
  reporters: string[];
  /** outputFile per reporter name; '' is the file for every reporter that takes one. */
  outputFiles: Record<string, string>;
  concurrency?: number;
  bail?: boolean;
  timeoutMs?: number;
  retries?: number;
  /** --no-cache sets it false. */
  cache: boolean;
  offline: boolean;
  maxCost?: number;
  optimizeRounds?: number;
  /** --verbose: the console reporter prints every suite in full (`default` becomes `verbose`). */
  verbose?: boolean;
}

export const DEFAULT_SUITES_DIR = 'calibration-suites';
export const DEFAULT_CACHE_DIR = '.judge-cache';

/** Where the suites are (relative to cwd, as given). */
export function suitesDir(flags: Pick<SettingFlags, 'dir'>, config: UserConfig): string {
  return flags.dir ?? config.dir ?? DEFAULT_SUITES_DIR;
}

/** The verdict cache's folder (absolute). */
export function cacheDir(flags: Pick<SettingFlags, 'cacheDir'>, config: UserConfig, cwd: string): string {
  return resolve(cwd, flags.cacheDir ?? config.cacheDir ?? DEFAULT_CACHE_DIR);
}

export interface ReporterChoice {
  name: ReporterName;
  /** Absolute, when the reporter writes a file the user named. */
  outputFile?: string;
}

/**
 * The reporters to create and the file each writes; a shard always adds its blob. A path no
 * reporter of the run would write (given by a flag), or one path for two reporters, is an
 * error: a report silently not written, or overwritten, is a report lost.
 */
export function reporterChoices(flags: SettingFlags, config: UserConfig, cwd: string, shard: boolean): ReporterChoice[] {
  const configFiles = typeof config.outputFile === 'string' ? { '': config.outputFile } : (config.outputFile ?? {});
  const outputFiles: Record<string, string> = { ...configFiles, ...flags.outputFiles };
  const named = [...(flags.reporters.length > 0 ? flags.reporters : (config.reporters ?? ['default']))].map((n) => (flags.verbose && n === 'default' ? 'verbose' : n));
  for (const n of [...named, ...Object.keys(outputFiles).filter(Boolean)]) {
    if (!isReporterName(n)) throw new ConfigError(`unknown reporter "${n}"; valid reporters: ${REPORTER_NAMES.join(', ')}`);
  }
  const names = [...named] as ReporterName[];
  // A shard is only useful merged: it always writes its blob.
  if (shard && !names.includes('blob')) names.push('blob');
  // The plain --outputFile goes to every file reporter that shares it, and to a blob asked for by name.
  const takesShared = (name: ReporterName) => REPORTERS[name].outputFile === 'shared' || (name === 'blob' && named.includes('blob'));
  const choices = names.map((name) => {
    const out = outputFiles[name] ?? (takesShared(name) ? outputFiles[''] : undefined);
    return { name, ...(out ? { outputFile: resolve(cwd, out) } : {}), given: out };
  });
  checkOutputFiles(choices, flags.outputFiles, names);
  return choices.map(({ given: _given, ...c }) => c);
}

function checkOutputFiles(choices: (ReporterChoice & { given?: string | undefined })[], fromFlags: Record<string, string>, names: ReporterName[]): void {
  const flag = (name: string) => (name ? `--outputFile.${name}` : '--outputFile');
  for (const [name, path] of Object.entries(fromFlags)) {
    if (name === '' && !choices.some((c) => c.given === path)) {
      throw new ConfigError(`--outputFile ${path}: no reporter of this run writes a file (${names.join(', ')} ${names.length === 1 ? 'prints' : 'print'}); add --reporter junit, json, markdown or html`);
    }
    if (name !== '' && REPORTERS[name as ReporterName].outputFile === 'none') throw new ConfigError(`${flag(name)} ${path}: the ${name} reporter writes no file`);
    if (name !== '' && !names.includes(name as ReporterName)) throw new ConfigError(`${flag(name)} ${path}: ${name} is not a reporter of this run (add --reporter ${name})`);
  }
  const writers = choices.filter((c) => c.outputFile !== undefined);
  for (const [i, a] of writers.entries()) {
    const b = writers.slice(i + 1).find((w) => w.outputFile === a.outputFile);
    if (b) throw new ConfigError(`--outputFile ${a.given}: ${a.name} and ${b.name} would both write it; give each its own (--outputFile.${a.name} <path>, --outputFile.${b.name} <path>)`);
  }
}

/** Everything of the run's options that flags and the config decide (reporters and signal come from the caller). */
export function runSettings(flags: SettingFlags, config: UserConfig, cwd: string): Omit<RunOptions, 'env' | 'reporters' | 'signal' | 'warn'> {
  return {
    cwd,
    concurrency: flags.concurrency ?? config.concurrency ?? DEFAULT_CONCURRENCY,
    noCache: !flags.cache,
    offline: flags.offline,
    bail: flags.bail ?? config.bail ?? false,
    timeoutMs: flags.timeoutMs ?? config.timeout ?? DEFAULT_TIMEOUT_MS,
    retry: { ...DEFAULT_RETRY, retries: flags.retries ?? config.retries ?? DEFAULT_RETRY.retries },
    cacheDir: cacheDir(flags, config, cwd),
    prices: { ...DEFAULT_PRICES, ...config.prices },
    ...(flags.maxCost !== undefined ? { maxCost: flags.maxCost } : {}),
  };
}

export interface OptimizeChoices {
  settings: OptimizeSettings;
  optimizer: OptimizerChoice;
  maxCalls: number;
}

/** --optimize: the search's size and the optimizer model. */
export function optimizeSettings(flags: SettingFlags, config: UserConfig): OptimizeChoices {
  const o = config.optimize ?? {};
  const optimizer: OptimizerChoice = {};
  if (o.provider) optimizer.provider = o.provider;
  if (o.model) optimizer.model = o.model;
  if (o.baseURL) optimizer.baseURL = o.baseURL;
  if (o.temperature !== undefined) optimizer.temperature = o.temperature;
  return {
    settings: {
      ...DEFAULT_OPTIMIZE,
      rounds: flags.optimizeRounds ?? o.rounds ?? DEFAULT_OPTIMIZE.rounds,
      candidates: o.candidates ?? DEFAULT_OPTIMIZE.candidates,
      examples: o.examples ?? DEFAULT_OPTIMIZE.examples,
      strategy: o.strategy ?? DEFAULT_OPTIMIZE.strategy,
      seed: o.seed ?? DEFAULT_OPTIMIZE.seed,
      confidence: o.confidence ?? DEFAULT_OPTIMIZE.confidence,
      fewShot: o.few_shot ?? DEFAULT_OPTIMIZE.fewShot,
    },
    optimizer,
    maxCalls: o.max_calls ?? DEFAULT_MAX_CALLS,
  };
}
