// Run history and drift: each run appends a line per suite when a figure moved; `judge-test
// history` reads the trend back with model and rubric changes marked; `drift:` fails a
// suite whose metric falls too far below its rolling mean.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { itemsHash, rollingMean, sameRun } from '../src/history/history.js';
import { stableStringify } from '../src/cache/key.js';
import { loadSuite } from '../src/config/load-suite.js';
import type { HistoryEntry } from '../src/types.js';
import { changesBetween, sparkline } from '../src/history/trend.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

// 40 answers, half cited. Humans pass only cited ones. The code judge reads its rubric:
// lenient by default, strict about citations when the rubric says "cite".
const ITEMS = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `a${i}`, output: i % 2 ? `answer ${i}` : `answer ${i} [source]`, label: i % 2 ? 'fail' : 'pass' })).join('\n');
const JUDGE = (rubric: string) => `id: cites\nprovider: module\npath: ./cites.mjs\nscale: binary\nrubric: ${rubric}\n`;
const MODULE = `export default ({ output, judge }) => ({ verdict: /cite/.test(judge.rubric) && !output.includes('[source]') ? 'fail' : (Number(output.split(' ')[1]) % 4 === 3 ? 'fail' : 'pass'), reason: 'code' });\n`;

function project(extra = '') {
  return makeProject({
    'judges/cites.yaml': JUDGE('Pass correct answers.'),
    'judges/cites.mjs': MODULE,
    'calibration-suites/cites.yaml': `suite: cites\njudge: ../judges/cites.yaml\nitems: ./cites.jsonl\nthresholds:\n  kappa: ">= 0.2"\n${extra}`,
    'calibration-suites/cites.jsonl': ITEMS,
  });
}

const entry = (kappa: number, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
  time: '2026-11-01T10:00:00.000Z', suite: 'cites', judge: 'cites', model: null, rubric: 'r1', items: 'i1', commit: null, status: 'passed', n: 40, metrics: { kappa }, ...extra,
});

describe('history', () => {
  it('records a run per change, not per re-run, and reads the trend back with the rubric change marked', async () => {
    const dir = project();
    const file = join(dir, 'calibration-suites/cites.history.jsonl');
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    expect((await runCli([], { cwd: dir })).code).toBe(0); // nothing moved: no new line
    let lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEntry);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ suite: 'cites', judge: 'cites', status: 'passed', n: 40, commit: null });
    expect(lines[0]!.metrics.kappa).toBeCloseTo(0.5, 6); // the lenient judge: 30 of 40 right

    writeFileSync(join(dir, 'judges/cites.yaml'), JUDGE('Pass correct answers that cite a source.'));
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEntry);
    expect(lines).toHaveLength(2);
    expect(lines[1]!.rubric).not.toBe(lines[0]!.rubric);
    expect(lines[1]!.items).toBe(lines[0]!.items);
    expect(lines[1]!.metrics.kappa).toBeCloseTo(1, 6);

    const h = await runCli(['history'], { cwd: dir });
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('calibration-suites/cites.yaml > cites');
    expect(h.stdout).toMatch(/ {2}run {2}date +commit {2}model {2}status {2}kappa {2}changed/);
    expect(h.stdout).toMatch(/\n {2}1 +\d{4}-\d\d-\d\d \d\d:\d\d +— +— +passed +0\.500\s*\n/);
    expect(h.stdout).toMatch(/\n {2}2 +\d{4}-\d\d-\d\d \d\d:\d\d +— +— +passed +1\.000 +rubric\n/);
    expect(h.stdout).toContain('kappa  ▁█');

    // --no-history writes nothing; the HTML report draws the trend with the change marked.
    writeFileSync(join(dir, 'judges/cites.yaml'), JUDGE('Pass correct answers.'));
    const r = await runCli(['--no-history', '--reporter', 'html', '--outputFile', 'r.html'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<h3>Trend</h3>');
    expect(html).toContain('3 runs (the last is this one)');
    expect(html).toContain('changed at run 2: rubric; run 3: rubric');
  });

  it('appends on a line of its own to a history file that lacks its final newline (a hand edit, a merge)', async () => {
    const dir = project();
    const file = join(dir, 'calibration-suites/cites.history.jsonl');
    writeFileSync(file, JSON.stringify(entry(0.9))); // no newline at the end
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as HistoryEntry);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.metrics.kappa).toBe(0.9);
    expect(lines[1]!.metrics.kappa).toBeCloseTo(0.5, 6);
  });

  it('records the git commit when the suite is in a repository, and nothing for a shard', async () => {
    const dir = project();
    const { execFileSync } = await import('node:child_process');
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } }).toString().trim();
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'first');
    await runCli(['--shard', '1/2'], { cwd: dir });
    expect(existsSync(join(dir, 'calibration-suites/cites.history.jsonl'))).toBe(false);
    await runCli([], { cwd: dir });
    const line = JSON.parse(readFileSync(join(dir, 'calibration-suites/cites.history.jsonl'), 'utf8')) as HistoryEntry;
    expect(line.commit).toBe(git('rev-parse', '--short=12', 'HEAD'));
  });
});

describe('drift', () => {
  it('fails when the metric falls more than max_drop below its rolling mean, and only reports when there is no history yet', async () => {
    const dir = project('drift: { metric: kappa, window: 3, max_drop: 0.05 }\n');
    const file = join(dir, 'calibration-suites/cites.history.jsonl');
    // No history yet: nothing to compare; reported, and it does not fail the suite.
    let r = await runCli(['--no-history'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('kappa drift (nothing to compare with yet)'); // the quiet line
    r = await runCli(['--no-history', '--verbose'], { cwd: dir });
    expect(r.stdout).toContain('? kappa drift max_drop 0.05: no earlier run in the history (<suite>.history.jsonl) to compare with yet');

    // Two earlier runs averaging 0.6 (fewer than the window: all of them count): this run's 0.5 is 0.1 worse.
    writeFileSync(file, [entry(0.62), entry(0.58, { model: 'x' })].map((e) => JSON.stringify(e)).join('\n') + '\n');
    r = await runCli(['--no-history'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ kappa 0.500 vs 0.600, the mean of the last 2 runs: −0.100 (drift max_drop 0.05, n=40)');

    // The window: only the last 3 of 4 runs count.
    writeFileSync(file, [entry(0.1), entry(0.62), entry(0.58), entry(0.6)].map((e) => JSON.stringify(e)).join('\n') + '\n');
    r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('✗ kappa 0.500 vs 0.600, the mean of the last 3 runs: −0.100 (drift max_drop 0.05, n=40)');
    const t = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.thresholds.find((x) => x.op === 'drift')!;
    expect(t).toMatchObject({ metric: 'kappa', status: 'failed', target: 0.05, window: 3 });
    expect(t.baseline).toBeCloseTo(0.6, 12);
    expect(t.reason).toBe('kappa 0.500 is 0.100 worse than its mean 0.600 over the last 3 runs (drift max_drop 0.05)');
    // The failing run is recorded too.
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(5);

    // Within the allowed drop it passes.
    writeFileSync(file, [entry(0.52), entry(0.5), entry(0.51)].map((e) => JSON.stringify(e)).join('\n') + '\n');
    expect((await runCli(['--no-history'], { cwd: dir })).code).toBe(0);
  });

  it('rejects a drift on an unknown metric with its line', async () => {
    const dir = project('drift:\n  metric: kapa\n  max_drop: 0.05\n');
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/calibration-suites\/cites\.yaml:7:\d+: drift: unknown metric "kapa"/);
  });

  it('the rolling mean, the change detection and the sparkline', () => {
    expect(rollingMean([entry(0.1), entry(0.5), entry(0.7), entry(0.9)], 'kappa', 3)).toEqual({ mean: (0.5 + 0.7 + 0.9) / 3, runs: 3 });
    expect(rollingMean([entry(0.1)], 'fp_rate', 3)).toEqual({ mean: NaN, runs: 0 });
    expect(sameRun(entry(0.5), entry(0.5, { time: 'later', commit: 'abc' }))).toBe(true);
    expect(sameRun(entry(0.5), entry(0.5, { model: 'gpt-4o' }))).toBe(false);
    expect(changesBetween(entry(0.5, { model: 'a' }), entry(0.5, { model: 'b', rubric: 'r2' }))).toEqual(['model a → b', 'rubric']);
    expect(sparkline([0, 0.5, 1, undefined])).toBe('▁▅█ ');
  });
});

describe('the items hash', () => {
  it('is fed item by item yet equals the hash of the whole list, so earlier history lines still match', () => {
    const dir = project();
    const suite = loadSuite(join(dir, 'calibration-suites/cites.yaml'));
    // How it was computed before: one stable JSON string of every item.
    const whole = createHash('sha256').update(stableStringify(suite.items.map((i) => [i.id, i.fields, i.labels, i.anchor?.consensus]))).digest('hex').slice(0, 12);
    expect(itemsHash(suite)).toBe(whole);
    // And it moves when an item does.
    const edited = { ...suite, items: suite.items.map((i, k) => (k === 7 ? { ...i, fields: { ...i.fields, output: 'changed' } } : i)) };
    expect(itemsHash(edited)).not.toBe(whole);
  });
});
