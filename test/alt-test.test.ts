// The Alternative Annotator Test against the authors' procedure with SciPy's t-test and
// statsmodels' BY correction (test/fixtures/metrics/make_alttest_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { altTest, jaccardScore, type AltTestResult } from '../src/metrics/alt-test.js';
import { benjaminiYekutieli } from '../src/metrics/benjamini-yekutieli.js';
import { tTestLess } from '../src/metrics/student-t.js';
import type { Label } from '../src/types.js';

interface Case {
  name: string;
  items: { id: string; labels: Record<string, Label>; judge: Label | null }[];
  options: { epsilon: number; scoring: 'accuracy' | 'neg_rmse'; min_instances: number; multiplicative?: boolean };
  expected: AltTestResult | null;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/alttest.json', import.meta.url), 'utf8')) as {
  published_check: Record<string, { match: boolean }>;
  cases: Case[];
  ttests: { values: number[]; mu: number; p: number }[];
  by: { p: number[]; q: number; rejected: boolean[] }[];
};

describe('alt-test matches the reference procedure', () => {
  it('the reference script reproduces the paper\'s CEBaB table for all six LLMs', () => {
    const cebab = Object.entries(fixture.published_check).filter(([k]) => k.startsWith('cebab'));
    expect(cebab).toHaveLength(6);
    expect(cebab.every(([, v]) => v.match)).toBe(true);
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const got = altTest(c.items, { epsilon: c.options.epsilon, q: 0.05, minInstances: c.options.min_instances, multiplicative: c.options.multiplicative ?? false, scoring: c.options.scoring });
      if (c.expected === null) {
        expect(got).toEqual({ insufficient: expect.stringMatching(/^insufficient evidence: no annotator labeled 30\+ items/) });
        return;
      }
      const r = got as AltTestResult;
      expect(r.winningRate).toBeCloseTo(c.expected.winningRate, 12);
      expect(r.advantageProbability).toBeCloseTo(c.expected.advantageProbability, 12);
      expect(r.annotators.map((a) => [a.annotator, a.n, a.rejected])).toEqual(c.expected.annotators.map((a) => [a.annotator, a.n, a.rejected]));
      r.annotators.forEach((a, i) => {
        expect(a.advantageProbability).toBeCloseTo(c.expected!.annotators[i]!.advantageProbability, 12);
        expect(a.pValue).toBeCloseTo(c.expected!.annotators[i]!.pValue, 9);
      });
    });
  }

  it.each(fixture.ttests)('one-sided t-test p-value, n=$values.length mu=$mu', ({ values, mu, p }) => {
    expect(tTestLess(values, mu).p).toBeCloseTo(p, 10);
  });

  it.each(fixture.by)('Benjamini–Yekutieli rejections on $p.length p-values', ({ p, q, rejected }) => {
    expect(benjaminiYekutieli(p, q)).toEqual(rejected);
  });

  it('Jaccard scoring for label sets', () => {
    expect(jaccardScore(new Set(['a', 'b']), [new Set(['a']), new Set(['a', 'b', 'c'])])).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
    expect(jaccardScore(new Set(), [new Set()])).toBe(1);
  });
});
