// --watch: a rubric edit re-runs only the suites that use that judge; a broken edit is
// reported and watching goes on; Ctrl-C ends the session.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { BIN, runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const judge = (id: string, rubric: string) => `id: ${id}\nprovider: module\npath: ./code.js\nscale: binary\nrubric: ${rubric}\n`;

/** `judge-test --watch` in a project: its output so far, and a wait for a pattern in it (from an offset). */
function watching(dir: string, args: string[]) {
  const child = spawn(process.execPath, [BIN, '--watch', ...args], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const waitFor = async (pattern: RegExp, from = 0) => {
    for (let i = 0; i < 200 && !pattern.test(out.slice(from)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out.slice(from)).toMatch(pattern);
  };
  return { child, output: () => out, waitFor };
}

describe('--watch', () => {
  it('re-runs the suites a changed file touches, survives a broken edit, stops on Ctrl-C', async () => {
    const dir = makeProject({
      'judges/a.yaml': judge('a', 'Pass correct answers.'),
      'judges/b.yaml': judge('b', 'Pass polite answers.'),
      'judges/code.js': 'export default () => "pass";\n',
      'calibration-suites/a.yaml': 'suite: suite a\njudge: ../judges/a.yaml\nitems: [{id: x, label: pass}]\n',
      'calibration-suites/b.yaml': 'suite: suite b\njudge: ../judges/b.yaml\nitems: [{id: x, label: pass}]\n',
    });
    const { child, output, waitFor } = watching(dir, []);
    try {
      await waitFor(/Waiting for file changes/);
      expect(output()).toMatch(/suite a/);
      expect(output()).toMatch(/suite b/);

      let mark = output().length;
      writeFileSync(join(dir, 'judges/a.yaml'), judge('a', 'Pass only correct answers.'));
      await waitFor(/Re-running 1 suite\(s\): judges\/a\.yaml changed[\s\S]*Waiting for file changes/, mark);
      expect(output().slice(mark)).toMatch(/✓ calibration-suites\/a\.yaml > suite a/);
      expect(output().slice(mark)).not.toMatch(/suite b/);

      mark = output().length;
      writeFileSync(join(dir, 'calibration-suites/b.yaml'), 'suite: suite b\njudge: [unclosed\n');
      await waitFor(/judge-test: calibration-suites\/b\.yaml:\d+:\d+: invalid YAML[\s\S]*Waiting for file changes/, mark);

      mark = output().length;
      writeFileSync(join(dir, 'calibration-suites/b.yaml'), 'suite: suite b fixed\njudge: ../judges/b.yaml\nitems: [{id: x, label: pass}]\n');
      await waitFor(/✓ calibration-suites\/b\.yaml > suite b fixed/, mark);
    } finally {
      child.kill('SIGINT');
    }
    const code = await new Promise((r) => child.on('close', r));
    expect(code).toBe(0);
  });
});

describe('--watch with a code judge', () => {
  it('re-loads an edited module judge and what it imports, and caches the new function\'s verdicts under the new source', async () => {
    const dir = makeProject({
      'judges/code.mjs': 'import { VERDICT } from "./verdict.mjs";\nexport const cache = true;\nexport default () => VERDICT;\n',
      'judges/verdict.mjs': 'export const VERDICT = "pass";\n',
      'calibration-suites/s.yaml': 'suite: code\njudge:\n  id: code\n  provider: module\n  path: ../judges/code.mjs\n  scale: binary\nitems: [{id: a, label: fail}, {id: b, label: fail}, {id: c, label: fail}]\nmin_items: 1\n',
    });
    // --verbose: a passing suite's metrics are printed only in full.
    const { child, output, waitFor } = watching(dir, ['--no-history', '--verbose']);
    try {
      await waitFor(/accuracy 0\.000[\s\S]*Waiting for file changes/);
      // The helper the judge imports changes (an editor's swap file beside it comes and goes):
      // the new verdicts show at once, and the change named is the helper's.
      let mark = output().length;
      writeFileSync(join(dir, 'judges/.verdict.mjs.swp'), 'editor state');
      writeFileSync(join(dir, 'judges/verdict.mjs'), 'export const VERDICT = "fail";\n');
      await waitFor(/Re-running 1 suite\(s\): judges\/verdict\.mjs changed[\s\S]*accuracy 1\.000[\s\S]*Waiting for file changes/, mark);
      // The judge itself changes.
      mark = output().length;
      writeFileSync(join(dir, 'judges/code.mjs'), 'export const cache = true;\nexport default ({ id }) => (id === "a" ? "pass" : "fail");\n');
      await waitFor(/Re-running 1 suite\(s\): judges\/code\.mjs changed[\s\S]*accuracy 0\.667[\s\S]*Waiting for file changes/, mark);
    } finally {
      child.kill('SIGINT');
    }
    await new Promise((r) => child.on('close', r));
    // The cache holds what the current code says: a cached run and a fresh one agree.
    const cached = await runCli(['--reporter', 'json', '--no-history'], { cwd: dir });
    const fresh = await runCli(['--reporter', 'json', '--no-history', '--no-cache'], { cwd: dir });
    const accuracy = (r: { stdout: string }) => (JSON.parse(r.stdout) as JsonReport).suites[0]!.metrics.accuracy!.value;
    expect(accuracy(fresh)).toBeCloseTo(2 / 3, 12);
    expect(accuracy(cached)).toBeCloseTo(2 / 3, 12);
  });
});
