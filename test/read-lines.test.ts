// Reading a file's lines a chunk at a time (the cache store's loader): lines and multi-byte
// characters that straddle the 4 MiB chunks, a line longer than a chunk, an unfinished tail;
// and the store's appends, grouped per turn of the event loop.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { readCompleteLines } from '../src/io/read-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'judge-test-lines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function readAll(text: string, from = 0): { lines: [string | undefined, number][]; unfinished: [string | undefined, number][]; upTo: number } {
  const file = join(dir, 'f.txt');
  writeFileSync(file, text);
  const lines: [string | undefined, number][] = [];
  const unfinished: [string | undefined, number][] = [];
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
    expect(r.lines.map(([l]) => l?.length)).toEqual([1, long.length, 1]);
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
    const { existsSync, readFileSync, statSync } = await import('node:fs');
    const store = new JsonlStore<{ key: string; n: number }>(join(dir, 'store'), (v) => v as { key: string; n: number });
    const file = store.fileFor('j');
    for (let n = 0; n < 3; n++) store.put('j', { key: `k${n}`, n });
    store.put('j', { key: 'k1', n: 9 }); // a key already held is not written again
    expect(existsSync(file) ? statSync(file).size : 0).toBe(0); // nothing yet: the turn is not over
    await new Promise((r) => setImmediate(r));
    expect(readFileSync(file, 'utf8')).toBe('{"key":"k0","n":0}\n{"key":"k1","n":1}\n{"key":"k2","n":2}\n');
    store.put('j', { key: 'k3', n: 3 });
    store.flush();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
    store.put('j', { key: 'k4', n: 4 });
    store.close();
    expect(readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failed write is one warning, not a crash out of the event loop; the verdict stands for this run', async () => {
    const { JsonlStore } = await import('../src/cache/store.js');
    const { mkdirSync } = await import('node:fs');
    const where = join(dir, 'blocked');
    const warnings: string[] = [];
    const store = new JsonlStore<{ key: string }>(where, (v) => v as { key: string }, (m) => warnings.push(m));
    store.put('j', { key: 'a' });
    store.put('j', { key: 'b' });
    mkdirSync(join(where, 'j.jsonl'), { recursive: true }); // the path turns into a directory before the turn ends
    await new Promise((r) => setImmediate(r)); // the turn's flush: must not throw
    store.put('j', { key: 'c' }); // not attempted again
    store.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/cannot write .*j\.jsonl: EISDIR; this run's new verdicts for it are not cached/);
    expect(store.get('j', 'c')).toEqual({ key: 'c' });
  });

  it('a cache file that is not a regular file (/dev/zero behind a symlink) is ignored with a warning, never read forever', async () => {
    const { JsonlStore } = await import('../src/cache/store.js');
    const { mkdirSync, symlinkSync } = await import('node:fs');
    const where = join(dir, 'device');
    mkdirSync(where);
    symlinkSync('/dev/zero', join(where, 'j.jsonl'));
    const warnings: string[] = [];
    const store = new JsonlStore<{ key: string }>(where, (v) => v as { key: string }, (m) => warnings.push(m));
    expect(store.get('j', 'a')).toBeUndefined();
    store.put('j', { key: 'a' });
    store.close();
    expect(warnings).toEqual([expect.stringMatching(/j\.jsonl: not a regular file; ignored, those answers will be recomputed and not cached$/)]);
  });
});

describe('hostile data files', () => {
  it('a line too long to hold is reported (cache: a corrupt line, its neighbours kept) and skipped, not read into memory', () => {
    const file = join(dir, 'long.jsonl');
    writeFileSync(file, `{"a":1}\n${'x'.repeat(5000)}\n{"b":2}\n${'y'.repeat(5000)}`);
    const seen: [string | undefined, number][] = [];
    const upTo = readCompleteLines(file, 0, (l, n) => seen.push([l, n]), (l, n) => seen.push([l, n]), 1024);
    expect(seen).toEqual([['{"a":1}', 1], [undefined, 2], ['{"b":2}', 3], [undefined, 4]]);
    expect(upTo).toBe(8 + 5001 + 8); // through the last newline, the long line's included
  });

  it('an items file that is a device or has a line past 64 MiB is one clear error', async () => {
    const { symlinkSync } = await import('node:fs');
    const { readRows } = await import('../src/io/data-files.js');
    symlinkSync('/dev/zero', join(dir, 'zero.jsonl'));
    expect(() => readRows(join(dir, 'zero.jsonl'), 'items file')).toThrow(/cannot read items file .*zero\.jsonl: not a regular file/);
    symlinkSync('/dev/zero', join(dir, 'zero.csv'));
    expect(() => readRows(join(dir, 'zero.csv'), 'items file')).toThrow(/cannot read items file .*zero\.csv: not a regular file/);
    writeFileSync(join(dir, 'huge.jsonl'), '{"id":"a","label":"pass"}\n' + 'z'.repeat((64 << 20) + 10) + '\n');
    let error: ConfigError | undefined;
    try {
      readRows(join(dir, 'huge.jsonl'), 'items file');
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.format(dir)).toBe('huge.jsonl:2:1: line longer than 64 MiB: expected one item per line');
  });
});
