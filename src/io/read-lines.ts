// Read a text file's complete lines a chunk at a time: a million-line file never becomes one
// string (V8 caps a string at ~512 MiB) nor an array of every line at once.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 << 20;

/**
 * Hand `onLine` each complete line (without its "\n") from byte `from` on, with its 1-based
 * number counted from `from`. A last line without its "\n" (another process mid-append, or a
 * torn write) goes to `onUnfinished` if given. Returns the bytes read through the last
 * complete line.
 */
export function readCompleteLines(file: string, from: number, onLine: (line: string, lineNumber: number) => void, onUnfinished?: (line: string, lineNumber: number) => void): number {
  const fd = openSync(file, 'r');
  try {
    let buffer = Buffer.allocUnsafe(CHUNK);
    let held = 0; // bytes of an unfinished line carried over from the last chunk
    let position = from;
    let consumed = from;
    let lineNumber = 0;
    for (;;) {
      if (held === buffer.length) {
        // One line longer than the buffer: grow it.
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, held);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, held, buffer.length - held, position);
      if (read === 0) {
        if (held > 0) onUnfinished?.(buffer.toString('utf8', 0, held), lineNumber + 1);
        return consumed;
      }
      position += read;
      const end = held + read;
      let start = 0;
      for (let nl = buffer.indexOf(0x0a, start); nl !== -1 && nl < end; nl = buffer.indexOf(0x0a, start)) {
        onLine(buffer.toString('utf8', start, nl), ++lineNumber);
        start = nl + 1;
      }
      consumed += start;
      held = end - start;
      buffer.copy(buffer, 0, start, end);
    }
  } finally {
    closeSync(fd);
  }
}
