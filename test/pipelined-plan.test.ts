// A big run starts calling before it has planned every item (the plan's head is judged while
// the rest is planned); the checks that need the whole plan first still come before any call.
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VerdictCache } from '../src/cache/store.js';
import { loadSuite } from '../src/config/load-suite.js';
import { defaultRunOptions, runSuites } from '../src/run/run-suites.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { directiveScript, startSimServer } from './helpers/sim-server.mjs';

/** Counts the cache lookups: one per item as it is planned. */
class CountingCache extends VerdictCache {
  lookups = 0;
  override get(judgeId: string, key: string) {
    this.lookups++;
    return super.get(judgeId, key);
  }
}

let lookupsAtFirstCall: number | undefined;
let cache: CountingCache | undefined;
let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer((req) => {
    lookupsAtFirstCall ??= cache?.lookups;
    return directiveScript(req);
  });
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  lookupsAtFirstCall = undefined;
});

const N = 3000;
const project = (suiteExtra = '') =>
  makeProject({
    'judges/sim.yaml': openaiJudge().replace('model: sim-model', 'model: gpt-4o-mini'),
    'calibration-suites/big.yaml': `suite: big\njudge: ../judges/sim.yaml\nitems: ./big.jsonl\nthresholds:\n  accuracy: ">= 0.8"\n${suiteExtra}`,
    'calibration-suites/big.jsonl': Array.from({ length: N }, (_, i) => JSON.stringify({ id: `i${i}`, output: `answer ${i} [[verdict:${i % 10 ? 'pass' : 'fail'}]]`, label: 'pass' })).join('\n') + '\n',
  });

describe('a big run', () => {
  it('sends its first call before the last item is planned, and judges every item once', async () => {
    // A first run in this process loads the SDK and its first call's code: what is measured
    // below is when calls start, not how long the very first one takes to prepare.
    const warm = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/w.yaml': 'suite: w\njudge: ../judges/sim.yaml\nitems: ./w.jsonl\n',
      'calibration-suites/w.jsonl': JSON.stringify({ id: 'w', output: 'w', label: 'pass' }) + '\n',
    });
    await runSuites([loadSuite(join(warm, 'calibration-suites/w.yaml'))], defaultRunOptions({ cwd: warm, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: sim.openaiBaseURL }, reporters: [], cacheDir: join(warm, '.judge-cache') }));
    sim.reset();
    lookupsAtFirstCall = undefined;
    const dir = project();
    cache = new CountingCache(join(dir, '.judge-cache'));
    const suite = loadSuite(join(dir, 'calibration-suites/big.yaml'));
    const { results, stats } = await runSuites([suite], defaultRunOptions({ cwd: dir, env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: sim.openaiBaseURL }, concurrency: 16, reporters: [], cacheDir: join(dir, '.judge-cache'), verdictCache: cache }));
    cache.close();
    expect(lookupsAtFirstCall).toBeDefined();
    expect(lookupsAtFirstCall!).toBeLessThan(N); // not everything was planned when the first call arrived
    expect(cache.lookups).toBeGreaterThanOrEqual(N);
    expect(stats.calls).toBe(N);
    expect(new Set(sim.calls.map((c) => c.prompt)).size).toBe(N);
    expect(results[0]!.items).toHaveLength(N);
    expect(results[0]!.metrics.accuracy!.value).toBeCloseTo(0.9, 12);
    expect(results[0]!.status).toBe('passed');
  });

  it('still refuses before any call when --max-cost, --offline or a missing key needs the whole plan', async () => {
    const dir = project();
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    const budget = await runCli(['--max-cost', '0.0000001'], { cwd: dir, env });
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/--max-cost 1e-7: the 3000 uncached calls would cost about/);
    const offline = await runCli(['--offline'], { cwd: dir, env });
    expect(offline.code).toBe(2);
    expect(offline.stderr).toMatch(/--offline: no cached verdict for 3000 item\(s\)/);
    expect(sim.calls).toHaveLength(0);
    // No key and no OpenAI-compatible server: skipped (it has uncached items), not called.
    const noKey = await runCli([], { cwd: project('skip_without_key: true\n') });
    expect(noKey.code).toBe(0);
    expect(noKey.stdout).toMatch(/big .*set OPENAI_API_KEY, or OPENAI_BASE_URL .*\(3000 of 3000 items not cached\)/);
  });

  it('--bail during planning still reports every suite (none planned yet is dropped)', async () => {
    const rows = (n: number, verdict: string) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `i${i}`, output: `a ${i} [[verdict:${verdict}]]`, label: 'pass' })).join('\n') + '\n';
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      // Fails at once: its few answers come back while the big suite is still being planned.
      'calibration-suites/a.yaml': 'suite: a\njudge: ../judges/sim.yaml\nitems: ./a.jsonl\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/a.jsonl': rows(3, 'fail'),
      'calibration-suites/b.yaml': 'suite: b\njudge: ../judges/sim.yaml\nitems: ./b.jsonl\n',
      'calibration-suites/b.jsonl': rows(40_000, 'pass'),
      'calibration-suites/c.yaml': 'suite: c\njudge: ../judges/sim.yaml\nitems: ./c.jsonl\n',
      'calibration-suites/c.jsonl': rows(5, 'pass'),
    });
    const r = await runCli(['--bail', '--concurrency', '2', '--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    expect(r.code).toBe(1);
    const suites = (JSON.parse(r.stdout) as { suites: { name: string; status: string; message?: string }[] }).suites;
    expect(suites.map((x) => `${x.name}:${x.status}`)).toEqual(['a:failed', 'b:skipped', 'c:skipped']);
    expect(suites[2]!.message).toBe('not run (--bail)');
  });
});
