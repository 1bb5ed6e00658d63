// --changed: in a real git repository, a rubric edit selects exactly the suites using that judge.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const judge = (id: string, rubric: string) => `id: ${id}\nprovider: module\npath: ./code.js\nscale: binary\nrubric: ${rubric}\n`;
const suite = (name: string, judgeFile: string, data: string) => `suite: ${name}\njudge: ../judges/${judgeFile}\nitems: ./data/${data}\nmin_items: 1\n`;

function repo() {
  const dir = makeProject({
    'judges/a.yaml': judge('a', 'Pass correct answers.'),
    'judges/b.yaml': judge('b', 'Pass polite answers.'),
    'judges/code.js': 'export default () => "pass";\n',
    'calibration-suites/a1.yaml': suite('a one', 'a.yaml', 'one.jsonl'),
    'calibration-suites/a2.yaml': suite('a two', 'a.yaml', 'two.jsonl'),
    'calibration-suites/b.yaml': suite('b', 'b.yaml', 'three.jsonl'),
    'calibration-suites/data/one.jsonl': '{"id":"x","label":"pass"}\n',
    'calibration-suites/data/two.jsonl': '{"id":"x","label":"pass"}\n',
    'calibration-suites/data/three.jsonl': '{"id":"x","label":"pass"}\n',
  });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
  git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'suites');
  git('checkout', '-q', '-b', 'feature');
  return { dir, git };
}

const names = (out: string) => (JSON.parse(out) as JsonReport).suites.map((s) => s.name);

describe('--changed', () => {
  it('selects exactly the suites whose judge changed, and says why', async () => {
    const { dir } = repo();
    writeFileSync(join(dir, 'judges/a.yaml'), judge('a', 'Pass only correct answers.'));
    const r = await runCli(['--changed', '--reporter', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(names(r.stdout)).toEqual(['a one', 'a two']);
    expect(r.stderr).toMatch(/--changed since merge base [0-9a-f]{12}: 2 of 3 suites selected/);
    expect(r.stderr).toContain('calibration-suites/a1.yaml: judges/a.yaml changed');
  });

  it('follows data files, committed changes against a named ref, and new untracked files', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'calibration-suites/data/three.jsonl'), '{"id":"x","label":"pass"}\n{"id":"y","label":"pass"}\n');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qam', 'more data');
    expect(names((await runCli(['--changed', 'main', '--reporter', 'json'], { cwd: dir })).stdout)).toEqual(['b']);
    writeFileSync(join(dir, 'calibration-suites/new.yaml'), suite('new', 'b.yaml', 'one.jsonl'));
    expect(names((await runCli(['--changed=HEAD', '--reporter', 'json'], { cwd: dir })).stdout)).toEqual(['new']);
  });

  it('selects a suite whose path is not ASCII (git quotes such paths unless asked for -z)', async () => {
    const { dir, git } = repo();
    writeFileSync(join(dir, 'calibration-suites/qualité.yaml'), suite('qualité', 'b.yaml', 'one.jsonl'));
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'a suite with an accent');
    const r = await runCli(['--changed', 'main', '--reporter', 'json'], { cwd: dir });
    expect(r.stderr).toMatch(/1 of 4 suites selected/);
    expect(names(r.stdout)).toEqual(['qualité']);
    // Staged, unstaged and untracked ones too.
    writeFileSync(join(dir, 'calibration-suites/données.yaml'), suite('données', 'b.yaml', 'one.jsonl'));
    expect(names((await runCli(['--changed=HEAD', '--reporter', 'json'], { cwd: dir })).stdout)).toEqual(['données']);
  });

  it('selects the suites of a judge whose committed cache file changed (a pull request can edit verdicts)', async () => {
    const { dir, git } = repo();
    mkdirSync(join(dir, '.judge-cache'));
    writeFileSync(join(dir, '.judge-cache/b.jsonl'), '');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'cache');
    writeFileSync(join(dir, '.judge-cache/b.jsonl'), '{"key":"forged"}\n');
    const r = await runCli(['--changed', 'HEAD', '--reporter', 'json'], { cwd: dir });
    expect(names(r.stdout)).toEqual(['b']);
    expect(r.stderr).toContain('calibration-suites/b.yaml: .judge-cache/b.jsonl changed');
  });

  it('with nothing changed runs nothing and passes; outside git it is a clear error', async () => {
    const { dir } = repo();
    const r = await runCli(['--changed'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/0 of 3 suites selected/);
    const plain = makeProject({ 'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: [{id: a, label: pass}]\n', 'calibration-suites/j.js': 'export default () => "pass";\n' });
    const outside = await runCli(['--changed', 'main'], { cwd: plain });
    expect(outside.code).toBe(2);
    expect(outside.stderr.trim()).toMatch(/^judge-test: --changed: git rev-parse --show-toplevel failed: fatal: not a git repository/);
  });
});
