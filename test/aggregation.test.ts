// Several annotators: the aggregation the suite chooses, and the human ceiling beside the judge.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { cohenKappa } from '../src/metrics/cohen-kappa.js';
import { fleissKappa } from '../src/metrics/fleiss-kappa.js';
import { krippendorffAlpha } from '../src/metrics/krippendorff-alpha.js';
import { seededRandom } from '../src/metrics/random.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const random = seededRandom(5);
const ANN = ['ann', 'bob', 'cy'];
// 40 ordinal items: a latent score, each annotator within one of it (bob skips every 4th item).
const rows = Array.from({ length: 40 }, (_, i) => {
  const truth = 1 + Math.floor(random() * 5);
  const near = () => Math.min(5, Math.max(1, truth + [-1, 0, 0, 1][Math.floor(random() * 4)]!));
  const labels: Record<string, number> = { ann: near(), cy: near() };
  if (i % 4 !== 0) labels.bob = near();
  return { id: `i${i}`, labels, verdict: near() };
});

function project(aggregation: string, scale = '{ ordinal: { min: 1, max: 5 } }') {
  return makeProject({
    'calibration-suites/s.yaml': `suite: s\naggregation: ${aggregation}\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: ${scale}\nitems: ./items.jsonl\nthresholds:\n  judge_to_human_ratio: ">= 0.5"\n`,
    'calibration-suites/items.jsonl': rows.map((r) => JSON.stringify({ id: r.id, labels: r.labels })).join('\n'),
    'calibration-suites/v.jsonl': rows.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict })).join('\n'),
  });
}

async function suiteReport(aggregation: string) {
  const r = await runCli(['--reporter', 'json'], { cwd: project(aggregation) });
  expect(r.stderr).toBe('');
  return (JSON.parse(r.stdout) as JsonReport).suites[0]!;
}

const labels = [1, 2, 3, 4, 5];
const ratings = rows.map((r) => ANN.map((a) => r.labels[a] ?? null));

describe('the human ceiling', () => {
  it('reports Fleiss, Krippendorff and pairwise agreement among humans, and with the judge', async () => {
    const s = await suiteReport('majority');
    expect(s.metrics.human_fleiss_kappa!.value).toBeCloseTo(fleissKappa(ratings, labels).value!, 12);
    expect(s.metrics.human_krippendorff_alpha_ordinal!.value).toBeCloseTo(krippendorffAlpha(ratings, labels, 'ordinal').value!, 12);
    const withJudge = rows.map((r, i) => [...ratings[i]!, r.verdict]);
    expect(s.metrics.krippendorff_alpha_interval_with_judge!.value).toBeCloseTo(krippendorffAlpha(withJudge, labels, 'interval').value!, 12);
    // human_agreement: mean quadratic kappa over the three annotator pairs, on shared items.
    const pairKappa = (a: string, b: string) => {
      const shared = rows.filter((r) => r.labels[a] !== undefined && r.labels[b] !== undefined);
      return cohenKappa(shared.map((r) => r.labels[a]!), shared.map((r) => r.labels[b]!), labels, 'quadratic').value!;
    };
    const human = (pairKappa('ann', 'bob') + pairKappa('ann', 'cy') + pairKappa('bob', 'cy')) / 3;
    expect(s.metrics.human_agreement!.value).toBeCloseTo(human, 12);
    const judge =
      ANN.map((a) => {
        const mine = rows.filter((r) => r.labels[a] !== undefined);
        return cohenKappa(mine.map((r) => r.labels[a]!), mine.map((r) => r.verdict), labels, 'quadratic').value!;
      }).reduce((x, y) => x + y, 0) / 3;
    expect(s.metrics.judge_agreement!.value).toBeCloseTo(judge, 12);
    expect(s.metrics.judge_to_human_ratio!.value).toBeCloseTo(judge / human, 12);
    expect(s.metrics.judge_to_human_ratio!.ci).toHaveLength(2);
    // Human ICC needs complete rows: the 30 items all three annotators labeled.
    expect(s.metrics.human_icc_2_1!.n).toBe(30);
  });

  it('is undefined, with the reason, when there is one annotator', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: [{id: a, label: pass}, {id: b, label: fail}]\n',
      'calibration-suites/j.js': 'export default () => "pass";\n',
    });
    const s = (JSON.parse((await runCli(['--reporter', 'json'], { cwd: dir })).stdout) as JsonReport).suites[0]!;
    expect(s.metrics.human_fleiss_kappa).toEqual({ value: null, n: 0, reason: 'needs labels from 2 or more annotators', ci: null });
  });
});

describe('aggregation', () => {
  it('individual_average scores the judge against each annotator, then averages', async () => {
    const s = await suiteReport('individual_average');
    const perAnnotator = ANN.map((a) => {
      const mine = rows.filter((r) => r.labels[a] !== undefined);
      return mine.filter((r) => Math.abs(r.labels[a]! - r.verdict) <= 1).length / mine.length;
    });
    expect(s.metrics.within_one!.value).toBeCloseTo(perAnnotator.reduce((x, y) => x + y, 0) / 3, 12);
    const qk = ANN.map((a) => {
      const mine = rows.filter((r) => r.labels[a] !== undefined);
      return cohenKappa(mine.map((r) => r.labels[a]!), mine.map((r) => r.verdict), labels, 'quadratic').value!;
    });
    expect(s.metrics.kappa_quadratic!.value).toBeCloseTo(qk.reduce((x, y) => x + y, 0) / 3, 12);
    expect(s.metrics.kappa_quadratic!.value).toBeCloseTo(s.metrics.judge_agreement!.value!, 12);
    expect(s.metrics.within_one!.ci![0]).toBeLessThanOrEqual(s.metrics.within_one!.value!);
  });

  it('mean compares the judge with the mean label; kappa is then undefined, with the reason', async () => {
    const s = await suiteReport('mean');
    const mean = (r: (typeof rows)[number]) => Object.values(r.labels).reduce((a, b) => a + b, 0) / Object.values(r.labels).length;
    const mae = rows.reduce((a, r) => a + Math.abs(mean(r) - r.verdict), 0) / rows.length;
    expect(s.metrics.mae!.value).toBeCloseTo(mae, 12);
    expect(s.items[0]!.human).toBeCloseTo(mean(rows[0]!), 12);
    expect(s.metrics.kappa_quadratic!.value).toBeNull();
    expect(s.metrics.kappa_quadratic!.reason).toMatch(/kappa compares categories: a mean or median consensus is not one/);
  });

  it('median takes the middle label', async () => {
    const s = await suiteReport('median');
    const median = (v: number[]) => {
      const x = [...v].sort((a, b) => a - b);
      return x.length % 2 ? x[x.length >> 1]! : (x[x.length / 2 - 1]! + x[x.length / 2]!) / 2;
    };
    expect(s.items.map((i) => i.human)).toEqual(rows.map((r) => median(Object.values(r.labels))));
  });

  it('mean or median on a binary scale is a config error', async () => {
    const r = await runCli([], { cwd: project('mean', 'binary') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/s\.yaml:2:14: aggregation mean needs an ordinal scale; this judge's scale is binary/);
  });
});

describe('slices', () => {
  // 30 items: 10 tagged "safety", where the judge is lenient (passes 4 of the 5 human fails).
  const items = Array.from({ length: 30 }, (_, i) => {
    const safety = i < 10;
    const human = i % 2 === 0 ? 'pass' : 'fail';
    const lenient = safety && human === 'fail' && i !== 1;
    return { id: `s${i}`, label: human, tags: safety ? ['safety'] : ['billing'], verdict: lenient ? 'pass' : human };
  });
  const dir = (slices: string) =>
    makeProject({
      'calibration-suites/s.yaml': `suite: s\nmin_items: 5\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  fp_rate: "<= 0.5"\nslices:\n${slices}`,
      'calibration-suites/items.jsonl': items.map((r) => JSON.stringify({ id: r.id, label: r.label, tags: r.tags })).join('\n'),
      'calibration-suites/v.jsonl': items.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict })).join('\n'),
    });

  it('gate the items with a tag on their own thresholds', async () => {
    const r = await runCli(['--reporter', 'json'], { cwd: dir('  safety:\n    fp_rate: "<= 0.05"\n  billing:\n    fp_rate: "<= 0.05"\n') });
    expect(r.code).toBe(1);
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(s.metrics.fp_rate).toMatchObject({ value: 4 / 15, n: 15 });
    expect(s.slices.safety!.metrics.fp_rate).toMatchObject({ value: 4 / 5, n: 5 });
    expect(s.slices.billing!.metrics.fp_rate).toMatchObject({ value: 0, n: 10 });
    expect(s.thresholds.map((t) => [t.slice ?? '-', t.metric, t.status, t.line])).toEqual([
      ['-', 'fp_rate', 'passed', 10],
      ['safety', 'fp_rate', 'failed', 13],
      ['billing', 'fp_rate', 'passed', 15],
    ]);
    const text = await runCli([], { cwd: dir('  safety:\n    fp_rate: "<= 0.05"\n') });
    expect(text.stdout).toMatch(/✗ \[safety\] fp_rate 0\.800 \[[\d.]+, [\d.]+\] \(target <= 0\.05, n=5\)/);
  });

  it('a slice no item is tagged with is a config error listing the tags in use', async () => {
    const r = await runCli([], { cwd: dir('  safty:\n    fp_rate: "<= 0.05"\n') });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/s\.yaml:12:3: slice "safty": no item has this tag \(tags in use: billing, safety\)$/);
  });
});

describe('alt-test in a suite', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/alttest.json', import.meta.url), 'utf8')) as {
    cases: { items: { id: string; labels: Record<string, string>; judge: string | null }[]; expected: { winningRate: number; advantageProbability: number; annotators: { annotator: string; rejected: boolean }[] } | null }[];
  };
  const c = fixture.cases[0]!; // CEBaB aspects, gpt-4o-mini, epsilon 0.1
  const project = (extra: string, items = c.items) =>
    makeProject({
      'calibration-suites/s.yaml': `suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: { categorical: [Positive, Negative, unknown] }\nitems: ./items.jsonl\n${extra}thresholds:\n  alt_test_winning_rate: ">= 0.5"\n`,
      'calibration-suites/items.jsonl': items.map((i) => JSON.stringify({ id: i.id, labels: i.labels })).join('\n'),
      'calibration-suites/v.jsonl': items.map((i) => JSON.stringify({ id: i.id, verdict: i.judge })).join('\n'),
    });

  it('reports the winning rate, advantage probability and each annotator, and gates on them', async () => {
    const r = await runCli(['--reporter', 'json'], { cwd: project('alt_test: { epsilon: 0.1 }\n') });
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(s.metrics.alt_test_winning_rate!.value).toBeCloseTo(c.expected!.winningRate, 12);
    expect(s.metrics.alt_test_advantage_probability!.value).toBeCloseTo(c.expected!.advantageProbability, 12);
    expect(s.metrics.alt_test_passed!.value).toBe(c.expected!.winningRate >= 0.5 ? 1 : 0);
    expect(s.alt_test!.annotators.map((a) => [a.annotator, a.rejected])).toEqual(c.expected!.annotators.map((a) => [a.annotator, a.rejected]));
    expect(r.code).toBe(c.expected!.winningRate >= 0.5 ? 0 : 1);
  });

  it('says insufficient evidence when no annotator has min_instances items', async () => {
    const r = await runCli(['--reporter', 'json'], { cwd: project('', c.items.slice(0, 25)) });
    expect(r.code).toBe(1);
    const t = (JSON.parse(r.stdout) as JsonReport).suites[0]!.thresholds[0]!;
    expect(t).toMatchObject({ metric: 'alt_test_winning_rate', status: 'insufficient' });
    expect(t.reason).toMatch(/^insufficient evidence: no annotator labeled 30\+ items/);
  });
});
