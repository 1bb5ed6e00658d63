// Write a whole file or nothing: a temp file in the same directory, then rename over the target.
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { ConfigError } from '../errors.js';

export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** A report written whole (atomically), or one line naming its path (exit 2), never a stack trace. */
export function writeReportFile(file: string, text: string, what: string): void {
  writing(file, what, () => writeFileAtomic(file, text));
}

/** Append to a file others also write (the GitHub step summary), or one line naming its path. */
export function appendReportFile(file: string, text: string, what: string): void {
  writing(file, what, () => appendFileSync(file, text));
}

function writing(file: string, what: string, write: () => void): void {
  try {
    write();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EISDIR' ? 'it is a folder' : e.code === 'ENOENT' ? 'its folder cannot be made' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? e.message);
    throw new ConfigError(`cannot write the ${what} report: ${why}`, { file });
  }
}

/**
 * Append one line, on a line of its own even when the file does not end with a newline (a
 * hand edit, a merge, a torn write): the last entry and the new one both stay whole.
 */
export function appendLine(file: string, line: string): void {
  const fd = openSync(file, 'a+');
  try {
    const size = fstatSync(fd).size;
    let lead = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) lead = '\n';
    }
    writeSync(fd, `${lead}${line}\n`);
  } finally {
    closeSync(fd);
  }
}
