// Read a text file's lines a chunk at a time: a million-line file never becomes one string
// (V8 caps a string at ~512 MiB) nor an array of every line at once.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;

export interface FileLine {
  text: string;
  /** 1-based, counted from where the reading started. */
  number: number;
  /** The byte offset just past this line's "\n"; for an unfinished last line, the file's end. */
  end: number;
  /** False for a last line without its "\n" (another process mid-append, or a torn write). */
  complete: boolean;
}

/** Every line of `file` from byte `from` on, read a chunk at a time. */
export function* fileLines(file: string, from = 0): Generator<FileLine> {
  const fd = openSync(file, 'r');
  try {
    // No bigger than what there is to read: a refresh of a few new lines reads a few bytes.
    let buffer = Buffer.allocUnsafe(Math.max(1, Math.min(CHUNK, fstatSync(fd).size - from)));
    let held = 0; // bytes of an unfinished line carried over from the last chunk
    let position = from;
    let lineStart = from;
    let number = 0;
    for (;;) {
      if (held === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, held, buffer.length - held, position);
      if (read === 0) {
        if (held > 0) yield { text: buffer.toString('utf8', 0, held), number: number + 1, end: lineStart + held, complete: false };
        return;
      }
      position += read;
      const end = held + read;
      let start = 0;
      for (let nl = buffer.indexOf(0x0a, start); nl !== -1 && nl < end; nl = buffer.indexOf(0x0a, start)) {
        lineStart += nl + 1 - start;
        yield { text: buffer.toString('utf8', start, nl), number: ++number, end: lineStart, complete: true };
        start = nl + 1;
      }
      held = end - start;
      buffer.copy(buffer, 0, start, end);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Hand `onLine` each complete line from byte `from` on (and an unfinished last one to
 * `onUnfinished`, if given). Returns the bytes read through the last complete line.
 */
export function readCompleteLines(file: string, from: number, onLine: (line: string, lineNumber: number) => void, onUnfinished?: (line: string, lineNumber: number) => void): number {
  let consumed = from;
  for (const line of fileLines(file, from)) {
    if (line.complete) {
      onLine(line.text, line.number);
      consumed = line.end;
    } else onUnfinished?.(line.text, line.number);
  }
  return consumed;
}
