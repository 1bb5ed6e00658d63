// --watch: after the first run, re-run the suites a changed file touches (suite, judge,
// data, module), as Vitest re-runs affected tests. The cache makes a re-run cheap: only a
// judge whose prompt changed calls the model.
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadSuites } from '../config/load-suite.js';
import { findSuiteFiles } from '../config/discover.js';
import { ConfigError, relativeTo } from '../errors.js';
import { redactSecrets } from '../secrets/redact.js';
import type { ResolvedSuite } from '../types.js';

export interface WatchOptions {
  cwd: string;
  dir: string;
  filters: string[];
  /** Run these suites once (the caller's normal run, with its own reporters and signal). */
  run: (suites: ResolvedSuite[]) => Promise<void>;
  log: (line: string) => void;
  /** Resolves when the user stops watching. */
  stopped: Promise<void>;
}

export async function watchSuites(initial: ResolvedSuite[], opts: WatchOptions): Promise<void> {
  let suites = initial;
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();

  const directories = () => new Set([resolve(opts.cwd, opts.dir), ...suites.flatMap((s) => s.dependencies.map((d) => dirname(d)))]);
  const rewatch = () => {
    const wanted = directories();
    for (const [d, w] of watchers) if (!wanted.has(d)) (w.close(), watchers.delete(d));
    for (const d of wanted) {
      if (watchers.has(d)) continue;
      try {
        // Directories, not files: editors that save by renaming would lose a file watch.
        watchers.set(d, watch(d, (_event, name) => name && changed(join(d, name.toString()))));
      } catch {
        // a folder that does not exist (yet) is not watched
      }
    }
  };
  const changed = (file: string) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => (running = running.then(rerun)), 150); // one re-run per burst of saves
  };
  const rerun = async () => {
    const files = [...pending];
    pending.clear();
    try {
      // A new or edited suite file is read again; so is any suite a changed file belongs to.
      const all = findSuiteFiles(opts.cwd, opts.dir, opts.filters);
      const affected = all.filter((f) => files.includes(f) || suites.some((s) => s.file === f && s.dependencies.some((d) => files.includes(d))));
      if (affected.length === 0) return;
      const fresh = affected.flatMap((f) => loadSuites(f));
      suites = [...suites.filter((s) => !affected.includes(s.file) && all.includes(s.file)), ...fresh];
      rewatch();
      // Name the files that made the re-run, not an editor's swap or backup file saved beside them.
      const causes = files.filter((f) => all.includes(f) || fresh.some((s) => s.dependencies.includes(f)));
      opts.log(`\nRe-running ${fresh.length} suite(s): ${causes.map((f) => relativeTo(opts.cwd, f)).join(', ')} changed`);
      await opts.run(fresh);
    } catch (err) {
      // A half-edited file is normal while watching: say what is wrong and keep watching.
      opts.log(err instanceof ConfigError ? `judge-test: ${redactSecrets(err.format(opts.cwd))}` : `judge-test: ${redactSecrets(String(err))}`);
    }
    opts.log('Waiting for file changes… (Ctrl-C to exit)');
  };

  rewatch();
  opts.log('Waiting for file changes… (Ctrl-C to exit)');
  await opts.stopped;
  clearTimeout(timer);
  for (const w of watchers.values()) w.close();
  await running;
}
