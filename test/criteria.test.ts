// Multi-criteria judges: one call answers every criterion; each criterion is scored as its
// own view with its own scale and thresholds; the criteria together as a label set
// (multilabel) and averaged (multitask); recorded and code judges too.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOOTSTRAP } from '../src/metrics/bootstrap.js';
import { multilabelMetrics } from '../src/metrics/multilabel.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { directiveScript, startSimServer } from './helpers/sim-server.mjs';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/metrics/multilabel.json', import.meta.url), 'utf8')) as {
  cases: { human: number[][]; judge: number[][]; exact_match: number; jaccard: number; hamming_loss: number; micro_f1: number; macro_f1: number }[];
};

describe('multilabel metrics', () => {
  it('match scikit-learn', () => {
    for (const c of fixtures.cases) {
      const m = multilabelMetrics(c.human.map((h, i) => ({ human: h.map(Boolean), judge: c.judge[i]!.map(Boolean) })), { ...DEFAULT_BOOTSTRAP, resamples: 200 });
      expect(m.multilabel_exact_match!.value).toBeCloseTo(c.exact_match, 12);
      expect(m.multilabel_jaccard!.value).toBeCloseTo(c.jaccard, 12);
      expect(m.multilabel_hamming_loss!.value).toBeCloseTo(c.hamming_loss, 12);
      expect(m.multilabel_micro_f1!.value).toBeCloseTo(c.micro_f1, 12);
      expect(m.multilabel_macro_f1!.value).toBeCloseTo(c.macro_f1, 12);
      expect(m.multilabel_jaccard!.ci![0]).toBeLessThanOrEqual(c.jaccard);
    }
  });
});

// The simulated judge answers each criterion from directives: [[h:pass]] [[s:fail]] [[t:2]].
const script = (req: Parameters<typeof directiveScript>[0]) => {
  const get = (k: string) => new RegExp(`\\[\\[${k}:(\\w+)\\]\\]`).exec(req.prompt)?.[1];
  if (!get('h')) return directiveScript(req);
  return { text: JSON.stringify({ reason: 'graded each criterion', verdicts: { helpful: get('h'), harmless: get('s'), tone: Number(get('t')) } }) };
};

// 12 answers. Humans: helpful on even ids, harmless except every 4th, tone 1..3. The judge
// errs on helpful for ids 1 and 2, on harmless for id 3, and on tone for id 5.
const ROWS = Array.from({ length: 12 }, (_, i) => {
  const human = { helpful: i % 2 ? 'fail' : 'pass', harmless: i % 4 === 3 ? 'fail' : 'pass', tone: (i % 3) + 1 };
  const judge = { helpful: i === 1 ? 'pass' : i === 2 ? 'fail' : human.helpful, harmless: i === 3 ? 'pass' : human.harmless, tone: i === 5 ? 1 : human.tone };
  return { id: `c${i}`, output: `answer ${i} [[h:${judge.helpful}]] [[s:${judge.harmless}]] [[t:${judge.tone}]]`, label: human, judge };
});

const JUDGE = (extra: string) => `id: hhh\n${extra}temperature: 0\ncriteria:\n  helpful: binary\n  harmless: binary\n  tone: { ordinal: { min: 1, max: 3 } }\nrubric: |\n  Grade helpfulness, harmlessness and tone.\n`;
const SUITE = 'suite: hhh\njudge: ../judges/hhh.yaml\nitems: ./d.jsonl\nmin_items: 5\nthresholds:\n  helpful: { accuracy: ">= 0.8" }\n  harmless: { accuracy: ">= 0.9" }\n  tone: { exact_agreement: ">= 0.9" }\n  multilabel_jaccard: ">= 0.7"\n';

describe('a multi-criteria judge', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer(script);
  });
  afterAll(() => sim.close());

  it('answers every criterion in one call, and reports a view per criterion and the criteria together', async () => {
    const dir = makeProject({
      'judges/hhh.yaml': JUDGE(`provider: openai\nmodel: sim-model\nbaseURL: ${sim.openaiBaseURL}\n`),
      'calibration-suites/hhh.yaml': SUITE,
      'calibration-suites/d.jsonl': ROWS.map(({ judge: _j, ...r }) => JSON.stringify(r)).join('\n'),
    });
    sim.reset();
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(r.stderr).toBe('');
    expect(sim.calls).toHaveLength(12); // one per item, not one per criterion
    const schema = (sim.calls[0] as { body: { response_format: { json_schema: { schema: { properties: { verdicts: { required: string[] } } } } } } }).body.response_format.json_schema.schema;
    expect(schema.properties.verdicts.required).toEqual(['helpful', 'harmless', 'tone']);
    expect(sim.calls[0]!.prompt).toContain('"verdicts": {"helpful": "pass" or "fail", "harmless": "pass" or "fail", "tone": an integer from 1 to 3}');

    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    const by = Object.fromEntries(report.suites.map((s) => [s.name, s]));
    expect(Object.keys(by)).toEqual(['hhh › helpful', 'hhh › harmless', 'hhh › tone', 'hhh › all criteria']);
    expect(by['hhh › helpful']!.metrics.accuracy!.value).toBeCloseTo(10 / 12, 12);
    expect(by['hhh › harmless']!.metrics.fp_rate!.value).toBeCloseTo(1 / 3, 12);
    expect(by['hhh › tone']!.metrics.exact_agreement!.value).toBeCloseTo(11 / 12, 12);
    expect(by['hhh › helpful']!.status).toBe('passed');
    expect(by['hhh › tone']!.status).toBe('passed');
    // Together: the label sets {helpful, harmless} of humans and judge.
    const sets = ROWS.map((row) => ({ human: [row.label.helpful === 'pass', row.label.harmless === 'pass'], judge: [row.judge.helpful === 'pass', row.judge.harmless === 'pass'] }));
    const expected = multilabelMetrics(sets, DEFAULT_BOOTSTRAP);
    const all = by['hhh › all criteria']!;
    expect(all.metrics.multilabel_jaccard!.value).toBeCloseTo(expected.multilabel_jaccard!.value!, 12);
    expect(all.metrics.multilabel_exact_match!.value).toBeCloseTo(9 / 12, 12);
    expect(all.metrics.multitask_accuracy!.value).toBeCloseTo((10 / 12 + 11 / 12 + 11 / 12) / 3, 12);
    expect(all.thresholds[0]).toMatchObject({ metric: 'multilabel_jaccard', status: 'passed' });
    expect(r.stdout).toMatch(/✓ calibration-suites\/hhh\.yaml > hhh › all criteria/);
    expect(r.code).toBe(0);

    // Cached: each criterion's view replays the one answer.
    sim.reset();
    const again = await runCli(['--offline'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(sim.calls).toHaveLength(0);
    const line = JSON.parse(readFileSync(join(dir, '.judge-cache/hhh.jsonl'), 'utf8').split('\n')[0]!);
    expect(Object.keys(line.verdict.labels)).toEqual(['helpful', 'harmless', 'tone']);

    // A criterion's threshold failing fails the run; the combined view still reports.
    const tight = SUITE.replace('tone: { exact_agreement: ">= 0.9" }', 'tone: { exact_agreement: ">= 0.95" }');
    (await import('node:fs')).writeFileSync(join(dir, 'calibration-suites/hhh.yaml'), tight);
    const failing = await runCli([], { cwd: dir });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/✗ calibration-suites\/hhh\.yaml > hhh › tone/);
    expect(failing.stdout).toMatch(/✗ exact_agreement 0\.917/);
  });

  it('answers every criterion through an Anthropic forced tool call', async () => {
    const dir = makeProject({
      'judges/hhh.yaml': JUDGE(`provider: anthropic\nmodel: sim-model\nbaseURL: ${sim.anthropicBaseURL}\n`),
      'calibration-suites/hhh.yaml': SUITE,
      'calibration-suites/d.jsonl': ROWS.map(({ judge: _j, ...r }) => JSON.stringify(r)).join('\n'),
    });
    sim.reset();
    const r = await runCli(['--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir, env: { ANTHROPIC_API_KEY: 'sk-ant-x-1234567890' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(sim.calls).toHaveLength(12);
    const tool = (sim.calls[0] as { body: { tools: { input_schema: { properties: { verdicts: { required: string[] } } } }[] } }).body.tools[0]!;
    expect(tool.input_schema.properties.verdicts.required).toEqual(['helpful', 'harmless', 'tone']);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(report.suites.find((s) => s.name === 'hhh › harmless')!.metrics.accuracy!.value).toBeCloseTo(11 / 12, 12);
  });

  it('works with recorded verdicts per criterion and with a code judge', async () => {
    const recorded = ROWS.map((r) => JSON.stringify({ id: r.id, verdict: r.judge })).join('\n');
    const dir = makeProject({
      'judges/hhh.yaml': JUDGE('provider: recorded\npath: ./v.jsonl\n'),
      'judges/v.jsonl': recorded,
      'judges/code.yaml': JUDGE('provider: module\npath: ./code.mjs\n').replace('id: hhh', 'id: code'),
      'judges/code.mjs': "export default ({ output }) => { const g = (k) => new RegExp(`\\\\[\\\\[${k}:(\\\\w+)\\\\]\\\\]`).exec(output)[1]; return { reason: 'code', verdicts: { helpful: g('h'), harmless: g('s'), tone: Number(g('t')) } }; };\n",
      'calibration-suites/hhh.yaml': SUITE,
      'calibration-suites/code.yaml': SUITE.replace('suite: hhh', 'suite: code').replace('../judges/hhh.yaml', '../judges/code.yaml'),
      'calibration-suites/d.jsonl': ROWS.map(({ judge: _j, ...r }) => JSON.stringify(r)).join('\n'),
    });
    const r = await runCli(['--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    for (const name of ['hhh', 'code']) {
      const s = report.suites.find((x) => x.name === `${name} › helpful`)!;
      expect(s.metrics.accuracy!.value).toBeCloseTo(10 / 12, 12);
    }
  });

  it('rejects a flat label, a judge with both scale and criteria, and an unknown criterion threshold', async () => {
    const base = {
      'judges/hhh.yaml': JUDGE('provider: recorded\npath: ./v.jsonl\n'),
      'judges/v.jsonl': ROWS.map((r) => JSON.stringify({ id: r.id, verdict: r.judge })).join('\n'),
      'calibration-suites/hhh.yaml': SUITE,
      'calibration-suites/d.jsonl': ROWS.map(({ judge: _j, ...r }) => JSON.stringify(r)).join('\n'),
    };
    const flat = makeProject({ ...base, 'calibration-suites/d.jsonl': JSON.stringify({ id: 'x', output: 'o', label: 'pass' }) });
    let r = await runCli([], { cwd: flat });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/d\.jsonl:1:\d+: item "x": the judge has criteria: expected a label per criterion/);
    const both = makeProject({ ...base, 'judges/hhh.yaml': JUDGE('provider: recorded\npath: ./v.jsonl\nscale: binary\n') });
    r = await runCli([], { cwd: both });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected exactly one of scale (one output) or criteria');
    const unknown = makeProject({ ...base, 'calibration-suites/hhh.yaml': SUITE.replace('multilabel_jaccard', 'honest') });
    r = await runCli([], { cwd: unknown });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown metric "honest" for the criteria together \(or a criterion: helpful, harmless, tone\)/);
  });
});
