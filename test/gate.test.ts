// The gate never shows greener than the truth: whatever makes the exit code non-zero is what
// CI sees, through every way the output can go (issue "The gate never shows greener").
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { BIN, runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

/** A suite whose code judge fails what humans passed: the run exits 1. */
function failingProject(): string {
  const items = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `i${i}`, input: `q${i}`, output: `a${i}`, label: 'pass' })).join('\n');
  return makeProject({
    'judges/strict.mjs': 'export default () => ({ verdict: "fail", reason: "too strict" });\n',
    'calibration-suites/s.yaml': 'suite: strict\njudge:\n  id: strict\n  provider: module\n  path: ../judges/strict.mjs\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
    'calibration-suites/items.jsonl': items + '\n',
  });
}

describe('the exit code', () => {
  it('is the run\'s even when stdout is closed before anything is printed (judge-test | head -0)', async () => {
    const dir = failingProject();
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [BIN], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
      child.stdout.destroy(); // the reader is gone: the first write gets EPIPE
      child.stderr.resume();
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(1);
    }
  });
});

describe('a suite file that cannot be loaded', () => {
  it('is reported as errored in every reporter, the other suites still run, and the run exits 2', async () => {
    const dir = makeProject({
      'judges/ok.mjs': 'export default () => "pass";\n',
      'calibration-suites/broken.yaml': 'suite: broken\njudge: ../judges/missing.yaml\nitems: [{id: a, label: pass}]\n',
      'calibration-suites/good.yaml': 'suite: good\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: [{id: a, label: pass}]\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.5"\n',
    });
    const summary = join(dir, 'summary.md');
    const r = await runCli(['--reporter', 'default', '--reporter', 'github', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'junit', '--outputFile.junit', 'j.xml'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    const where = 'calibration-suites/broken.yaml:2:8: cannot read judge file judges/missing.yaml: no such file';
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`judge-test: ${where}`);
    // The console shows it with the others, and the good suite ran.
    expect(r.stdout).toMatch(/✓ calibration-suites\/good\.yaml > good/);
    expect(r.stdout).toContain(where);
    // JSON: status error with the message.
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(report.success).toBe(false);
    expect(report.suites.map((s) => [s.file, s.status])).toEqual([
      ['calibration-suites/broken.yaml', 'error'],
      ['calibration-suites/good.yaml', 'passed'],
    ]);
    expect(report.suites[0]!.message).toBe(where);
    // GitHub: an annotation on the line, and the step summary.
    expect(r.stdout).toContain('::error file=calibration-suites/broken.yaml,line=2,col=8,');
    expect(readFileSync(summary, 'utf8')).toContain('cannot read judge file judges/missing.yaml');
    // JUnit: an <error> with the message.
    const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
    expect(xml).toMatch(/<testcase classname="calibration-suites\/broken" name="load the suite file"[^>]*>\s*<error message="calibration-suites\/broken\.yaml:2:8: cannot read judge file/);
  });
});
