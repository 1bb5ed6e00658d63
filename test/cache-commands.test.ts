// `judge-test cache stats | prune | clear` on a cache filled through the simulated server.
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { binaryItems, jsonlLines, makeProject, openaiJudge, waitUntil } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());

describe('cache commands', () => {
  it('stats counts verdicts and tokens; prune drops stale verdicts; clear removes the file', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: `i${i}`, human: 'pass' as const, judge: 'pass' }));
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': binaryItems(rows),
    });
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    await runCli([], { cwd: dir, env });
    // A rubric edit: 5 new verdicts, the 5 old ones are now stale.
    writeFileSync(join(dir, 'judges/sim.yaml'), openaiJudge().replace('Pass correct answers.', 'Pass correct, complete answers.'));
    await runCli([], { cwd: dir, env });
    appendFileSync(join(dir, '.judge-cache/sim-judge.jsonl'), '{"torn":\n');

    const stats = await runCli(['cache', 'stats'], { cwd: dir });
    expect(stats.code).toBe(0);
    expect(stats.stdout).toMatch(/^sim-judge: 10 verdicts, [\d.]+ KiB, \d+ input \+ \d+ output tokens saved per full re-run \(1 corrupt lines\)\n$/);

    // The verdicts the suites would ask for from this endpoint (the endpoint is part of the key).
    const prune = await runCli(['cache', 'prune'], { cwd: dir, env });
    expect(prune.stdout.trim()).toBe('sim-judge: kept 5, removed 6');
    expect(readFileSync(join(dir, '.judge-cache/sim-judge.jsonl'), 'utf8').trim().split('\n')).toHaveLength(5);
    sim.reset();
    await runCli([], { cwd: dir, env });
    expect(sim.calls).toHaveLength(0); // everything the suites need is still cached

    const clear = await runCli(['cache', 'clear'], { cwd: dir });
    expect(clear.stdout.trim()).toBe('removed sim-judge.jsonl');
    expect(existsSync(join(dir, '.judge-cache/sim-judge.jsonl'))).toBe(false);
    const bad = await runCli(['cache', 'wipe'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('judge-test: cache: expected stats, prune or clear [judge-id], got "wipe"');
  });
});

describe('cache prune during a run', () => {
  it('refuses while a run is writing to the cache, and loses no verdict', async () => {
    // 30 items: 10 answer at once, 20 take a while, so the prune lands mid-run.
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `i${i}`, output: i < 10 ? `a${i}` : `[[slow:1500]] a${i}`, label: 'pass' }));
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.mjs');
    const run = spawn(process.execPath, [BIN, '--concurrency', '32'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } });
    const done = new Promise((r) => run.on('close', r));
    const cacheFile = join(dir, '.judge-cache/sim-judge.jsonl');
    await waitUntil(() => jsonlLines(cacheFile).length >= 10, 'the fast verdicts are cached');
    const prune = await runCli(['cache', 'prune'], { cwd: dir, env });
    expect(prune.code).toBe(2);
    expect(prune.stderr.trim()).toMatch(/^judge-test: cache prune: a judge-test run \(pid \d+\) is writing to \.judge-cache; prune when it has finished$/);
    expect(await done).toBe(0);
    expect(new Set(jsonlLines(cacheFile).map((l) => JSON.parse(l).item)).size).toBe(30);
    // After the run, prune works.
    const after = await runCli(['cache', 'prune'], { cwd: dir, env });
    expect(after.code, after.stderr).toBe(0);
    expect(jsonlLines(cacheFile)).toHaveLength(30);
  });
});
