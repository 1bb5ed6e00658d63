// `judge-test annotate <suite> --annotator <name>`: label a suite's items in the terminal.
import { findSuiteFiles } from '../config/discover.js';
import { loadSuiteForLabeling } from '../config/load-suite.js';
import { ConfigError } from '../errors.js';
import { resolve } from 'node:path';
import { VerdictCache } from '../cache/store.js';
import { cachedVerdict, callJudge, planTask } from '../judge/evaluate-item.js';
import { DEFAULT_RETRY } from '../judge/retry.js';
import { createProvider } from '../providers/index.js';
import { annotate, type Row } from '../scaffold/annotate.js';
import { informativeOrder } from '../scaffold/informative-order.js';
import type { Label, ResolvedJudge } from '../types.js';
import { DEFAULT_SUITES_DIR } from '../settings/settings.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function annotateCommand(args: CliArgs, cwd: string): Promise<number> {
  const files = findSuiteFiles(cwd, args.dir ?? DEFAULT_SUITES_DIR, args.filters);
  if (files.length !== 1 || !args.annotator) throw new ConfigError(`annotate: expected one suite and --annotator <name> (the filter matched ${files.length} suites)`);
  const suite = loadSuiteForLabeling(files[0]!);
  if (!suite.itemsFile) throw new ConfigError('annotate: the suite lists its items inline; move them to a .jsonl file to annotate', { file: files[0]! });
  // Ctrl-C: every answer is already saved; leave at once.
  process.on('SIGINT', () => {
    process.stdout.write('\nStopped: every answer so far is saved.\n');
    process.exit(EXIT.interrupted);
  });
  if (args.order !== undefined && args.order !== 'informative' && args.order !== 'file') throw new ConfigError(`annotate: --order expects informative or file, got "${args.order}"`);
  const order = args.order === 'informative' ? (todo: readonly Row[], all: readonly Row[]) => informative(suite.judge, todo, all, cwd, args) : undefined;
  await annotate(suite, args.annotator, suite.itemsFile, { input: process.stdin, output: process.stdout }, cwd, order);
  return EXIT.ok;
}

/** The informative order (scaffold/informative-order.ts) from the judge's verdicts: cached ones for a model (never a call), the local ones for recorded and code judges. */
async function informative(judge: ResolvedJudge, todo: readonly Row[], all: readonly Row[], cwd: string, args: CliArgs): Promise<string[]> {
  const provider = await createProvider({ judge, env: process.env, timeoutMs: 60_000 });
  const cache = provider.cacheable ? new VerdictCache(resolve(cwd, args.cacheDir ?? '.judge-cache')) : undefined;
  const signal = new AbortController().signal;
  const candidates = [];
  for (const row of todo) {
    const { id, label: _l, labels, notes: _n, tags: _t, consensus: _c, rationale: _r, edge_case: _e, origin: _o, annotator_notes: _a, ...fields } = row;
    const task = planTask(judge, provider, { id: String(id), fields, labels: {}, source: { file: '', line: 0, column: 0 } });
    const v = cache ? cachedVerdict(task, cache) : await callJudge(task, { retry: DEFAULT_RETRY, timeoutMs: 60_000, signal, onCall: () => {} });
    candidates.push({
      id: String(id),
      ...(v ? { verdict: v.status === 'ok' ? v.label : null } : {}),
      ...(v?.confidence !== undefined ? { confidence: v.confidence } : {}),
      ...(v?.flipRate !== undefined ? { flipRate: v.flipRate } : {}),
      otherLabels: Object.values((labels as Record<string, Label> | undefined) ?? {}),
    });
  }
  cache?.close();
  // The classes the labeled set already has: one label per item labeled by anyone.
  const labeled = all.flatMap((r) => (r.label !== undefined ? [r.label as Label] : Object.values((r.labels as Record<string, Label> | undefined) ?? {}).slice(0, 1)));
  return informativeOrder(candidates, labeled, 0);
}
