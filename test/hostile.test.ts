// Hostile input: a pull request controls item text, suite files and even the committed cache.
// Bad input is one clear line and exit 2; nothing crashes, hangs or leaks.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { retryDelay } from '../src/judge/retry.js';
import { parseAnswer } from '../src/judge/parse-verdict.js';
import { ProviderCallError } from '../src/providers/provider.js';
import type { JsonReport } from '../src/report/json.js';
import type { ResolvedJudge } from '../src/types.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const codeJudge = 'judge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\n';
const withJudge = (files: Record<string, string>) => makeProject({ 'judges/ok.mjs': 'export default () => "pass";\n', ...files });

/** One line on stderr, exit 2, no stack trace. */
function expectOneLine(r: { code: number | null; stderr: string }, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('bad input is one clear line, not a crash', () => {
  it('a YAML alias bomb in a suite file', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge}items: [{id: a, label: pass}]\n${bomb}\n` });
    const r = await runCli([], { cwd: dir });
    expectOneLine(r, /^judge-test: calibration-suites\/s\.yaml(:\d+:\d+)?: invalid YAML: .*alias/i);
  });

  it('an item field nested 100,000 deep', async () => {
    const deep = '{"id":"a","label":"pass","input":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge}items: ./items.jsonl\n`, 'calibration-suites/items.jsonl': deep + '\n' });
    const r = await runCli([], { cwd: dir });
    expectOneLine(r, /^judge-test: calibration-suites\/items\.jsonl:1:1: .*nested deeper than \d+ levels/);
  });

  it('a cache line whose label is off the judge\'s scale is a miss with one warning', async () => {
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge.replace('path:', 'path:')}items: [{id: a, label: pass}]\nmin_items: 1\n`, 'judges/ok.mjs': 'export const cache = true;\nexport default () => "pass";\n' });
    expect((await runCli([], { cwd: dir })).code).toBe(0);
    const file = join(dir, '.judge-cache/ok.jsonl');
    const entry = JSON.parse(readFileSync(file, 'utf8').trim());
    writeFileSync(file, JSON.stringify({ ...entry, verdict: { ...entry.verdict, label: 'maybe' } }) + '\n');
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^warning: .*ok\.jsonl.*label "maybe" is not on the judge's scale.*recomputed/)]);
    expect((JSON.parse(r.stdout) as JsonReport).suites[0]!.items[0]!.judge).toBe('pass');
  });

  it('`agreement` with annotators named like Object.prototype members', async () => {
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge}items: [{id: a, labels: {constructor: pass, toString: fail, x: pass}}, {id: b, labels: {x: fail, y: fail}}, {id: c, labels: {toString: pass, y: pass}}]\n` });
    const r = await runCli(['agreement'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('constructor');
  });

  it('a 100 KB threshold string is refused at once', async () => {
    // Digits then a letter: a backtracking pattern tries every split of the digits (quadratic).
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge}items: [{id: a, label: pass}]\nthresholds:\n  accuracy: ">= ${'1'.repeat(100_000)}x"\n` });
    const r = await runCli([], { cwd: dir, timeoutMs: 5_000 }); // killed (code null) if it takes seconds, as it did (22 s)
    expectOneLine(r, /^judge-test: calibration-suites\/s\.yaml:9:\d+: thresholds\.accuracy: expected ">= x"/);
  });

  it('an answer of 40,000 "{" is read with a bounded number of JSON parses, not one per brace', () => {
    const judge = { id: 'j', provider: 'openai', scale: { kind: 'binary' }, rubric: '', examples: [], limits: {}, samples: 1, responseFormat: 'text', file: '' } as unknown as ResolvedJudge;
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseAnswer(judge, { text: '{'.repeat(40_000) }).ok).toBe(false);
      expect(parse.mock.calls.length).toBeLessThan(100);
      const chars = parse.mock.calls.reduce((a, [t]) => a + String(t).length, 0);
      expect(chars).toBeLessThan(10 * 40_000); // linear in the answer, not 40,000² / 2
      // A verdict after a wall of braces is still found.
      expect(parseAnswer(judge, { text: '{'.repeat(5_000) + ' {"reason": "ok", "verdict": "pass"}' })).toMatchObject({ ok: true, label: 'pass' });
      // 200,000 braces: a scan per brace would be 2·10^10 steps (minutes); one pass is instant.
      expect(parseAnswer(judge, { text: '{'.repeat(200_000) }).ok).toBe(false);
    } finally {
      parse.mockRestore();
    }
  }, 10_000);

  it('retry-after: 0 still backs off', () => {
    const err = new ProviderCallError('429', true, 429, 0);
    const policy = { retries: 4, rateLimitRetries: 12, baseMs: 500, capMs: 20_000, maxRetryAfterMs: 120_000 };
    const total = Array.from({ length: 12 }, (_, n) => retryDelay(err, n, policy, () => 1)!).reduce((a, b) => a + b, 0);
    expect(retryDelay(err, 0, policy, () => 1)).toBeGreaterThanOrEqual(100);
    expect(total).toBeGreaterThanOrEqual(5_000);
  });

  it('a report that cannot be written is one line naming its path', async () => {
    const dir = withJudge({ 'calibration-suites/s.yaml': `suite: s\n${codeJudge}items: [{id: a, label: pass}]\nmin_items: 1\n` });
    mkdirSync(join(dir, 'taken.json')); // a folder where the report should go
    const r = await runCli(['--reporter', 'json', '--outputFile', 'taken.json'], { cwd: dir });
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^judge-test: taken\.json: cannot write the json report: /)]);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.code).toBe(2);
  });
});

describe('text from files never controls a terminal, a workflow or a summary', () => {
  const hostile = {
    name: 'nice\n::stop-commands::pwned \u001b]0;title\u0007',
    id: '::error file=x::from an item id',
    reason: 'copied \u001b]52;c;ZXZpbA==\u0007 to the clipboard \u001b]8;;http://evil\u0007link\u001b]8;;\u0007',
    notes: 'clear \u001b[2J the screen\rover *bold* [a link](http://evil) ![img](http://evil/x.png) | pipe',
  };
  const project = () =>
    makeProject({
      'judges/no.mjs': `export default () => ({ verdict: "fail", reason: ${JSON.stringify(hostile.reason)} });\n`,
      'calibration-suites/s.yaml': `suite: ${JSON.stringify(hostile.name)}\njudge:\n  id: no\n  provider: module\n  path: ../judges/no.mjs\n  scale: binary\nitems: ./items.jsonl\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.9"\n`,
      'calibration-suites/items.jsonl': JSON.stringify({ id: hostile.id, output: 'x', label: 'pass', notes: hostile.notes }) + '\n' + JSON.stringify({ id: 'b\rc', output: 'y', label: 'pass' }) + '\n',
    });

  it('the console and the github reporter: no control character, no line a runner would execute', async () => {
    const dir = project();
    const summary = join(dir, 'summary.md');
    const r = await runCli(['--reporter', 'default', '--reporter', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    for (const out of [r.stdout, r.stderr]) {
      expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // no ESC, BEL, CR...
      // Only the reporter's own annotations start a workflow command.
      const commands = out.split('\n').filter((l) => l.trimStart().startsWith('::'));
      expect(commands.every((l) => /^::(error|warning) file=calibration-suites\/s\.yaml,line=\d+,col=\d+,title=/.test(l)), commands.join('\n')).toBe(true);
    }
    expect(r.stdout).toContain('::error file=x::from an item id'); // shown, escaped in place
  });

  it('the markdown summary: a bare CR keeps the table whole; emphasis, links and images do not render', async () => {
    const dir = project();
    const summary = join(dir, 'summary.md');
    await runCli(['--reporter', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    const md = readFileSync(summary, 'utf8');
    expect(md).not.toContain('\r');
    // Each table (consecutive "|" lines) keeps one column count on every row.
    const columns = (row: string) => row.replace(/\\\|/g, '').split('|').length;
    const tables = md.split(/\n(?!\|)/).map((block) => block.split('\n').filter((l) => l.startsWith('|'))).filter((t) => t.length > 0);
    expect(tables.length).toBeGreaterThan(0);
    for (const t of tables) for (const row of t) expect(columns(row), row).toBe(columns(t[0]!));
    expect(md).not.toMatch(/(^|[^\\])\*bold\*/);
    expect(md).not.toMatch(/(^|[^\\])\[a link\]\(/);
    expect(md).not.toMatch(/(^|[^\\])!\[img\]/);
  });
});
