// Read a text file's lines a chunk at a time: a million-line file never becomes one string
// (V8 caps a string at ~512 MiB) nor an array of every line at once. The file may come from a
// pull request: a line past MAX_LINE_BYTES is reported as too long (not read into memory), and
// anything but a regular file (a FIFO, /dev/zero behind a symlink) is refused, never read forever.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;
/** Longer than any item or cache line has reason to be; V8 could not hold 512 MiB as one string. */
export const MAX_LINE_BYTES = 64 << 20;

export interface FileLine {
  text: string;
  /** 1-based, counted from where the reading started. */
  number: number;
  /** The byte offset just past this line's "\n"; for an unfinished last line, the file's end. */
  end: number;
  /** False for a last line without its "\n" (another process mid-append, or a torn write). */
  complete: boolean;
  /** Set for a line longer than the limit: its text is left out (empty), its end still counted. */
  tooLong?: true;
}

/** The error for a path that is not a regular file (code NOT_A_FILE). */
export function notAFile(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file}: not a regular file`), { code: 'NOT_A_FILE' });
}

/** Every line of `file` from byte `from` on, read a chunk at a time. */
export function* fileLines(file: string, from = 0, maxLine = MAX_LINE_BYTES): Generator<FileLine> {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw notAFile(file);
    // No bigger than what there is to read: a refresh of a few new lines reads a few bytes.
    let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, stat.size - from)));
    let held = 0; // bytes of an unfinished line carried over from the last chunk
    let skipping = false; // inside a line too long to hold: its bytes are dropped up to its end
    let position = from;
    let offset = from; // the file offset of buffer[0]
    let number = 0;
    for (;;) {
      if (held === buffer.length) {
        // One line longer than the buffer (and not yet too long): grow it.
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxLine + 1));
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, held, buffer.length - held, position);
      if (read === 0) {
        if (skipping) yield { text: '', number: number + 1, end: offset + held, complete: false, tooLong: true };
        else if (held > 0) yield { text: buffer.toString('utf8', 0, held), number: number + 1, end: offset + held, complete: false };
        return;
      }
      position += read;
      const end = held + read;
      let start = 0;
      for (let nl = buffer.indexOf(0x0a, start); nl !== -1 && nl < end; nl = buffer.indexOf(0x0a, start)) {
        const tooLong = skipping || nl - start > maxLine;
        yield tooLong
          ? { text: '', number: ++number, end: offset + nl + 1, complete: true, tooLong: true }
          : { text: buffer.toString('utf8', start, nl), number: ++number, end: offset + nl + 1, complete: true };
        skipping = false;
        start = nl + 1;
      }
      held = end - start;
      if (skipping || held > maxLine) {
        // Too long to hold: its bytes so far are dropped; it is reported where it ends.
        skipping = true;
        offset += end;
        held = 0;
      } else {
        buffer.copy(buffer, 0, start, end);
        offset += start;
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Hand `onLine` each complete line from byte `from` on (undefined for one too long to read),
 * and an unfinished last one to `onUnfinished`, if given. Returns the bytes read through the
 * last complete line.
 */
export function readCompleteLines(file: string, from: number, onLine: (line: string | undefined, lineNumber: number) => void, onUnfinished?: (line: string | undefined, lineNumber: number) => void, maxLine = MAX_LINE_BYTES): number {
  let consumed = from;
  for (const line of fileLines(file, from, maxLine)) {
    const text = line.tooLong ? undefined : line.text;
    if (line.complete) {
      onLine(text, line.number);
      consumed = line.end;
    } else onUnfinished?.(text, line.number);
  }
  return consumed;
}
