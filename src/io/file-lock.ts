// A lock file beside a file several processes rewrite (annotators sharing a data file):
// created exclusively with the holder's pid; a lock whose process is gone is taken over.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

/**
 * Run `write` holding `<file>.lock` (created exclusively, holding our pid): two annotators
 * saving at once take turns. A lock whose process is gone is taken over.
 */
export function withFileLock(file: string, write: () => void): void {
  const lock = `${file}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number(readFileSafe(lock));
      if (!Number.isInteger(holder) || !processAlive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (attempt > 200) throw new ConfigError(`another judge-test (pid ${holder}) holds ${lock}; nothing was saved`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // a short, synchronous wait
    }
  }
  try {
    write();
  } finally {
    rmSync(lock, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Whether a process with this pid runs (one we may not signal counts: it runs). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
