// provider: panel — several judges' verdicts combined per item, the members' own metrics
// beside the panel's, the cost summed; end to end against the simulated OpenAI server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combineVerdicts } from '../src/assert/score-panel.js';
import type { JsonReport } from '../src/report/json.js';
import type { ResolvedSuite, Verdict } from '../src/types.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const ITEMS = Array.from({ length: 60 }, (_, i) => {
  const kind = i % 3;
  const id = `q${String(i).padStart(2, '0')}`;
  return { id, input: `question ${id}`, output: kind === 0 ? `answer ${id}: correct [source: doc]` : kind === 1 ? `answer ${id}: correct` : `answer ${id}: WRONG`, label: kind === 0 ? 'pass' : 'fail' };
});

describe('panel judges', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    // sim-a passes every correct answer (20 false positives); sim-b is right; sim-c fails the
    // cited answers with an even number (10 false negatives). Their majority is always right.
    sim = await startSimServer((({ body, prompt }: { body: { model: string }; prompt: string }) => {
      const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(prompt)?.[1] ?? '';
      const n = Number(/answer q(\d+)/.exec(output)?.[1] ?? 0);
      const cited = output.includes('[source:');
      let verdict = output.includes('WRONG') ? 'fail' : cited ? 'pass' : 'fail';
      if (body.model === 'sim-a' && !output.includes('WRONG')) verdict = 'pass';
      if (body.model === 'sim-c' && cited && n % 2 === 0) verdict = 'fail';
      return { verdict, reason: `${body.model} says ${verdict}` };
    }) as never);
  });
  afterAll(() => sim.close());

  it('combines three judges by majority, shows each member beside the panel, gates on the panel alone, and sums the cost', async () => {
    const member = (m: string) => `id: ${m}\nprovider: openai\nmodel: ${m}\nbaseURL: ${sim.openaiBaseURL}\ntemperature: 0\nscale: binary\nrubric: |\n  Pass correct answers that cite a source.\n`;
    const dir = makeProject({
      'judges/sim-a.yaml': member('sim-a'),
      'judges/sim-b.yaml': member('sim-b'),
      'judges/sim-c.yaml': member('sim-c'),
      'judges/panel.yaml': 'id: trio\nprovider: panel\nmembers: [./sim-a.yaml, ./sim-b.yaml, ./sim-c.yaml]\n',
      'calibration-suites/grounded.yaml': 'suite: grounded\njudge: ../judges/panel.yaml\nitems: ./data/items.jsonl\nthresholds:\n  kappa: ">= 0.8"\n',
      'calibration-suites/data/items.jsonl': ITEMS.map((x) => JSON.stringify(x)).join('\n'),
    });
    sim.reset();
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'junit', '--outputFile.junit', 'r.xml'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(r.stderr).not.toContain('internal error');
    expect(sim.calls.length).toBe(180); // each member judges each item once
    expect(r.code).toBe(0); // sim-a and sim-c fail alone; the panel passes, and it is what gates
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    const by = new Map(json.suites.map((s) => [s.name, s]));
    expect([...by.keys()]).toEqual(['grounded › sim-a', 'grounded › sim-b', 'grounded › sim-c', 'grounded']);
    expect(by.get('grounded')!.metrics.kappa!.value).toBe(1);
    expect(by.get('grounded › sim-a')!.metrics.kappa!.value).toBeCloseTo(0.4, 12); // 20 FP of 60
    expect(by.get('grounded › sim-c')!.metrics.fn_rate!.value).toBeCloseTo(0.5, 12); // 10 of 20 passes missed
    expect(by.get('grounded › sim-a')!.thresholds[0]).toMatchObject({ status: 'failed', advisory: true, reason: expect.stringContaining('reported, not gating: a member of panel "grounded"') });
    expect(r.stdout).toMatch(/✓ calibration-suites\/grounded\.yaml > grounded › sim-a {2}kappa 0\.400 ≥ 0\.8 {2}60 items \d+ms {2}\(a member of panel "grounded": reported, not gating\)/);
    // The comparison: each member as it would fare alone, the panel's cost their sum.
    const c = json.comparisons[0]!;
    expect(c.rows.map((x) => [x.variant, x.status, x.calls])).toEqual([['sim-a', 'failed', 60], ['sim-b', 'passed', 60], ['sim-c', 'failed', 60], ['panel trio', 'passed', 180]]);
    expect(c.rows[3]!.inputTokens).toBe(c.rows.slice(0, 3).reduce((a, x) => a + x.inputTokens, 0));
    expect(c.recommended).toBe('sim-b'); // as good, and a third of the calls
    // JUnit: the member's miss is visible, as a skip with the reason; nothing fails.
    const xml = readFileSync(join(dir, 'r.xml'), 'utf8');
    expect(xml).not.toContain('<failure');
    expect(xml).toMatch(/<skipped message="kappa 0\.400 \[[\d.]+, [\d.]+\] \(target &gt;= 0\.8, n=60\)"\/>/);
  });

  it('combines ordinal verdicts by mean or median; a halfway mean or a split vote is a tie', () => {
    const v = (label: number | string): Verdict => ({ label, reason: '', status: 'ok', cached: false });
    const suite = (combine: 'majority' | 'mean' | 'median') => ({ panel: { members: [], combine } }) as unknown as ResolvedSuite;
    const names = ['a', 'b', 'c', 'd'];
    expect(combineVerdicts([v(3), v(4), v(5)], names, suite('mean'))).toMatchObject({ label: 4, status: 'ok' });
    expect(combineVerdicts([v(3), v(4)], names, suite('mean'))).toMatchObject({ label: null, status: 'no_consensus' });
    expect(combineVerdicts([v(1), v(5), v(5)], names, suite('median'))).toMatchObject({ label: 5, status: 'ok' });
    expect(combineVerdicts([v('pass'), v('fail')], names, suite('majority'))).toMatchObject({ status: 'no_consensus', reason: 'panel of 2 (a: pass, b: fail)' });
    expect(combineVerdicts([v('pass'), v('fail'), v('pass'), undefined], names, suite('majority'))).toMatchObject({ label: 'pass', status: 'ok' });
  });
});
