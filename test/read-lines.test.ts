// Reading a file's lines a chunk at a time (the cache store's loader): lines and multi-byte
// characters that straddle the 4 MiB chunks, a line longer than a chunk, an unfinished tail;
// and the store's appends, grouped per turn of the event loop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
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

  it('reads a small tail with a buffer no bigger than the tail (a refresh every 100 ms must not take 4 MiB each time)', () => {
    const spy = vi.spyOn(Buffer, 'allocUnsafe');
    try {
      const r = readAll('x'.repeat(5000) + '\n{"new":1}\n', 5001);
      expect(r.lines).toEqual([['{"new":1}', 1]]);
      expect(Math.max(...spy.mock.calls.map(([size]) => size))).toBeLessThanOrEqual(10);
    } finally {
      spy.mockRestore();
    }
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

describe('the cache store appends', () => {
  it('writes the lines put in one turn together, whole, at the end of the turn (or on flush / close)', async () => {
    const { JsonlStore } = await import('../src/cache/store.js');
    const { readFileSync, statSync } = await import('node:fs');
    const store = new JsonlStore<{ key: string; n: number }>(join(dir, 'store'), (v) => v as { key: string; n: number });
    const file = store.fileFor('j');
    for (let n = 0; n < 3; n++) store.put('j', { key: `k${n}`, n });
    store.put('j', { key: 'k1', n: 9 }); // a key already held is not written again
    expect(statSync(file).size).toBe(0); // nothing yet: the turn is not over
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(file, 'utf8')).toBe('{"key":"k0","n":0}\n{"key":"k1","n":1}\n{"key":"k2","n":2}\n');
    store.put('j', { key: 'k3', n: 3 });
    store.flush();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    store.put('j', { key: 'k4', n: 4 });
    store.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).n)).toEqual([0, 1, 2, 3, 4]);
  });
});
