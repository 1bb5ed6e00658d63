// `judge-test cache stats | prune | clear [judge-id]`.
import { cacheStats, clearCache, otherStoreStats, pruneCache } from '../cache/maintenance.js';
import { holdForPruning } from '../cache/writers.js';
import { ConfigError, relativeTo } from '../errors.js';
import { loadConfigFile } from '../settings/config-file.js';
import { cacheDir, suitesDir } from '../settings/settings.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function cacheCommand(args: CliArgs, cwd: string): Promise<number> {
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const dir = cacheDir(args, config, cwd);
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
    const release = holdForPruning(dir, cwd, 'cache clear');
    let removed: string[];
    try {
      removed = clearCache(dir, judge);
    } finally {
      release();
    }
    out(removed.length ? `removed ${removed.join(', ')}` : `nothing to remove${judge ? ` for judge "${judge}"` : ''}`);
    return EXIT.ok;
  }
  if (action === 'prune') {
    const [{ findSuiteFiles }, { loadSuites }, { liveCacheKeys }] = await Promise.all([import('../config/discover.js'), import('../config/load-suite.js'), import('../run/live-keys.js')]);
    const suites = findSuiteFiles(cwd, suitesDir(args, config), []).flatMap((f) => loadSuites(f));
    const live = await liveCacheKeys(suites, process.env);
    // A run appending meanwhile would lose its lines to the rewrite: refuse while one writes.
    const release = holdForPruning(dir, cwd);
    try {
      for (const p of pruneCache(dir, live)) out(`${p.judge}: kept ${p.kept}, removed ${p.removed}`);
    } finally {
      release();
    }
    return EXIT.ok;
  }
  throw new ConfigError(`cache: expected stats, prune or clear [judge-id], got ${action ? `"${action}"` : 'nothing'}`);
}
