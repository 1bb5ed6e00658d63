// The binary table bootstrap draws each stratum as one binomial from a tabulated CDF: the CDF
// against SciPy, the draws against the distribution, and the intervals against resampling
// item by item.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binomialCdf, drawFromCdf } from '../src/metrics/binomial.js';
import { bootstrapTableIntervals, quantile } from '../src/metrics/bootstrap.js';
import { kappaOf } from '../src/metrics/cohen-kappa.js';
import type { PairTable } from '../src/metrics/pair-table.js';
import { seededRandom } from '../src/metrics/random.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/binomial.json', import.meta.url), 'utf8')) as {
  cases: { n: number; p: number; x: number[]; cdf: number[] }[];
};

describe('binomialCdf', () => {
  it.each(fixture.cases)('matches scipy.stats.binom.cdf for n=$n, p=$p, tails included', ({ n, p, x, cdf }) => {
    const ours = binomialCdf(n, p);
    x.forEach((at, i) => {
      const want = cdf[i]!;
      // Absolute in the body, relative in the far tails (down to 1e-38).
      expect(Math.abs(ours[at]! - want), `x=${at}`).toBeLessThanOrEqual(1e-12 + 1e-8 * want);
    });
  });

  it('handles the degenerate cases: no trials, p = 0 and p = 1', () => {
    const random = seededRandom(3);
    expect(drawFromCdf(binomialCdf(0, 0.4), random())).toBe(0);
    for (let i = 0; i < 50; i++) {
      expect(drawFromCdf(binomialCdf(12, 0), random())).toBe(0);
      expect(drawFromCdf(binomialCdf(12, 1), random())).toBe(12);
    }
  });
});

describe('drawFromCdf', () => {
  it('draws Binomial(200, 0.3): chi-square within the 0.1% critical value, mean and variance close', () => {
    const n = 200;
    const p = 0.3;
    const cdf = binomialCdf(n, p);
    const random = seededRandom(11);
    const draws = 100_000;
    const seen = new Array<number>(n + 1).fill(0);
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < draws; i++) {
      const x = drawFromCdf(cdf, random());
      seen[x]!++;
      sum += x;
      squares += x * x;
    }
    const mean = sum / draws;
    expect(mean).toBeCloseTo(n * p, 0);
    expect(squares / draws - mean * mean).toBeGreaterThan(n * p * (1 - p) * 0.97);
    expect(squares / draws - mean * mean).toBeLessThan(n * p * (1 - p) * 1.03);
    // Pool the tails so every bin expects at least 5.
    let chi = 0;
    let bins = 0;
    let pooledSeen = 0;
    let pooledExpected = 0;
    for (let x = 0; x <= n; x++) {
      pooledSeen += seen[x]!;
      pooledExpected += draws * (cdf[x]! - (x ? cdf[x - 1]! : 0));
      if (pooledExpected >= 5 || x === n) {
        chi += (pooledSeen - pooledExpected) ** 2 / pooledExpected;
        bins++;
        pooledSeen = 0;
        pooledExpected = 0;
      }
    }
    const df = bins - 1;
    // Wilson–Hilferty: the chi-square quantile at 0.999 (z = 3.09).
    const critical = df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
    expect(chi).toBeLessThan(critical);
  });
});

describe('the binary table bootstrap', () => {
  it('gives the intervals resampling item by item gives, within Monte Carlo error', () => {
    const t: PairTable = { labels: ['pass', 'fail'], counts: [[170, 30], [45, 155]], n: 400 };
    const resamples = 4000;
    const ours = bootstrapTableIntervals(t, { kappa: (x) => kappaOf(x) }, { resamples, seed: 5, confidence: 0.95 }).kappa!;
    // The definition: each human-label stratum resampled item by item, with replacement.
    const random = seededRandom(99);
    const strata = t.counts.map((row) => row.flatMap((c, j) => new Array<number>(c).fill(j)));
    const values: number[] = [];
    for (let r = 0; r < resamples; r++) {
      const counts = strata.map((stratum) => {
        const row = [0, 0];
        for (let i = 0; i < stratum.length; i++) row[stratum[(random() * stratum.length) | 0]!]!++;
        return row;
      });
      values.push(kappaOf({ labels: t.labels, counts, n: t.n }).value!);
    }
    values.sort((a, b) => a - b);
    const reference = [quantile(values, 0.025), quantile(values, 0.975)];
    expect(Math.abs(ours[0] - reference[0]!)).toBeLessThan(0.012);
    expect(Math.abs(ours[1] - reference[1]!)).toBeLessThan(0.012);
    // And the same seed gives the same interval.
    expect(bootstrapTableIntervals(t, { kappa: (x) => kappaOf(x) }, { resamples, seed: 5, confidence: 0.95 }).kappa).toEqual(ours);
  });
});
