// `judge-test agreement`: each annotator against the rest, drift, and the disputed items.
import { describe, expect, it } from 'vitest';
import { annotatorReport } from '../src/metrics/annotators.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

// ann and bob agree everywhere; cy disagrees on items 0-3 (early) and agrees later.
const items = Array.from({ length: 10 }, (_, i) => {
  const l = i % 2 ? 'pass' : 'fail';
  return { id: `i${i}`, labels: { ann: l, bob: l, cy: i < 4 ? (l === 'pass' ? 'fail' : 'pass') : l } };
});

describe('annotatorReport', () => {
  it('compares each annotator with the majority of the others and finds drift and disputes', () => {
    const { annotators, disputed } = annotatorReport(items, ['pass', 'fail'], false);
    const cy = annotators.find((a) => a.annotator === 'cy')!;
    expect(cy).toMatchObject({ items: 10, deviations: 4, agreementWithRest: 0.6, firstHalf: 0.8, secondHalf: 0 });
    // ann vs (bob, cy): ties on items 0-3 have no majority and are not compared.
    expect(annotators.find((a) => a.annotator === 'ann')).toMatchObject({ deviations: 0, agreementWithRest: 1 });
    expect(disputed.map((d) => d.id)).toEqual(['i0', 'i1', 'i2', 'i3']);
    expect(disputed[0]!.dispute).toBeCloseTo(1 / 3, 12);
  });
});

describe('judge-test agreement', () => {
  it('prints the panel statistics, flags annotators deviating on 3+ items, lists disputes', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: panel\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: ./items.jsonl\n',
      'calibration-suites/j.js': 'export default () => "pass";\n',
      'calibration-suites/items.jsonl': items.map((i) => JSON.stringify(i)).join('\n'),
    });
    const r = await runCli(['agreement'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^calibration-suites\/s\.yaml > panel: 10 items, 3 annotators\n  fleiss_kappa /);
    expect(r.stdout).toMatch(/\n  cy +10 +60% +[-\d.]+ +4  80% → 0%  ← deviates on 3\+ items\n/);
    expect(r.stdout).toMatch(/most disputed items \(4 with any disagreement\):\n    i0: ann fail, bob fail, cy pass/);
  });
});
