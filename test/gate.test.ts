// The gate never shows greener than the truth: whatever makes the exit code non-zero is what
// CI sees, through every way the output can go (issue "The gate never shows greener").
import { spawn } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { BIN, runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));

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

describe('unlabeled items', () => {
  it('are left out of the metrics, counted and shown, and do not block the run', async () => {
    const labeled = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `l${i}`, output: `a${i}`, label: 'pass' }));
    const unlabeled = Array.from({ length: 3 }, (_, i) => JSON.stringify({ id: `u${i}`, output: `b${i}` }));
    const dir = makeProject({
      // The code judge records every item it is asked about: unlabeled items cost no call.
      'judges/ok.mjs': 'import { appendFileSync } from "node:fs";\nexport default ({ id }) => { appendFileSync(new URL("./asked.txt", import.meta.url), id + "\\n"); return "pass"; };\n',
      'calibration-suites/s.yaml': 'suite: partly labeled\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/items.jsonl': [...labeled, ...unlabeled].join('\n') + '\n',
    });
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 of 15 items unlabeled — label them with judge-test annotate calibration-suites/s.yaml --annotator <name>');
    const suite = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(suite.metrics.accuracy!.n).toBe(12);
    expect(suite.unlabeled_items).toBe(3);
    expect(readFileSync(join(dir, 'judges/asked.txt'), 'utf8').trim().split('\n').sort()).toEqual(labeled.map((l) => JSON.parse(l).id).sort());
  });

  it('leave a suite with too few labeled items at insufficient evidence', async () => {
    const dir = makeProject({
      'judges/ok.mjs': 'export default () => "pass";\n',
      'calibration-suites/s.yaml': 'suite: mostly unlabeled\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/items.jsonl': [JSON.stringify({ id: 'l0', label: 'pass' }), ...Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: `u${i}` }))].join('\n') + '\n',
    });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('insufficient evidence: 1 item, the suite needs at least 10 (min_items)');
    expect(r.stdout).toContain('20 of 21 items unlabeled');
  });
});

describe('a suite whose items are all unlabeled', () => {
  it('is scored (its thresholds fail for lack of items), not left unfinished', async () => {
    const dir = makeProject({
      'judges/ok.mjs': 'export default () => "pass";\n',
      'calibration-suites/s.yaml': 'suite: unlabeled\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: [{id: a}, {id: b}]\nthresholds:\n  accuracy: ">= 0.9"\n',
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code).toBe(1);
    const suite = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(suite.status).toBe('failed');
    expect(suite.unlabeled_items).toBe(2);
    expect(suite.thresholds[0]).toMatchObject({ status: 'failed', reason: 'accuracy is undefined: no items with both a human and a judge label' });
  });
});

describe('the bundled live example', () => {
  it('passes with a judge that agrees with its labels, and stays green when replayed from the cache without a key', async () => {
    const copy = makeProject({});
    for (const part of ['calibration-suites', 'judges']) cpSync(join(REPO, part), join(copy, part), { recursive: true });
    const items = readFileSync(join(copy, 'calibration-suites/data/live-correctness.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { output: string; label: string });
    // A judge as good as the humans: it answers each output's human label.
    const perfect = await startSimServer((({ prompt }: { prompt: string }) => ({ verdict: items.find((i) => prompt.includes(`<output>\n${i.output}\n</output>`))!.label, reason: 'as the humans' })) as never);
    try {
      const live = await runCli(['calibration-suites/live-correctness.yaml', '--reporter', 'json', '--no-history'], { cwd: copy, env: { OPENAI_BASE_URL: perfect.openaiBaseURL } });
      expect(live.code, live.stderr).toBe(0);
      const suite = (JSON.parse(live.stdout) as JsonReport).suites[0]!;
      expect(suite.status).toBe('passed');
      expect(suite.items.length).toBeGreaterThanOrEqual(20);
      // The README's set-up command after that live run: replayed from the cache, still green...
      const calls = perfect.calls.length;
      const replay = await runCli(['--no-history'], { cwd: copy, env: { OPENAI_BASE_URL: perfect.openaiBaseURL } });
      expect(replay.code, replay.stdout).toBe(0);
      expect(replay.stdout).toMatch(/✓ calibration-suites\/live-correctness\.yaml/);
      expect(perfect.calls.length).toBe(calls);
      // ...and with no endpoint at all, the local server's verdicts are not OpenAI's: skipped, green.
      const keyless = await runCli(['--no-history'], { cwd: copy });
      expect(keyless.code, keyless.stdout).toBe(0);
      expect(keyless.stdout).toMatch(/↓ calibration-suites\/live-correctness\.yaml/);
    } finally {
      await perfect.close();
    }
  });
});

describe('an endpoint that is wrong', () => {
  const items = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `i${i}`, input: `q${i}`, output: `a${i}`, label: 'pass' })).join('\n');
  const projectAt = (baseURL: string) =>
    makeProject({
      'judges/j.yaml': `id: j\nprovider: openai\nmodel: m\nbaseURL: ${baseURL}\nscale: binary\nrubric: Pass correct answers.\n`,
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/j.yaml\nitems: ./items.jsonl\n',
      'calibration-suites/items.jsonl': items + '\n',
    });

  it('refusing connections before any call succeeded is not called again: every item errored, one line naming it, exit 3', async () => {
    // A port nothing listens on: connections are refused.
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const dir = projectAt(`http://127.0.0.1:${closed}/v1`);
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir });
    expect(r.code).toBe(3);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    // At most one attempt per call in flight (default concurrency 8), no retries, no call per item.
    expect(report.stats.calls).toBeLessThanOrEqual(8);
    expect(report.suites[0]!.items.every((i) => i.outcome === 'error' && i.error!.includes(`http://127.0.0.1:${closed}/v1`) && i.error!.includes('ECONNREFUSED'))).toBe(true);
    expect(r.stdout).toContain(`40 item(s) could not be judged: judge "j", item "i0": openai: cannot reach http://127.0.0.1:${closed}/v1`);
  });

  it('answering 200 with a web page is an unreadable answer, not "cannot reach"', async () => {
    const page = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Welcome to nginx!</body></html>'));
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(page.address() as AddressInfo).port}/v1`;
      const r = await runCli(['--reporter', 'json'], { cwd: projectAt(base) });
      const item = (JSON.parse(r.stdout) as JsonReport).suites[0]!.items[0]!;
      expect(item.error).toBe(`judge "j", item "i0": openai: the answer of ${base} could not be read: not a chat completion (text/html): "<html><body>Welcome to nginx!</body></html>"`);
      expect(r.code).toBe(3);
    } finally {
      page.close();
    }
  });
});

describe('--outputFile', () => {
  const project = () =>
    makeProject({
      'judges/ok.mjs': 'export default () => "pass";\n',
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: [{id: a, label: pass}]\nmin_items: 1\n',
    });

  it('one path for two file reporters is an error, not one report overwriting the other', async () => {
    const r = await runCli(['--reporter', 'json', '--reporter', 'junit', '--outputFile', 'out.xml'], { cwd: project() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: --outputFile out.xml: json and junit would both write it; give each its own (--outputFile.json <path>, --outputFile.junit <path>)');
  });

  it('a path with no reporter that writes a file is an error, not silence', async () => {
    const r = await runCli(['--outputFile', 'x.xml'], { cwd: project() });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: --outputFile x.xml: no reporter of this run writes a file (default prints); add --reporter junit, json, markdown or html');
  });

  it('the blob reporter writes where it is told', async () => {
    const dir = project();
    const r = await runCli(['--reporter', 'blob', '--outputFile', 'my-blob.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'my-blob.json'), 'utf8')).version).toBe(2);
  });
});

describe('a block-style threshold', () => {
  it('points each of its checks at its own key, in GitHub annotations and the JSON report', async () => {
    const dir = makeProject({
      'judges/no.mjs': 'export default () => "fail";\n',
      'calibration-suites/s.yaml': [
        'suite: s', // 1
        'judge:', // 2
        '  id: no', // 3
        '  provider: module', // 4
        '  path: ../judges/no.mjs', // 5
        '  scale: binary', // 6
        'items: [{id: a, label: pass}]', // 7
        'min_items: 1', // 8
        'thresholds:', // 9
        '  accuracy:', // 10
        '    min: 0.9', // 11
        '    max_drop: 0.05', // 12
        '',
      ].join('\n'),
    });
    const r = await runCli(['--reporter', 'github', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^::error file=calibration-suites\/s\.yaml,line=11,col=5,title=judge-test%3A s::accuracy 0\.000/m);
    expect(r.stdout).toMatch(/^::error file=calibration-suites\/s\.yaml,line=12,col=5,title=judge-test%3A s::accuracy max_drop 0\.05/m);
    const lines = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.thresholds.map((t) => [t.op, t.line]);
    expect(lines).toEqual([['>=', 11], ['max_drop', 12]]);
  });
});
