// Multi-rater statistics against statsmodels, NLTK and R psych (test/fixtures/metrics/make_multirater_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fleissKappa } from '../src/metrics/fleiss-kappa.js';
import { iccOfRatings, type IccForm } from '../src/metrics/icc.js';
import { krippendorffAlpha, type AlphaLevel } from '../src/metrics/krippendorff-alpha.js';
import type { Label } from '../src/types.js';

interface Case {
  name: string;
  labels: Label[];
  ratings: (Label | null)[][];
  expected: Record<string, number | null>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/multirater.json', import.meta.url), 'utf8')) as { cases: Case[] };

function compute(c: Case, name: string) {
  if (name === 'fleiss_kappa') return fleissKappa(c.ratings, c.labels);
  if (name.startsWith('krippendorff_alpha_')) return krippendorffAlpha(c.ratings, c.labels, name.slice('krippendorff_alpha_'.length) as AlphaLevel);
  if (name.startsWith('icc_')) return iccOfRatings(c.ratings as number[][], name as IccForm);
  throw new Error(name);
}

describe('multi-rater agreement matches statsmodels, NLTK and R psych', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      expect(Object.keys(c.expected).length).toBeGreaterThan(0);
      for (const [name, want] of Object.entries(c.expected)) {
        const got = compute(c, name);
        if (want === null) {
          expect(got.value, name).toBeNull();
          expect(got.reason, name).toMatch(/\w/);
        } else {
          expect(got.value, name).toBeCloseTo(want, 10);
        }
      }
    });
  }

  it('Fleiss with unequal label counts per item still weighs each item by its own pairs', () => {
    // Two items fully agreeing (3 labels, 2 labels) and one split: P̄ = (1 + 1 + 0) / 3.
    const k = fleissKappa([['a', 'a', 'a'], ['b', 'b', null], ['a', 'b', null]], ['a', 'b']);
    // Category shares over all 7 labels: a 4/7, b 3/7.
    const pBar = 2 / 3;
    const pe = (4 / 7) ** 2 + (3 / 7) ** 2;
    expect(k.value).toBeCloseTo((pBar - pe) / (1 - pe), 12);
    expect(k.n).toBe(3);
  });
});
