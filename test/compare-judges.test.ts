// "Which judge?": several judges on the same anchors — `--judge-model` and `judges:` — end to
// end against the simulated OpenAI server, with judges that differ in a known way.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

// 60 answers: cited and correct (humans pass), correct but uncited (humans fail), wrong (fail).
const ITEMS = Array.from({ length: 60 }, (_, i) => {
  const kind = i % 3;
  const id = `q${String(i).padStart(2, '0')}`;
  return { id, input: `question ${id}`, output: kind === 0 ? `answer ${id}: correct [source: doc]` : kind === 1 ? `answer ${id}: correct` : `answer ${id}: WRONG`, label: kind === 0 ? 'pass' : 'fail' };
});
// The uncited answers each model passes anyway (false positives): none, 3 of 20, all 20.
const LENIENT_ON: Record<string, (n: number) => boolean> = { 'sim-big': () => false, 'sim-cheap': (n) => n % 21 === 1, 'sim-tiny': () => true };

interface Body { model: string; response_format?: unknown }

describe('comparing judges', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer((({ body, prompt }: { body: Body; prompt: string }) => {
      const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(prompt)?.[1] ?? '';
      const n = Number(/answer q(\d+)/.exec(output)?.[1] ?? 0);
      if (output.includes('WRONG')) return { verdict: 'fail', reason: 'wrong' };
      if (output.includes('[source:')) return { verdict: 'pass', reason: 'cited' };
      // By model (--judge-model), or by rubric (judges:): a lenient one passes uncited answers.
      const lenient = /Rubric:\nPass correct answers\.\n/.test(prompt) || (LENIENT_ON[body.model]?.(n) ?? false);
      return { verdict: lenient ? 'pass' : 'fail', reason: lenient ? 'correct enough' : 'no source' };
    }) as never);
  });
  afterAll(() => sim.close());

  const judge = (id: string, rubric: string) => `id: ${id}\nprovider: openai\nmodel: sim-big\nbaseURL: ${sim.openaiBaseURL}\ntemperature: 0\nscale: binary\nrubric: |\n  ${rubric}\n`;

  it('--judge-model runs a variant per model and prints the table, the paired differences, the cheapest passing judge and the Pareto front', async () => {
    const dir = makeProject({
      'judge-test.config.mjs': "export default { prices: { 'sim-big': { input: 10, output: 30 }, 'sim-cheap': { input: 0.2, output: 0.8 }, 'sim-tiny': { input: 0.05, output: 0.2 } } };\n",
      'judges/grounded.yaml': judge('grounded', 'Pass correct answers that cite a source.'),
      'calibration-suites/grounded.yaml': 'suite: grounded\njudge: ../judges/grounded.yaml\nitems: ./data/items.jsonl\nthresholds:\n  kappa: ">= 0.7"\n  fp_rate: "<= 0.1"\n',
      'calibration-suites/data/items.jsonl': ITEMS.map((x) => JSON.stringify(x)).join('\n'),
    });
    const env = { OPENAI_API_KEY: 'sk-test' };
    sim.reset();
    const r = await runCli(['--judge-model', 'sim-tiny,sim-cheap,sim-big', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'markdown', '--outputFile.markdown', 'r.md', '--reporter', 'html', '--outputFile.html', 'r.html'], { cwd: dir, env });
    expect(r.stderr).not.toContain('internal error');
    expect(sim.calls.length).toBe(180); // 60 items × 3 models
    expect(r.code).toBe(1); // every variant gates: sim-tiny fails
    // Each variant is a suite of its own.
    expect(r.stdout).toMatch(/✓ calibration-suites\/grounded\.yaml > grounded › sim-big {2}kappa 1\.000 ≥ 0\.7 · fp_rate 0\.000 ≤ 0\.1/);
    expect(r.stdout).toMatch(/✓ calibration-suites\/grounded\.yaml > grounded › sim-cheap {2}kappa 0\.\d+ ≥ 0\.7 · fp_rate 0\.075 ≤ 0\.1/);
    expect(r.stdout).toMatch(/✗ calibration-suites\/grounded\.yaml > grounded › sim-tiny/);
    // The comparison.
    const out = r.stdout.slice(r.stdout.indexOf(' Judges compared'));
    expect(out).toMatch(/^ Judges compared: calibration-suites\/grounded\.yaml > grounded \(3 judges\)\n {3}judge +status +kappa +fp_rate +unparseable +calls +tokens +cost +latency \/ 1k items\n/);
    expect(out).toMatch(/\n {3}sim-tiny +failed +0\.\d{3} \[[\d.]+, [\d.]+\] +0\.500 \[[\d.]+, [\d.]+\] +0\.000 +60 +[\d,]+ +\$0\.\d{4} +[\d.]+ s\n/);
    expect(out).toMatch(/\n {3}sim-big − sim-tiny: kappa \+0\.\d{3} \[\+0\.\d{3}, \+0\.\d{3}\] on 60 items, sim-big is better beyond noise\n/);
    expect(out).toMatch(/\n {3}sim-big − sim-tiny: fp_rate −0\.500 \[−0\.\d{3}, −0\.\d{3}\] on 60 items, sim-big is better beyond noise\n/);
    expect(out).toMatch(/\n {3}sim-big − sim-cheap: kappa \+0\.\d{3} \[[−+]0\.\d{3}, \+0\.\d{3}\] on 60 items, no difference beyond noise\n/);
    expect(out).toMatch(/\n {3}Recommended: sim-cheap is the cheapest judge that passes every threshold \(\$0\.\d{4} for 60 items, [\d,]+ tokens\)\n/);
    expect(out).toContain('Pareto front of kappa against cost: sim-tiny, sim-cheap, sim-big');
    // JSON, Markdown, HTML.
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(json.comparisons).toHaveLength(1);
    const c = json.comparisons[0]!;
    expect(c).toMatchObject({ suite: 'grounded', file: 'calibration-suites/grounded.yaml', recommended: 'sim-cheap', agreementMetric: 'kappa', front: ['sim-tiny', 'sim-cheap', 'sim-big'] });
    expect(c.rows.map((x) => [x.variant, x.status, x.calls])).toEqual([['sim-tiny', 'failed', 60], ['sim-cheap', 'passed', 60], ['sim-big', 'passed', 60]]);
    expect(c.rows[2]!.usd).toBeGreaterThan(c.rows[1]!.usd! * 10);
    expect(c.rows.every((x) => x.latencyPer1000Ms !== null && x.latencyPer1000Ms > 0)).toBe(true);
    expect(c.differences).toHaveLength(6); // 3 pairs × 2 metrics
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('### Judges compared: grounded\n\n✅ sim-cheap is the cheapest judge that passes every threshold');
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<h2>Judges compared: grounded</h2>');
    expect(html).toMatch(/<svg [^>]*aria-label="kappa against cost \(USD\) for 3 judges; the Pareto front is dashed">/);
    // No history or baseline for an experiment made on the command line.
    expect(existsSync(join(dir, 'calibration-suites/grounded.history.jsonl'))).toBe(false);

    // Re-running the comparison is free: every verdict is cached per judge and model; latency comes back from the cache.
    sim.reset();
    const again = await runCli(['--judge-model', 'sim-tiny,sim-cheap,sim-big', '--reporter', 'json'], { cwd: dir, env });
    expect(sim.calls.length).toBe(0);
    const c2 = (JSON.parse(again.stdout) as JsonReport).comparisons[0]!;
    expect(c2.rows.map((x) => x.usd)).toEqual(c.rows.map((x) => x.usd));
    expect(c2.recommended).toBe('sim-cheap');
  });

  it('--judge-model provider:model switches provider: an OpenAI judge compared with the same model through the Anthropic Messages API', async () => {
    const dir = makeProject({
      'judges/grounded.yaml': judge('grounded', 'Pass correct answers that cite a source.'),
      'calibration-suites/grounded.yaml': 'suite: grounded\njudge: ../judges/grounded.yaml\nitems: ./data/items.jsonl\nthresholds:\n  kappa: ">= 0.7"\n',
      'calibration-suites/data/items.jsonl': ITEMS.map((x) => JSON.stringify(x)).join('\n'),
    });
    sim.reset();
    const r = await runCli(['--judge-model', 'sim-tiny,anthropic:sim-big', '--reporter', 'json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: sim.anthropicBaseURL } });
    expect(r.stderr).not.toContain('internal error');
    const calls = sim.calls as { api: string; body: Body }[];
    expect(calls.filter((c) => c.api === 'anthropic').map((c) => c.body.model)).toEqual(Array(60).fill('sim-big'));
    expect(calls.filter((c) => c.api === 'openai').map((c) => c.body.model)).toEqual(Array(60).fill('sim-tiny'));
    const c = (JSON.parse(r.stdout) as JsonReport).comparisons[0]!;
    expect(c.rows.map((x) => [x.variant, x.status])).toEqual([['sim-tiny', 'failed'], ['anthropic:sim-big', 'passed']]);
    expect(c.differences.find((d) => d.metric === 'kappa')).toMatchObject({ a: 'sim-tiny', b: 'anthropic:sim-big', beyondNoise: true });
  });

  it('judges: in a suite compares judge files, each gated, with its own baseline', async () => {
    const dir = makeProject({
      'judges/lenient.yaml': judge('lenient', 'Pass correct answers.'),
      'judges/strict.yaml': judge('strict', 'Pass correct answers that cite a source.'),
      'calibration-suites/grounded.yaml': 'suite: grounded\njudges: [../judges/lenient.yaml, ../judges/strict.yaml]\nitems: ./data/items.jsonl\nthresholds:\n  kappa: ">= 0.7"\n',
      'calibration-suites/data/items.jsonl': ITEMS.map((x) => JSON.stringify(x)).join('\n'),
    });
    const r = await runCli(['--update', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test' } });
    expect(r.stderr).toContain('Baselines written: calibration-suites/grounded.lenient.baseline.json, calibration-suites/grounded.strict.baseline.json');
    expect(r.code).toBe(1); // the lenient judge fails kappa >= 0.7
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(json.suites.map((s) => [s.name, s.status])).toEqual([['grounded › lenient', 'failed'], ['grounded › strict', 'passed']]);
    expect(json.comparisons[0]).toMatchObject({ recommended: 'strict', rows: [{ variant: 'lenient', judge: 'lenient' }, { variant: 'strict', judge: 'strict' }] });
    expect(json.comparisons[0]!.differences.find((d) => d.metric === 'kappa')).toMatchObject({ a: 'lenient', b: 'strict', beyondNoise: true });
    expect(readFileSync(join(dir, 'calibration-suites/grounded.history.jsonl'), 'utf8')).toContain('"suite":"grounded › strict"');
    // A suite with both judge: and judges: is one clear error.
    const both = makeProject({
      'judges/strict.yaml': judge('strict', 'x'),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/strict.yaml\njudges: [../judges/strict.yaml, ../judges/strict.yaml]\nitems: [{id: a, label: pass}]\n',
    });
    const bad = await runCli([], { cwd: both });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/calibration-suites\/s\.yaml:\d+:\d+: .*expected judge: \(one judge\) or judges: \(several to compare\), not both or neither/);
  });
});
