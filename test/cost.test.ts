// Token usage, cost per suite and run, the cache's savings, and --max-cost.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { binaryItems, makeProject, openaiJudge } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const MINI = { input: 0.15, output: 0.6 }; // gpt-4o-mini, USD per million tokens
const rows = Array.from({ length: 4 }, (_, i) => ({ id: `i${i}`, human: 'pass' as const, judge: 'pass' }));
const project = (model = 'gpt-4o-mini', outputs?: string[]) =>
  makeProject({
    'judges/sim.yaml': openaiJudge().replace('model: sim-model', `model: ${model}`),
    'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\n',
    'calibration-suites/d.jsonl': outputs ? outputs.map((o, i) => JSON.stringify({ id: `i${i}`, output: o, label: 'pass' })).join('\n') : binaryItems(rows),
  });

describe('cost', () => {
  it('adds up tokens and dollars per suite and run; a cached re-run reports what it saved', async () => {
    const dir = project();
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    const first = JSON.parse((await runCli(['--reporter', 'json'], { cwd: dir, env })).stdout) as JsonReport;
    const spent = first.stats.spent!;
    expect(spent.inputTokens).toBeGreaterThan(0);
    expect(spent.usd).toBeCloseTo((spent.inputTokens * MINI.input + spent.outputTokens * MINI.output) / 1e6, 12);
    expect(first.suites[0]!.spent).toEqual(spent);
    const second = JSON.parse((await runCli(['--reporter', 'json'], { cwd: dir, env })).stdout) as JsonReport;
    expect(second.stats.spent).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, usd: 0 });
    expect(second.stats.saved).toEqual(spent);
    const text = await runCli([], { cwd: dir, env });
    expect(text.stdout).toMatch(/Cost +\$0\.0000 \(0 in \+ 0 out tokens\); the cache saved \$0\.\d{4}/);
  });

  it('--max-cost refuses a run whose estimate exceeds it, before any call', async () => {
    const r = await runCli(['--max-cost', '0.0000001'], { cwd: project(), env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^judge-test: --max-cost 1e-7: the 4 uncached calls would cost about \$0\.\d{4}/);
    expect(sim.calls).toHaveLength(0);
    const unpriced = await runCli(['--max-cost', '1'], { cwd: project('my-local-model'), env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    expect(unpriced.code).toBe(2);
    expect(unpriced.stderr).toMatch(/no price for model "my-local-model" \(judge "sim-judge"\); add it under prices in judge-test\.config/);
  });

  it('--max-cost counts only the calls the cache does not answer', async () => {
    const dir = project();
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    expect((await runCli([], { cwd: dir, env })).code).toBe(0);
    sim.reset();
    // Everything is cached: a budget of almost nothing still runs, and makes no call.
    const cached = await runCli(['--max-cost', '0.0000001'], { cwd: dir, env });
    expect(cached.stderr).toBe('');
    expect(cached.code).toBe(0);
    expect(sim.calls).toHaveLength(0);
  });

  it('--max-cost stops starting calls once the budget is spent', async () => {
    // The first answer reports a million prompt tokens ($0.15): the budget of $0.10 is gone.
    const dir = project('gpt-4o-mini', ['[[tokens:1000000]] a', 'b', 'c', 'd']);
    const r = await runCli(['--max-cost', '0.1', '--concurrency', '1', '--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    expect(r.code).toBe(3);
    expect(sim.calls).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: --max-cost 0\.1 reached \(\$0\.15\d+ spent\): no more calls are started/);
    expect((JSON.parse(r.stdout) as JsonReport).suites[0]).toMatchObject({ status: 'error', message: 'stopped by --max-cost after 1 of 4 items' });
  });
});
