// While the last calls of a run are in flight, an unfinished suite is scored on the verdicts
// it has and the result thrown away, so the real scoring after the last answer runs warm. The
// warm-up waits only when calls are slow, is never reported, and never runs a user's metric
// module on partial data.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SuiteResult } from '../src/types.js';

// Every scoring, with the number of items it was given.
const scored: number[] = [];
vi.mock('../src/assert/score-suite.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src/assert/score-suite.js')>();
  return {
    ...actual,
    scoreSuite: (...args: Parameters<typeof actual.scoreSuite>) => {
      scored.push(args[1].length);
      return actual.scoreSuite(...args);
    },
  };
});

const { loadSuite } = await import('../src/config/load-suite.js');
const { defaultRunOptions, runSuites } = await import('../src/run/run-suites.js');
const { makeProject, openaiJudge } = await import('./helpers/project.js');
const { directiveScript, startSimServer } = await import('./helpers/sim-server.mjs');

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer(directiveScript);
});
afterAll(() => sim.close());

// Every answer takes 200 ms: when the pool has taken its last task (its 8 workers hold the
// last 8), the wait left is far longer than a warm-up pass.
const N = 16;
const items = Array.from({ length: N }, (_, i) => JSON.stringify({ id: `i${i}`, output: `answer ${i} [[verdict:${i % 4 ? 'pass' : 'fail'}]] [[slow:200]]`, label: i % 2 ? 'pass' : 'fail' })).join('\n');

/** A project of one live suite over `rows`: `extra` goes into the suite file, `files` beside it. */
function project(rows: string, extra = '', files: Record<string, string> = {}) {
  return makeProject({
    'judges/sim.yaml': openaiJudge(),
    'calibration-suites/s.yaml': `suite: s\njudge: ../judges/sim.yaml\nitems: ./items.jsonl\n${extra}thresholds:\n  kappa: ">= 0.1"\n`,
    'calibration-suites/items.jsonl': rows,
    ...files,
  });
}

async function run(dir: string) {
  const done: SuiteResult[] = [];
  const suite = loadSuite(join(dir, 'calibration-suites/s.yaml'));
  const env = { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: sim.openaiBaseURL };
  const out = await runSuites([suite], defaultRunOptions({ cwd: dir, env, concurrency: 2, reporters: [{ onSuiteDone: (r) => done.push(r), onRunDone: () => {} }], cacheDir: join(dir, '.judge-cache'), noCache: true }));
  return { ...out, done };
}

describe('scoring warm-up', () => {
  it('scores an unfinished suite while its last call is in flight, and reports only the final scoring', async () => {
    scored.length = 0;
    const { results, done } = await run(project(items));
    // Warm-up passes on the verdicts in so far (those the last workers hold were not), then the suite scored whole.
    const warmUps = scored.slice(0, -1);
    expect(warmUps.length).toBeGreaterThanOrEqual(1);
    expect(warmUps.length).toBeLessThanOrEqual(2);
    for (const n of warmUps) {
      expect(n).toBeGreaterThan(0);
      expect(n).toBeLessThan(N);
    }
    expect(scored.at(-1)).toBe(N);
    // Reporters and the result know only the final scoring.
    expect(done).toHaveLength(1);
    expect(done[0]!.items).toHaveLength(N);
    expect(results[0]!.items).toHaveLength(N);
    expect(results[0]!.metrics.accuracy!.n).toBe(N);
  });

  it('does not warm up when calls answer sooner than a pass would take', async () => {
    scored.length = 0;
    await run(project(items.replaceAll(' [[slow:200]]', '')));
    expect(scored).toEqual([N]);
  });

  it('never runs a suite of custom metrics on partial data: their module is the user\'s code', async () => {
    scored.length = 0;
    const dir = project(items, 'metrics:\n  share: ./share.mjs\n', {
      // Records every call's item count (the bootstrap calls it again per resample, on N items).
      'calibration-suites/share.mjs': `import { appendFileSync } from 'node:fs';\nexport default (items) => { appendFileSync(new URL('./calls.txt', import.meta.url), items.length + '\\n'); return items.filter((i) => i.verdict === 'pass').length / items.length; };\n`,
    });
    const { results } = await run(dir);
    expect(scored).toEqual([N]);
    const calls = join(dir, 'calibration-suites/calls.txt');
    expect(existsSync(calls)).toBe(true);
    const counts = new Set(readFileSync(calls, 'utf8').trim().split('\n').map(Number));
    expect([...counts]).toEqual([N]);
    expect(results[0]!.metrics.share!.value).toBeCloseTo(12 / N, 12);
  });
});
