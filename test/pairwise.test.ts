// Pairwise judges: "which output is better, A or B?", asked in both orders so that position
// bias shows; against the simulated OpenAI server, whose judge prefers the first output on
// a known quarter of the items.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pairwiseMetrics } from '../src/metrics/pairwise.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

// 40 pairs; the better output is marked and sits in A for even items, in B for odd ones.
const ITEMS = Array.from({ length: 40 }, (_, i) => {
  const good = `summary ${i}: accurate and complete [good]`;
  const bad = `summary ${i}: misses the point`;
  return { id: `p${String(i).padStart(2, '0')}`, input: `article ${i}`, output_a: i % 2 ? bad : good, output_b: i % 2 ? good : bad, label: i % 2 ? 'B' : 'A' };
});

describe('pairwise judges', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer((({ prompt }: { prompt: string }) => {
      const first = /<output_a>\n([\s\S]*?)\n<\/output_a>/.exec(prompt)?.[1] ?? '';
      const n = Number(/summary (\d+)/.exec(first)?.[1] ?? 0);
      // On every fourth item it simply prefers whatever comes first.
      if (n % 4 === 0) return { verdict: 'A', reason: 'the first one reads better' };
      return { verdict: first.includes('[good]') ? 'A' : 'B', reason: 'the marked one is better' };
    }) as never);
  });
  afterAll(() => sim.close());

  const project = (suiteExtra = '') =>
    makeProject({
      'judges/prefer.yaml': `id: prefer\nprovider: openai\nmodel: sim-model\nbaseURL: ${sim.openaiBaseURL}\ntemperature: 0\nscale: pairwise\nrubric: |\n  Prefer the summary that is accurate and complete.\n`,
      'calibration-suites/prefer.yaml': `suite: prefer\njudge: ../judges/prefer.yaml\nitems: ./data/pairs.jsonl\n${suiteExtra}thresholds:\n  position_consistency: ">= 0.9"\n  accuracy_excluding_ties: ">= 0.9"\n`,
      'calibration-suites/data/pairs.jsonl': ITEMS.map((x) => JSON.stringify(x)).join('\n'),
    });

  it('asks in both orders, counts an answer that follows the position as a tie, and measures the bias', async () => {
    const dir = project();
    sim.reset();
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(r.stderr).not.toContain('internal error');
    expect(sim.calls.length).toBe(80); // each pair in both orders
    // The swapped request really swaps the outputs.
    const p01 = (sim.calls as { prompt: string }[]).filter((c) => c.prompt.includes('summary 1:'));
    expect(p01.map((c) => /<output_a>\n(.*)\n/.exec(c.prompt)![1])).toEqual(['summary 1: misses the point', 'summary 1: accurate and complete [good]']);
    expect(r.code).toBe(1); // position_consistency 0.75 < 0.9
    const s = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(s.metrics.position_consistency!.value).toBe(0.75); // 30 of 40 survive the swap
    expect(s.metrics.first_position_rate!.value).toBe(50 / 80); // 10 biased items answer "A" twice
    expect(s.metrics.tie_rate!.value).toBe(0.25); // the 10 inconsistent items
    expect(s.metrics.accuracy_excluding_ties!.value).toBe(1);
    expect(s.metrics.accuracy!.value).toBe(0.75);
    expect(s.metrics.position_consistency!.ci![0]).toBeLessThan(0.75);
    expect(s.thresholds.map((t) => [t.metric, t.status])).toEqual([['position_consistency', 'failed'], ['accuracy_excluding_ties', 'passed']]);
    const p04 = s.items.find((i) => i.id === 'p04')!;
    expect(p04).toMatchObject({ judge: 'tie', reason: 'inconsistent across orders: A when shown as given, B when swapped' });
    expect(r.stdout).toContain('✗ position_consistency 0.750');

    // Replayed from the cache without a call; the suite may count inconsistency as unparseable instead.
    sim.reset();
    const other = project('pairwise: {inconsistent: unparseable}\n');
    await runCli(['--reporter', 'json', '--outputFile', 'first.json'], { cwd: other, env: { OPENAI_API_KEY: 'sk-test' } });
    const again = await runCli(['--reporter', 'json'], { cwd: other, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(sim.calls.length).toBe(80);
    const s2 = (JSON.parse(again.stdout) as JsonReport).suites[0]!;
    expect(s2.metrics.unparseable_rate!.value).toBe(0.25);
    expect(s2.metrics.tie_rate!.value).toBe(0);
  });

  it('repairs an unreadable answer in the order it was asked (the swapped order stays swapped)', async () => {
    const repairs: string[] = [];
    const local = await startSimServer((({ prompt }: { prompt: string }) => {
      const first = /<output_a>\n([\s\S]*?)\n<\/output_a>/.exec(prompt)?.[1] ?? '';
      if (prompt.includes('could not be read')) {
        repairs.push(first);
        return { verdict: first.includes('[good]') ? 'A' : 'B', reason: 'repaired' };
      }
      // Item 0 asked swapped (its bad summary first): an answer that is not JSON.
      if (first === 'summary 0: misses the point') return { text: 'B, I think.' };
      return { verdict: first.includes('[good]') ? 'A' : 'B', reason: 'the marked one is better' };
    }) as never);
    try {
      const dir = makeProject({
        'judges/prefer.yaml': `id: prefer\nprovider: openai\nmodel: sim-model\nbaseURL: ${local.openaiBaseURL}\ntemperature: 0\nscale: pairwise\nrubric: |\n  Prefer the summary that is accurate and complete.\n`,
        'calibration-suites/prefer.yaml': 'suite: prefer\njudge: ../judges/prefer.yaml\nitems: ./pairs.jsonl\nmin_items: 1\n',
        'calibration-suites/pairs.jsonl': JSON.stringify(ITEMS[0]) + '\n',
      });
      const r = await runCli(['--reporter', 'json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
      expect(repairs).toEqual(['summary 0: misses the point']);
      const item = (JSON.parse(r.stdout) as JsonReport).suites[0]!.items[0]!;
      expect(item).toMatchObject({ judge: 'A', outcome: 'agree' });
    } finally {
      await local.close();
    }
  });

  it('computes the pairwise metrics by their definitions', () => {
    const m = pairwiseMetrics(
      [
        { human: 'A', judge: 'A', orders: { first: 'A', swapped: 'B', consistent: true } },
        { human: 'B', judge: 'tie', orders: { first: 'A', swapped: 'A', consistent: false } },
        { human: 'tie', judge: 'B', orders: { first: 'B', swapped: 'A', consistent: true } },
        { human: 'B', judge: 'A' },
      ],
      0.95,
    );
    expect(m.accuracy_excluding_ties!.value).toBe(0.5); // items 1 and 4
    expect(m.position_consistency!.value).toBe(2 / 3);
    expect(m.first_position_rate!.value).toBe(4 / 6);
    expect(m.tie_rate!.value).toBe(0.25);
  });
});
