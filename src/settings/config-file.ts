// judge-test.config.{js,mjs,ts,mts}: project defaults, like vitest.config. Flags override it
// (settings.ts merges the three).
import { existsSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { OPTIMIZER_PROVIDERS } from '../providers/index.js';
import { REPORTER_NAMES } from '../report/index.js';
import type { ProviderName } from '../types.js';

export const CONFIG_FILES = ['judge-test.config.js', 'judge-test.config.mjs', 'judge-test.config.ts', 'judge-test.config.mts'];

export const userConfigSchema = z
  .object({
    /** Where suites live (default calibration-suites). */
    dir: z.string().min(1).optional(),
    reporters: z.array(z.enum(REPORTER_NAMES)).min(1).optional(),
    /** One path for every file reporter, or one per reporter name. */
    outputFile: z.union([z.string().min(1), z.record(z.string(), z.string().min(1))]).optional(),
    concurrency: z.number().int().min(1).optional(),
    /** Timeout of one provider call, in ms. */
    timeout: z.number().int().min(1).optional(),
    retries: z.number().int().min(0).optional(),
    cacheDir: z.string().min(1).optional(),
    bail: z.boolean().optional(),
    /** USD per million tokens, by model name (or name prefix): overrides and additions to the defaults. */
    prices: z.record(z.string(), z.object({ input: z.number().min(0), output: z.number().min(0) }).strict()).optional(),
    /** --optimize: the optimizer model (default: the judge's) and the search's size. */
    optimize: z
      .object({
        provider: z.enum(OPTIMIZER_PROVIDERS as [ProviderName, ...ProviderName[]]).optional(),
        model: z.string().min(1).optional(),
        baseURL: z.url().optional(),
        temperature: z.number().min(0).max(2).optional(),
        rounds: z.number().int().min(1).optional(),
        candidates: z.number().int().min(1).max(20).optional(),
        examples: z.number().int().min(0).max(50).optional(),
        strategy: z.enum(['balanced', 'misalignment', 'patterns']).optional(),
        max_calls: z.number().int().min(1).optional(),
        seed: z.number().int().optional(),
        confidence: z.number().gt(0.5).lt(1).optional(),
        few_shot: z.enum(['balanced', 'as_named']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type UserConfig = z.infer<typeof userConfigSchema>;

export interface LoadedConfig {
  file: string;
  config: UserConfig;
}

/** The config file named by --config, or the first of CONFIG_FILES in cwd, or none. */
export async function loadConfigFile(cwd: string, explicit?: string): Promise<LoadedConfig | undefined> {
  const file = explicit ? resolve(cwd, explicit) : CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
  if (!file) return undefined;
  const where = { file };
  if (!existsSync(file)) throw new ConfigError(`config file not found`, where);
  if (['.ts', '.mts'].includes(extname(file)) && !(process.features as { typescript?: unknown }).typescript) {
    throw new ConfigError('this Node.js cannot load a TypeScript config; name it judge-test.config.mjs, or use Node.js 22.6+', where);
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (err) {
    throw new ConfigError(`cannot load the config: ${(err as Error).message}`, where);
  }
  const parsed = userConfigSchema.safeParse(mod.default);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? `${issue.path.join('.')}: ` : 'the default export: ';
    throw new ConfigError(`${field}${issue.message}`, where);
  }
  // Paths in the config are relative to the config file.
  const base = dirname(file);
  const c = parsed.data;
  if (c.dir) c.dir = resolve(base, c.dir);
  if (c.cacheDir) c.cacheDir = resolve(base, c.cacheDir);
  if (typeof c.outputFile === 'string') c.outputFile = resolve(base, c.outputFile);
  else if (c.outputFile) c.outputFile = Object.fromEntries(Object.entries(c.outputFile).map(([k, v]) => [k, resolve(base, v)]));
  return { file, config: c };
}
