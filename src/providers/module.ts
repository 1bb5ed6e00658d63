// A judge written as code: a JS module whose default export (or `judge` export) grades one item.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { register } from 'node:module';
import { dirname, extname, relative, resolve } from 'node:path';
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
  const graph = moduleGraph(file);
  let mod: Record<string, unknown>;
  try {
    mod = (await importVersion(file, graph.hash)) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`judge "${ctx.judge.id}": cannot load module ${file}: ${(err as Error).message}`, where);
  }
  const fn = (typeof mod.default === 'function' ? mod.default : mod.judge) as ModuleJudgeFn | undefined;
  if (typeof fn !== 'function') {
    throw new ConfigError(`judge "${ctx.judge.id}": ${file} must export a function (default export or "judge")`, where);
  }
  // Code judges are usually cheap and deterministic; a module that calls a model opts in.
  const cacheable = mod.cache === true;
  // Its identity in cache keys: the module's source, and the local files it imports.
  const identity = graph.files.length === 1 ? createHash('sha256').update(source).digest('hex') : graph.hash;
  return new ModuleProvider(fn, ctx.judge, cacheable, identity);
}

/** The module file and the local files it imports (relative specifiers, followed), and a hash of them all. */
export function moduleGraph(entry: string): { files: string[]; hash: string } {
  const files: string[] = [];
  const todo = [resolve(entry)];
  const h = createHash('sha256');
  while (todo.length > 0) {
    const file = todo.shift()!;
    if (files.includes(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // not a file we can read: the import itself will say so
    }
    files.push(file);
    h.update(`${relative(dirname(entry), file)}\0${text}\0`);
    for (const m of text.matchAll(LOCAL_IMPORT)) todo.push(resolve(dirname(file), m[1] ?? m[2] ?? m[3]!));
  }
  return { files, hash: h.digest('hex') };
}

/** Relative specifiers of static imports and exports, import() and require() with a literal. */
const LOCAL_IMPORT = /(?:\bfrom\s*|\bimport\s*)['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|\brequire\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** The version of each module file this process has imported (by its graph's hash). */
const imported = new Map<string, string>();
let versioningHooks = false;

/**
 * Import a module judge. Node caches modules by URL, so an edited judge (under --watch) would
 * run its old code: a later version is imported under a URL that names it, and a resolve
 * hook hands the same version to the local files it imports. A first import is a plain one.
 */
async function importVersion(file: string, version: string): Promise<unknown> {
  const url = pathToFileURL(file);
  const before = imported.get(file);
  imported.set(file, version);
  if (before === undefined || before === version) return import(url.href);
  if (!versioningHooks) {
    register(`data:text/javascript,${encodeURIComponent(VERSIONING_HOOKS)}`);
    versioningHooks = true;
  }
  url.searchParams.set(VERSION_PARAM, version);
  return import(url.href);
}

const VERSION_PARAM = 'judge-test-version';
const VERSIONING_HOOKS = `
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  const parent = context.parentURL && URL.canParse(context.parentURL) ? new URL(context.parentURL) : undefined;
  const version = parent?.searchParams.get('${VERSION_PARAM}');
  if (!version || !result.url.startsWith('file:') || result.url.includes('/node_modules/')) return result;
  const url = new URL(result.url);
  url.searchParams.set('${VERSION_PARAM}', version);
  return { ...result, url: url.href };
}
`;

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
