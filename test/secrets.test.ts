// Secrets never reach a cache, a report, the console or an error: each redaction path on its
// own (a key that does not look like "sk-…" is caught by its value; an "sk-…" string nobody
// set is caught by its shape; credentials in a URL are masked).
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());

const reporters = ['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'html', '--outputFile.html', 'r.html', '--reporter', 'junit', '--outputFile.junit', 'j.xml', '--reporter', 'markdown', '--outputFile.markdown', 'm.md', '--reporter', 'github'];

/** Everything the run wrote or printed: console, reports, step summary, cache files. */
function everything(dir: string, r: { stdout: string; stderr: string }): string {
  const files = ['r.json', 'r.html', 'j.xml', 'm.md', 'summary.md'].map((f) => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } });
  const cacheDir = join(dir, '.judge-cache');
  const cache = (() => { try { return readdirSync(cacheDir).filter((f) => f.endsWith('.jsonl')).map((f) => readFileSync(join(cacheDir, f), 'utf8')); } catch { return []; } })();
  return [r.stdout, r.stderr, ...files, ...cache].join('\n');
}

function project(output: string) {
  return makeProject({
    'judges/sim.yaml': openaiJudge(),
    'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\n',
    'calibration-suites/d.jsonl': JSON.stringify({ id: 'a', output, label: 'pass' }) + '\n',
  });
}

describe('secrets', () => {
  it('a key (not shaped like sk-…) echoed in a successful answer is redacted by its value everywhere', async () => {
    const key = 'hunter2-Very-Private-Token-42';
    const dir = project('[[200-echo]]');
    const r = await runCli(reporters, { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL, OPENAI_API_KEY: key, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    expect(r.code, r.stderr).toBe(0);
    const all = everything(dir, r);
    expect(all).toContain('authorized as Bearer ***'); // the answer was stored, without the key
    expect(all).not.toContain(key);
  });

  it('an "sk-…" key that no variable holds is redacted by its shape', async () => {
    const dir = project('[[200-foreign-key]]');
    const r = await runCli(reporters, { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL, OPENAI_API_KEY: 'not-shaped-like-a-key-1234', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    expect(r.code, r.stderr).toBe(0);
    const all = everything(dir, r);
    expect(all).toContain('found sk-*** in the logs');
    expect(all).not.toContain('Abc123def456ghi789');
  });

  it('credentials in a base URL are masked in every message and report', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as AddressInfo;
        s.close(() => resolve(port));
      });
    });
    const dir = project('x');
    const r = await runCli(reporters, { cwd: dir, env: { OPENAI_BASE_URL: `http://svc-user:pw-Secret-99@127.0.0.1:${closed}/v1`, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    expect(r.code).toBe(3);
    const all = everything(dir, r);
    expect(all).toContain(`cannot reach http://***@127.0.0.1:${closed}/v1`);
    expect(all).not.toContain('pw-Secret-99');
    expect(all).not.toContain('svc-user');
  });
});

describe('secrets in the data itself', () => {
  it('a key pasted into an item (an exported log line) is redacted from every report and the console', async () => {
    const key = 'a-Very-Private-Key-Value-77';
    const dir = makeProject({
      'judges/ok.mjs': 'export default () => ({ verdict: "fail", reason: "no" });\n',
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: ./d.jsonl\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/d.jsonl': JSON.stringify({ id: 'a', input: `curl -H "Authorization: Bearer ${key}"`, output: 'x', label: 'pass', notes: `leaked ${key}` }) + '\n',
    });
    const r = await runCli(reporters, { cwd: dir, env: { MY_SERVICE_TOKEN: key, GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    expect(r.code).toBe(1);
    const all = everything(dir, r);
    expect(all).toContain('leaked ***');
    expect(all).not.toContain(key);
  });
});
