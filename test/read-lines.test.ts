// Reading a file's lines a chunk at a time (the cache store's loader): lines and multi-byte
// characters that straddle the 4 MiB chunks, a line longer than a chunk, an unfinished tail.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCompleteLines } from '../src/io/read-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'judge-test-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readAll(text: string, from = 0): { lines: [string, number][]; unfinished: [string, number][]; upTo: number } {
  const file = join(dir, 'f.txt');
  writeFileSync(file, text);
  const lines: [string, number][] = [];
  const unfinished: [string, number][] = [];
  const upTo = readCompleteLines(file, from, (l, n) => lines.push([l, n]), (l, n) => unfinished.push([l, n]));
  return { lines, unfinished, upTo };
}

describe('readCompleteLines', () => {
  it('gives every line across chunk boundaries, multi-byte characters intact', () => {
    // ~9 MiB of lines with 2-, 3- and 4-byte characters, so some fall on a chunk boundary.
    const expected = Array.from({ length: 60_000 }, (_, i) => `${i} é漢😀 ${'x'.repeat(i % 300)}`);
    const text = expected.join('\n') + '\n';
    const r = readAll(text);
    expect(r.lines.map(([l]) => l)).toEqual(expected);
    expect(r.lines.at(-1)![1]).toBe(60_000);
    expect(r.unfinished).toEqual([]);
    expect(r.upTo).toBe(Buffer.byteLength(text));
  });

  it('reads a line longer than a chunk', () => {
    const long = 'ü'.repeat(3 << 20); // 6 MiB of 2-byte characters
    const r = readAll(`a\n${long}\nb\n`);
    expect(r.lines.map(([l]) => l.length)).toEqual([1, long.length, 1]);
    expect(r.lines[1]![0] === long).toBe(true);
  });

  it('hands an unfinished last line apart and counts bytes only through the last newline', () => {
    const r = readAll('one\ntwo\n{"torn":');
    expect(r.lines).toEqual([['one', 1], ['two', 2]]);
    expect(r.unfinished).toEqual([['{"torn":', 3]]);
    expect(r.upTo).toBe(8);
    // From an offset (a refresh of what another process appended): numbers count from there.
    const tail = readAll('one\ntwo\nthree\n', 4);
    expect(tail.lines).toEqual([['two', 1], ['three', 2]]);
    expect(tail.upTo).toBe(14);
    expect(readAll('').upTo).toBe(0);
  });
});
