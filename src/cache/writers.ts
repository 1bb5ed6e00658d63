// Who is writing to a cache folder right now. A run registers while it has a cache file open
// for appending; `cache prune` rewrites files, so it refuses while a writer lives (a line
// appended to the old file after the rewrite would be lost), and a writer that starts during
// a prune waits for it. The marks live in the system's temp folder, never in the cache a
// user commits; a mark whose process is gone (kill -9) is ignored and removed.
import { hash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, relativeTo } from '../errors.js';
import { processAlive } from '../io/file-lock.js';

function marks(dir: string): string {
  return join(tmpdir(), 'judge-test-cache-marks', hash('sha256', resolve(dir)).slice(0, 16));
}

/** The live processes holding a mark of this kind; marks of dead ones are removed. */
function living(dir: string, kind: 'writer' | 'pruner'): number[] {
  let names: string[];
  try {
    names = readdirSync(marks(dir));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const m = new RegExp(`^${kind}-(\\d+)$`).exec(name);
    if (!m) return [];
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) return pid === process.pid ? [] : [pid];
    rmSync(join(marks(dir), name), { force: true });
    return [];
  });
}

function mark(dir: string, kind: 'writer' | 'pruner'): () => void {
  const file = join(marks(dir), `${kind}-${process.pid}`);
  mkdirSync(marks(dir), { recursive: true });
  writeFileSync(file, '');
  return () => rmSync(file, { force: true });
}

/** How many other processes are writing to the cache in `dir` now. */
export function otherWriters(dir: string): number {
  return living(dir, 'writer').length;
}

/** Mark this process as appending to the cache in `dir` until the returned function is called; wait out a prune. */
export function holdForWriting(dir: string): () => void {
  const release = mark(dir, 'writer');
  // Marked first, then looked: a prune that started meanwhile sees this mark and refuses.
  for (let waited = 0; living(dir, 'pruner').length > 0 && waited < 30_000; waited += 10) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  return release;
}

/** Mark this process as pruning the cache in `dir`, or refuse (ConfigError) while a run writes to it. */
export function holdForPruning(dir: string, cwd: string, command = 'cache prune'): () => void {
  const release = mark(dir, 'pruner');
  const writers = living(dir, 'writer');
  if (writers.length > 0) {
    release();
    throw new ConfigError(`${command}: a judge-test run (pid ${writers[0]}) is writing to ${relativeTo(cwd, dir)}; ${command.replace('cache ', '')} when it has finished`);
  }
  return release;
}
