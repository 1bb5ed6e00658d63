// The github and markdown reporters: annotations on the failing threshold's line, and a
// Markdown summary whose cells cannot be broken by hostile item text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../src/report/github.js';
import { markdownSummary, SUMMARY_LIMIT } from '../src/report/markdown-summary.js';
import type { SuiteResult } from '../src/types.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const items = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, label: i < 6 ? 'pass' : 'fail', verdict: i < 9 ? 'pass' : 'fail' }));
const suiteYaml = 'suite: answers | "quoted"\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nmin_items: 5\nthresholds:\n  accuracy: ">= 0.5"\n  fp_rate: "<= 0.2"\n';

function project() {
  return makeProject({
    'calibration-suites/s.yaml': suiteYaml,
    'calibration-suites/items.jsonl': items
      .map((r, i) => JSON.stringify({ id: r.id, label: r.label, ...(i === 6 ? { notes: 'bad | pipe <script>alert(1)</script>\nnew line' } : {}) }))
      .join('\n'),
    'calibration-suites/v.jsonl': items.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict, reason: 'looks right, 100%' })).join('\n'),
  });
}

describe('github reporter', () => {
  it('annotates the line of each failing threshold and appends a job summary', async () => {
    const dir = project();
    const summary = join(dir, 'summary.md');
    const r = await runCli(['--reporter', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1); // accuracy passes (0.75); fp_rate 0.5 fails
    expect(lines[0]).toMatch(/^::error file=calibration-suites\/s\.yaml,line=11,col=12,title=judge-test%3A answers \| "quoted"::fp_rate 0\.500 \[[\d.]+, [\d.]+\] \(target <= 0\.2, n=6\)$/);
    const md = readFileSync(summary, 'utf8');
    expect(md).toMatch(/^## judge-test\n/);
    expect(md).toMatch(/^\| ❌ \| answers \\\| "quoted"<br><sub>calibration-suites\/s\.yaml · rec \(recorded\)<\/sub> \| accuracy 0\.750 ≥ [\d.]+<br>❌ fp_rate 0\.500 ≤ 0\.2 \| 12 \|$/m);
    expect(md).toContain('bad \\| pipe &lt;script&gt;alert(1)&lt;/script&gt; new line');
    expect(md).not.toContain('<script>');
    // A second step appends rather than overwrites.
    await runCli(['--reporter', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(readFileSync(summary, 'utf8').match(/^## judge-test$/gm)).toHaveLength(2);
  });

  it('escapes workflow-command data and properties like the Actions toolkit', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });
});

describe('markdown reporter', () => {
  it('writes the same summary to a file', async () => {
    const dir = project();
    const r = await runCli(['--reporter', 'markdown', '--outputFile', 'pr-comment.md'], { cwd: dir });
    expect(r.code).toBe(1);
    const md = readFileSync(join(dir, 'pr-comment.md'), 'utf8');
    // One compact table: status, suite, each threshold with its value, items.
    expect(md).toMatch(/\| ❌ \| answers \\\| "quoted"<br><sub>calibration-suites\/s\.yaml · [^|]*<\/sub> \| [^|]*❌ fp_rate 0\.500 ≤ [\d.]+[^|]* \| \d+ \|/);
    // The failing suite's details folded: thresholds with intervals, then the misaligned items.
    expect(md).toContain('<details><summary>❌ <b>answers \\| "quoted"</b>: ');
    expect(md).toMatch(/\| ❌ \| fp_rate 0\.500/);
    expect(md).toContain('**False positives (judge passed, humans failed)** (3)');
  });
});

describe('markdown summary size', () => {
  it('stays under GitHub\'s step-summary limit with thousands of suites, leaving whole sections out and saying so', () => {
    const long = 'x'.repeat(1000);
    const results = Array.from({ length: 2000 }, (_, s) => ({
      suite: { name: `suite ${s}`, file: `/p/calibration-suites/s${s}.yaml`, items: [], judge: { id: 'j', provider: 'recorded', scale: { kind: 'binary' } } },
      items: [],
      metrics: {},
      thresholds: [],
      status: 'passed',
      durationMs: 1,
      flips: Array.from({ length: 50 }, (_, i) => ({ id: `q${i}`, human: 'pass', before: 'pass', after: 'fail', kind: 'now_wrong', reasonBefore: long, reasonAfter: long })),
    })) as unknown as SuiteResult[];
    const md = markdownSummary(results, { calls: 0, local: 0, cached: 0, errors: 0, durationMs: 1, cancelled: false }, '/p');
    expect(md.length).toBeLessThan(SUMMARY_LIMIT + 1000);
    expect(md).toMatch(/\n\d+ more section\(s\) left out to stay under GitHub's step-summary limit: every detail is in the JSON and HTML reports\.\n$/);
    expect(md.match(/<details>/g)!.length).toBe(md.match(/<\/details>/g)!.length);
    // The table of suites is always whole.
    expect(md.match(/^\| ✅ \| suite \d+/gm)).toHaveLength(2000);
  });
});
