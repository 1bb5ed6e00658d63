// `judge-test cache stats | prune | clear` on a cache filled through the simulated server.
import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { binaryItems, makeProject, openaiJudge } from './helpers/project.js';
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
