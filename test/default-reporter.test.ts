// The console reporter's progress line: shown on a TTY, cleared before results, absent otherwise.
import { describe, expect, it } from 'vitest';
import { DefaultReporter, useColor } from '../src/report/default.js';
import type { ItemResult, ResolvedSuite } from '../src/types.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WriteStream & { chunks: string[] };
}

const suite = { name: 's', file: '/p/calibration-suites/s.yaml', items: [], thresholds: [], judge: { id: 'j', provider: 'module', scale: { kind: 'binary' } } } as unknown as ResolvedSuite;
const result = { item: { id: 'a' } } as ItemResult;

describe('DefaultReporter progress', () => {
  it('draws "judging i/n" on a TTY and clears it before printing', () => {
    const progress = sink(true);
    const out = sink(false);
    const r = new DefaultReporter({ cwd: '/p', out, progress });
    r.onRunStart({ suites: [suite], totalItems: 2 });
    r.onItemDone(suite, result);
    r.onItemDone(suite, result);
    expect(progress.chunks.join('')).toContain('judging 2/2 items');
    r.onRunDone([], { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 5, cancelled: false });
    expect(progress.chunks.at(-1)).toBe('\r\x1b[K');
    expect(out.chunks.join('')).toMatch(/Suites/);
  });

  it('writes a plain line every 10 s when stderr is not a TTY (CI logs), nothing on short runs', () => {
    const progress = sink(false);
    let clock = 0;
    const r = new DefaultReporter({ cwd: '/p', out: sink(false), progress, now: () => clock });
    r.onRunStart({ suites: [suite], totalItems: 4 });
    clock = 3_000;
    r.onItemDone(suite, result);
    expect(progress.chunks).toEqual([]);
    clock = 10_500;
    r.onItemDone(suite, result);
    clock = 12_000;
    r.onItemDone(suite, result);
    expect(progress.chunks).toEqual(['judging 2/4 items\n']);
    clock = 30_000;
    r.onItemDone(suite, result); // the last item: the summary follows at once
    expect(progress.chunks).toHaveLength(1);
  });
});

describe('useColor', () => {
  const tty = { isTTY: true } as unknown as NodeJS.WritableStream;
  const pipe = { isTTY: false } as unknown as NodeJS.WritableStream;
  it('is on for a TTY only, off for NO_COLOR, forced by FORCE_COLOR', () => {
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, { CI: 'true' })).toBe(false);
    expect(useColor(tty, { NO_COLOR: '' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
  });
});
