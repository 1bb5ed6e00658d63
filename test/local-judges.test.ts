// Module (code) judges, recorded verdicts, Anthropic through the CLI, and multi-annotator items.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const report = (out: string) => JSON.parse(out) as JsonReport;

describe('module judges', () => {
  const items = ['{"id":"a","output":"yes","label":"pass"}', '{"id":"b","output":"no","label":"fail"}', '{"id":"c","output":"no","label":"pass","notes":"terse but right"}'].join('\n');
  const suite = 'suite: code\njudge:\n  id: code\n  provider: module\n  path: ./judge.js\n  scale: binary\nitems: ./items.jsonl\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.6"\n';

  it('grade items in code, with the item fields as arguments', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': suite,
      'calibration-suites/items.jsonl': items,
      'calibration-suites/judge.js': 'export default ({ output, id }) => ({ verdict: output === "yes" ? "pass" : "fail", reason: `saw ${output} in ${id}` });\n',
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const s = report(r.stdout);
    expect(s.stats).toMatchObject({ calls: 0, local: 3, cached: 0 });
    expect(s.suites[0]!.items.map((i) => [i.id, i.outcome, i.reason])).toEqual([
      ['a', 'TP', 'saw yes in a'],
      ['b', 'TN', 'saw no in b'],
      ['c', 'FN', 'saw no in c'],
    ]);
    // Uncached by default: nothing written.
    expect(existsSync(join(dir, '.judge-cache'))).toBe(false);
  });

  it('are cached when the module opts in, keyed on its source', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': suite,
      'calibration-suites/items.jsonl': items,
      'calibration-suites/judge.js': 'export const cache = true;\nexport default ({ output }) => (output === "yes" ? "pass" : "fail");\n',
    });
    expect(report((await runCli(['--reporter', 'json'], { cwd: dir })).stdout).stats).toMatchObject({ calls: 3, cached: 0 });
    expect(report((await runCli(['--reporter', 'json'], { cwd: dir })).stdout).stats).toMatchObject({ calls: 0, cached: 3 });
    expect(readFileSync(join(dir, '.judge-cache/code.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('a module that throws is a runtime error (exit 3) naming the item', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': suite,
      'calibration-suites/items.jsonl': items,
      'calibration-suites/judge.js': 'export default ({ id }) => { if (id === "b") throw new Error("boom"); return "pass"; };\n',
    });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/judge "code", item "b": module judge threw: boom/);
  });

  it('a module without a function export is a config error', async () => {
    const dir = makeProject({ 'calibration-suites/s.yaml': suite, 'calibration-suites/items.jsonl': items, 'calibration-suites/judge.js': 'export const x = 1;\n' });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^judge-test: calibration-suites\/s\.yaml: judge "code": .*judge\.js must export a function \(default export or "judge"\)$/);
  });
});

describe('multi-annotator items', () => {
  it('score against the majority, report ties, and leave tied items out of the metrics', async () => {
    const rows = [
      { id: 'maj-pass', labels: { ann: 'pass', bob: 'pass', cy: 'fail' }, verdict: 'pass' },
      { id: 'maj-fail', labels: { ann: 'fail', bob: 'fail', cy: null }, verdict: 'pass' },
      { id: 'tie', labels: { ann: 'pass', bob: 'fail' }, verdict: 'fail' },
      { id: 'solo', labels: { ann: 'fail' }, verdict: 'fail' },
    ];
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./verdicts.csv\n  scale: binary\nitems: ./items.jsonl\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.5"\n',
      'calibration-suites/items.jsonl': rows.map((r) => JSON.stringify({ id: r.id, labels: r.labels })).join('\n'),
      'calibration-suites/verdicts.csv': 'id,verdict,reason\n' + rows.map((r) => `${r.id},${r.verdict},recorded ${r.id}`).join('\n'),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const s = report(r.stdout).suites[0]!;
    expect(s.items.map((i) => [i.id, i.human, i.outcome])).toEqual([
      ['maj-pass', 'pass', 'TP'],
      ['maj-fail', 'fail', 'FP'],
      ['tie', null, 'no_consensus'],
      ['solo', 'fail', 'TN'],
    ]);
    expect(s.items[1]!.labels).toEqual({ ann: 'fail', bob: 'fail' });
    expect(s.metrics.accuracy).toMatchObject({ value: 2 / 3, n: 3 });
    expect(s.metrics.unparseable_rate).toMatchObject({ value: 0, n: 4 });
  });
});

describe('anchor metadata', () => {
  it('a settled consensus overrides a tie, and its rationale shows beside the misaligned item', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\nmin_items: 1\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/items.jsonl': [
        JSON.stringify({ id: 'tie', labels: { ann: 'pass', bob: 'fail' }, consensus: 'fail', rationale: 'The date is wrong; ann missed it.', edge_case: 'dates', origin: 'session 2026-11-20' }),
        JSON.stringify({ id: 'plain', label: 'pass' }),
      ].join('\n'),
      'calibration-suites/v.jsonl': '{"id":"tie","verdict":"pass","reason":"looks fine"}\n{"id":"plain","verdict":"pass"}\n',
    });
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const s = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(s.items[0]).toMatchObject({ id: 'tie', human: 'fail', outcome: 'FP', anchor: { consensus: 'fail', rationale: 'The date is wrong; ann missed it.', edgeCase: 'dates', origin: 'session 2026-11-20' } });
    expect(r.stdout).toContain('tie: human fail (ann: pass, bob: fail), judge pass — judge: "looks fine" — rationale: "The date is wrong; ann missed it." — edge case: "dates"');
  });
});

describe('anthropic through the CLI', () => {
  it('judges an ordinal suite and fails a missed threshold with exit 1', async () => {
    const items = [5, 4, 2, 1].map((h, i) => JSON.stringify({ id: `s${i}`, input: 'article', output: `summary [[verdict:${Math.min(5, h + 1)}]]`, label: h }));
    const dir = makeProject({
      'judges/claude.yaml': 'id: claude\nprovider: anthropic\nmodel: claude-sim\nscale: { ordinal: { min: 1, max: 5 } }\nrubric: Rate consistency 1-5.\n',
      'calibration-suites/s.yaml': 'suite: consistency\njudge: ../judges/claude.yaml\nitems: ./d.jsonl\nmin_items: 1\nthresholds:\n  within_one: ">= 0.9"\n  exact_agreement: ">= 0.5"\n  spearman: ">= 0.9"\n',
      'calibration-suites/d.jsonl': items.join('\n'),
    });
    const env = { ANTHROPIC_BASE_URL: sim.anthropicBaseURL, ANTHROPIC_API_KEY: 'sk-ant-secret-000000000' };
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(1);
    const s = report(r.stdout).suites[0]!;
    // s0 and s1 render the same prompt (same input and output): one call per cache key.
    expect(sim.calls.map((c) => c.api)).toEqual(['anthropic', 'anthropic', 'anthropic']);
    expect(s.items.map((i) => [i.human, i.judge, i.outcome])).toEqual([
      [5, 5, 'agree'],
      [4, 5, 'disagree'],
      [2, 3, 'disagree'],
      [1, 2, 'disagree'],
    ]);
    expect(s.thresholds.map((t) => [t.metric, t.status])).toEqual([
      ['within_one', 'passed'],
      ['exact_agreement', 'failed'],
      ['spearman', 'passed'],
    ]);
    expect(readFileSync(join(dir, '.judge-cache/claude.jsonl'), 'utf8')).not.toContain('sk-ant-secret');
    const missing = await runCli([], { cwd: makeProject({ 'judges/claude.yaml': 'id: claude\nprovider: anthropic\nmodel: m\nscale: binary\nrubric: r\n', 'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/claude.yaml\nitems: [{id: a, label: pass}]\n' }) });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^judge-test: set ANTHROPIC_API_KEY: 1 item\(s\) are not cached/);
  });
});

describe('confidence calibration from recorded confidences', () => {
  it('reports ece, mce, brier, the reliability bins and a fitted temperature', async () => {
    // 20 items; the judge says 0.9 every time and is right on 14 of them: over-confident.
    const rows = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, human: 'pass', verdict: i < 14 ? 'pass' : 'fail', confidence: 0.9 }));
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\ncalibration: { bins: 5 }\nthresholds:\n  ece: "<= 0.1"\n',
      'calibration-suites/items.jsonl': rows.map((r) => JSON.stringify({ id: r.id, label: r.human })).join('\n'),
      'calibration-suites/v.jsonl': rows.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict, confidence: r.confidence })).join('\n'),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(r.code).toBe(1); // ece 0.2 > 0.1
    const s = report(r.stdout).suites[0]!;
    expect(s.metrics.ece!.value).toBeCloseTo(0.2, 12);
    expect(s.metrics.mce!.value).toBeCloseTo(0.2, 12);
    expect(s.metrics.brier!.value).toBeCloseTo((14 * 0.01 + 6 * 0.81) / 20, 12);
    expect(s.calibration!.bins).toEqual([{ count: 20, meanConfidence: 0.9, accuracy: 0.7 }]);
    // Rescaling 0.9 to the observed 0.7: σ(logit(0.9) / T) = 0.7.
    const t = Math.log(0.9 / 0.1) / Math.log(0.7 / 0.3);
    expect(s.calibration!.temperature).toBeCloseTo(t, 6);
    expect(s.items[0]!.confidence).toBe(0.9);
  });
});
