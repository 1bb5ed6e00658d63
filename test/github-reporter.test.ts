// The github and markdown reporters: annotations on the failing threshold's line, and a
// Markdown summary whose cells cannot be broken by hostile item text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../src/report/github.js';
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
    expect(md).toContain('| ❌ | answers \\| "quoted"<br><sub>calibration-suites/s.yaml</sub> | rec (recorded) | 1/2 |');
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
    expect(md).toContain('### ❌ answers \\| "quoted"');
    expect(md).toMatch(/\| ❌ \| fp_rate 0\.500/);
    expect(md).toContain('<summary>False positives (judge passed, humans failed) (3)</summary>');
  });
});
