// A judge written as code: a JS module whose default export (or `judge` export) grades one item.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import type { Item, ResolvedJudge } from '../types.js';
import { ProviderCallError, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './provider.js';

/** What a module judge receives: the item's fields at top level, plus the item and judge. */
export type ModuleJudgeInput = Record<string, unknown> & { id: string; item: Item; judge: ResolvedJudge };
/** What it returns: `{verdict, reason?, confidence?}` or a bare label. */
export type ModuleJudgeFn = (input: ModuleJudgeInput) => unknown;

export async function loadModuleProvider(ctx: ProviderContext): Promise<Provider> {
  const file = ctx.judge.path!;
  const where = { file: ctx.judge.file };
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`judge "${ctx.judge.id}": cannot read module ${file}`, where);
  }
  if (['.ts', '.mts', '.cts'].includes(extname(file)) && !(process.features as { typescript?: unknown }).typescript) {
    throw new ConfigError(`judge "${ctx.judge.id}": ${file} is TypeScript, which this Node.js cannot load; compile it to .js or use Node.js 22.6+`, where);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`judge "${ctx.judge.id}": cannot load module ${file}: ${(err as Error).message}`, where);
  }
  const fn = (typeof mod.default === 'function' ? mod.default : mod.judge) as ModuleJudgeFn | undefined;
  if (typeof fn !== 'function') {
    throw new ConfigError(`judge "${ctx.judge.id}": ${file} must export a function (default export or "judge")`, where);
  }
  // Code judges are usually cheap and deterministic; a module that calls a model opts in.
  const cacheable = mod.cache === true;
  return new ModuleProvider(fn, ctx.judge, cacheable, createHash('sha256').update(source).digest('hex'));
}

class ModuleProvider implements Provider {
  readonly repairable = false;
  constructor(
    private readonly fn: ModuleJudgeFn,
    private readonly judge: ResolvedJudge,
    readonly cacheable: boolean,
    readonly cacheIdentity: string,
  ) {}

  async complete(req: ProviderRequest): Promise<ProviderAnswer> {
    let result: unknown;
    try {
      result = await this.fn({ ...req.item.fields, id: req.item.id, item: req.item, judge: this.judge });
    } catch (err) {
      throw new ProviderCallError(`module judge threw: ${(err as Error)?.message ?? String(err)}`, false);
    }
    if (result !== null && typeof result === 'object') return { text: JSON.stringify(result), data: result };
    return { text: result === undefined ? '' : String(result) };
  }
}
