// --merge-reports: the shards' blobs back into whole suites. Suites are loaded again from
// their files, every item gets its verdict from whichever shard judged it, and the metrics
// and thresholds are computed over all items — never averaged across shards.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { itemResult, scoreSuite } from '../assert/score-suite.js';
import { loadSuites } from '../config/load-suite.js';
import { scoreCombined } from '../assert/score-combined.js';
import { compareJudges } from '../assert/compare-judges.js';
import { scorePanel } from '../assert/score-panel.js';
import { loadCustomMetrics } from '../assert/custom-metrics.js';
import { ConfigError, relativeTo } from '../errors.js';
import type { Blob } from './blob.js';
import type { Reporter, ResolvedSuite, RunStats, SuiteResult, Verdict } from '../types.js';

/** `recordingBaseline`: --update, which records this merge as each suite's baseline. */
export async function mergeReports(dir: string, cwd: string, reporters: Reporter[], opts: { recordingBaseline?: boolean } = {}): Promise<{ results: SuiteResult[]; stats: RunStats }> {
  const root = resolve(cwd, dir);
  const files = existsSync(root) ? readdirSync(root).filter((f) => /^blob.*\.json$/.test(f)).sort() : [];
  if (files.length === 0) throw new ConfigError(`--merge-reports: no blob files in ${relativeTo(cwd, root) || root} (run the shards with --reporter blob)`);
  const blobs = files.map((f) => {
    let b: Blob;
    try {
      b = JSON.parse(readFileSync(join(root, f), 'utf8')) as Blob;
    } catch (err) {
      throw new ConfigError(`--merge-reports: ${(err as Error).message}`, { file: join(root, f) });
    }
    if ((b as { version?: unknown }).version === 1) throw new ConfigError('--merge-reports: a blob of an older judge-test (version 1): re-run every shard', { file: join(root, f) });
    if (b?.version !== 2 || !Array.isArray(b.suites) || !Array.isArray(b.files) || typeof b.run !== 'string') throw new ConfigError('--merge-reports: not a judge-test blob (version 2)', { file: join(root, f) });
    return b;
  });
  checkShards(blobs, files);
  const stats: RunStats = { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 0, cancelled: false };
  const verdicts = new Map<string, Map<string, Verdict>>();
  const suiteFiles = new Set<string>();
  for (const b of blobs) {
    stats.calls += b.stats.calls;
    stats.local += b.stats.local;
    stats.cached += b.stats.cached;
    stats.errors += b.stats.errors;
    stats.durationMs = Math.max(stats.durationMs, b.stats.durationMs); // shards run side by side
    stats.cancelled ||= b.stats.cancelled;
    for (const key of ['spent', 'saved'] as const) {
      const from = b.stats[key];
      if (!from) continue;
      const into = (stats[key] ??= { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, usd: 0 });
      into.inputTokens += from.inputTokens;
      into.cachedInputTokens += from.cachedInputTokens ?? 0;
      into.outputTokens += from.outputTokens;
      into.usd = into.usd === null || from.usd === null ? null : into.usd + from.usd;
    }
    for (const s of b.suites) {
      // By file and name: the criterion views of a multi-criteria suite share a file.
      const k = viewKey(s.file, s.name);
      const m = verdicts.get(k) ?? new Map<string, Verdict>();
      for (const i of s.items) m.set(i.id, i.verdict);
      verdicts.set(k, m);
      suiteFiles.add(s.file);
    }
  }
  // Every suite of the run, including one whose items all fell into a shard that judged nothing else.
  const suites = [...new Set([...blobs[0]!.files, ...suiteFiles])].sort().flatMap((f) => loadSuites(resolve(cwd, f)));
  if (opts.recordingBaseline) for (const s of suites) s.recordingBaseline = true;
  await loadCustomMetrics(suites);
  reporters.forEach((r) => r.onRunStart?.({ suites, totalItems: suites.reduce((a, s) => a + (s.combined || s.panel ? 0 : s.items.length), 0) }));
  const byView = new Map<ResolvedSuite, SuiteResult>();
  const results = suites.map((suite) => {
    if (suite.combined || suite.panel) {
      const result = suite.panel ? scorePanel(suite, suite.panel.members.map((m) => byView.get(m)), 0) : scoreCombined(suite, suite.combined!.members.map((m) => byView.get(m)), 0);
      reporters.forEach((r) => r.onSuiteDone?.(result));
      return result;
    }
    const rel = relativeTo(cwd, suite.file);
    const byId = verdicts.get(viewKey(rel, suite.name)) ?? verdicts.get(rel) ?? new Map<string, Verdict>();
    const missing = suite.items.filter((it) => !byId.has(it.id));
    if (missing.length > 0) {
      throw new ConfigError(`--merge-reports: ${missing.length} item(s) of this suite have no verdict in the blobs, first "${missing[0]!.id}" (a shard missing, or the suite changed since?)`, { file: suite.file });
    }
    const result = scoreSuite(suite, suite.items.map((it, i) => itemResult(suite, i, byId.get(it.id)!)), 0);
    byView.set(suite, result);
    reporters.forEach((r) => r.onSuiteDone?.(result));
    return result;
  });
  compareJudges(results);
  for (const r of reporters) await r.onRunDone(results, stats);
  return { results, stats };
}

/**
 * The blobs must be the shards of one run, each once, none missing: a merge that silently
 * lacks a shard would gate on part of the items (or none of a suite's).
 */
function checkShards(blobs: readonly Blob[], files: readonly string[]): void {
  const other = blobs.findIndex((b) => b.run !== blobs[0]!.run || (b.shard === null) !== (blobs[0]!.shard === null) || countOf(b) !== countOf(blobs[0]!));
  if (other > 0) throw new ConfigError(`--merge-reports: ${files[0]} and ${files[other]} are shards of different runs (their suites or items differ): re-run every shard`);
  const count = countOf(blobs[0]!);
  if (count === null) {
    if (blobs.length > 1) throw new ConfigError(`--merge-reports: ${files.join(', ')} are unsharded runs: merge the blobs of one sharded run (--shard i/n)`);
    return;
  }
  const held = new Map<string, string>();
  blobs.forEach((b, i) => {
    const first = held.get(b.shard!);
    if (first !== undefined) throw new ConfigError(`--merge-reports: shard ${b.shard} is in two blobs (${first}, ${files[i]})`);
    held.set(b.shard!, files[i]!);
  });
  const missing = Array.from({ length: count }, (_, i) => `${i + 1}/${count}`).filter((s) => !held.has(s));
  if (missing.length > 0) {
    const have = [...held.keys()].sort((a, b) => Number.parseInt(a) - Number.parseInt(b)).join(', ');
    throw new ConfigError(`--merge-reports: ${missing.length === 1 ? `shard ${missing[0]} is` : `shards ${missing.join(', ')} are`} missing (the blobs hold ${have})`);
  }
}

/** n of a blob's "i/n", or null for an unsharded run. */
function countOf(b: Blob): number | null {
  return b.shard === null ? null : Number(b.shard.split('/')[1]);
}

/** A suite's verdicts in the blobs: by file, and by name for the views of a multi-criteria suite. */
function viewKey(file: string, name: string | undefined): string {
  return name === undefined ? file : `${file}\u0000${name}`;
}
