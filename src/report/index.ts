// The reporter registry: `--reporter <name>` (repeatable) with `--outputFile[.<name>] <path>`.
// The config file's schema, the help text and the CLI read the names from here; a new
// reporter is its own file and a row here. Each reporter is imported only when asked for
// (junit-report-builder alone costs ~90 ms to load).
import type { Reporter } from '../types.js';

export interface ReporterContext {
  cwd: string;
  /** Where the report goes (absolute), when the user named a file. */
  outputFile?: string;
  /** `--shard i/n`, for the blob a shard writes. */
  shard?: string;
  /** The whole run a shard is part of, for its blob (`runFingerprint` in shard/shard.ts). */
  run?: { fingerprint: string; files: string[] };
}

interface ReporterSpec {
  /**
   * Which `--outputFile` it takes: none (it prints), only its own (`--outputFile.<name>`), or
   * also the one given for every file reporter (plain `--outputFile`).
   */
  outputFile: 'none' | 'own' | 'shared';
  create(ctx: ReporterContext): Promise<Reporter>;
}

const file = (ctx: ReporterContext) => (ctx.outputFile ? { outputFile: ctx.outputFile } : {});

export const REPORTERS = {
  default: { outputFile: 'none', create: async (ctx) => new (await import('./default.js')).DefaultReporter({ cwd: ctx.cwd, progress: process.stderr }) },
  verbose: { outputFile: 'none', create: async (ctx) => new (await import('./default.js')).DefaultReporter({ cwd: ctx.cwd, progress: process.stderr, verbose: true }) },
  junit: { outputFile: 'shared', create: async (ctx) => new (await import('./junit.js')).JunitReporter({ cwd: ctx.cwd, ...file(ctx) }) },
  json: { outputFile: 'shared', create: async (ctx) => new (await import('./json.js')).JsonReporter({ cwd: ctx.cwd, ...file(ctx) }) },
  github: { outputFile: 'none', create: async (ctx) => new (await import('./github.js')).GithubReporter({ cwd: ctx.cwd }) },
  markdown: { outputFile: 'shared', create: async (ctx) => new (await import('./markdown.js')).MarkdownReporter({ cwd: ctx.cwd, ...file(ctx) }) },
  html: { outputFile: 'shared', create: async (ctx) => new (await import('./html.js')).HtmlReporter({ cwd: ctx.cwd, ...file(ctx) }) },
  blob: { outputFile: 'own', create: async (ctx) => new (await import('../shard/blob.js')).BlobReporter({ cwd: ctx.cwd, shard: ctx.shard ?? null, run: ctx.run ?? { fingerprint: '', files: [] }, ...file(ctx) }) },
} satisfies Record<string, ReporterSpec>;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as [ReporterName, ...ReporterName[]];

export function isReporterName(name: string): name is ReporterName {
  return Object.hasOwn(REPORTERS, name);
}

export function createReporter(name: ReporterName, ctx: ReporterContext): Promise<Reporter> {
  return REPORTERS[name].create(ctx);
}
