// The binary table bootstrap draws each stratum as one binomial from a tabulated CDF: the CDF
// against SciPy, the draws against the distribution, and the intervals against resampling
// item by item. The table-free draws (outward from the mode) and the multinomial chain the
// item bootstrap uses for large suites, against the same CDFs and moments.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { binomialCdf, binomialDraw, drawFromCdf, multinomialDraw } from '../src/metrics/binomial.js';
import { logGamma } from '../src/metrics/student-t.js';
import { itemBootstrapIntervals, unitsByKey } from '../src/metrics/item-bootstrap.js';
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

describe('table-free binomial and multinomial draws', () => {
  it('ln k! as binomialDraw takes it (logGamma(k + 1)) agrees with summed logs', () => {
    let sum = 0;
    for (let k = 1; k <= 20_000; k++) {
      sum += Math.log(k);
      expect(Math.abs(logGamma(k + 1) - sum), `k=${k}`).toBeLessThan(1e-13 * Math.max(1, sum));
    }
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
  });

  it.each(fixture.cases)('binomialDraw follows scipy.stats.binom.cdf for n=$n, p=$p (Kolmogorov–Smirnov, 1%)', ({ n, p, x, cdf }) => {
    const random = seededRandom(n + 17);
    const draws = 40_000;
    const below = new Float64Array(x.length);
    for (let d = 0; d < draws; d++) {
      const v = binomialDraw(n, p, random());
      expect(v >= 0 && v <= n && Number.isInteger(v)).toBe(true);
      x.forEach((at, i) => v <= at && below[i]!++);
    }
    const ks = Math.max(...x.map((_, i) => Math.abs(below[i]! / draws - cdf[i]!)));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(draws));
  });

  it('binomialDraw at a million trials: mean and variance within sampling error', () => {
    const random = seededRandom(8);
    const n = 1_000_000, p = 0.37, draws = 20_000;
    const xs = Array.from({ length: draws }, () => binomialDraw(n, p, random()));
    const mean = xs.reduce((a, b) => a + b, 0) / draws;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws - 1);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(draws));
    expect(Math.abs(variance / sd ** 2 - 1)).toBeLessThan(4 * Math.sqrt(2 / draws));
    expect(binomialDraw(0, 0.5, 0.3)).toBe(0);
    expect(binomialDraw(9, 0, 0.99)).toBe(0);
    expect(binomialDraw(9, 1, 0.01)).toBe(9);
  });

  it('multinomialDraw: every draw placed, each group\'s mean and the covariance of two groups as the multinomial has them', () => {
    const counts = [500, 0, 1500, 3000, 5000];
    const total = 10_000, n = 10_000, draws = 20_000;
    const random = seededRandom(4);
    const out = new Float64Array(counts.length);
    const sum = new Float64Array(counts.length);
    let cross = 0;
    for (let d = 0; d < draws; d++) {
      multinomialDraw(n, counts, random, out);
      expect(out.reduce((a, b) => a + b, 0)).toBe(n);
      expect(out[1]).toBe(0);
      out.forEach((v, u) => (sum[u]! += v));
      cross += (out[0]! - (n * counts[0]!) / total) * (out[4]! - (n * counts[4]!) / total);
    }
    counts.forEach((c, u) => {
      const p = c / total;
      const se = Math.sqrt((n * p * (1 - p)) / draws);
      expect(Math.abs(sum[u]! / draws - n * p), `group ${u}`).toBeLessThanOrEqual(4 * se);
    });
    // Cov(X0, X4) = −n p0 p4 = −250.
    expect(cross / draws).toBeGreaterThan(-250 * 1.1);
    expect(cross / draws).toBeLessThan(-250 * 0.9);
  });

  it('the item bootstrap gives the same intervals drawing units as a multinomial as drawing items one by one', () => {
    // 3,200 items in 4 units: the unit path (32+ items per unit); 120 of them: the item path.
    const keysOf = (n: number) => Array.from({ length: n }, (_, i) => String([0, 0, 0, 1, 1, 2, 3, 3][i % 8]));
    const mean = (w: Float64Array) => (w[1]! + 2 * w[2]! + 3 * w[3]!) / (w[0]! + w[1]! + w[2]! + w[3]!);
    const opts = { resamples: 4000, seed: 3, confidence: 0.95 };
    const big = itemBootstrapIntervals(unitsByKey(keysOf(3200)), ['mean'], (w) => ({ mean: mean(w) }), opts).mean!;
    // The reference: the same data, resampled item by item.
    const values = keysOf(3200).map(Number);
    const random = seededRandom(12);
    const means: number[] = [];
    for (let r = 0; r < opts.resamples; r++) {
      let s = 0;
      for (let i = 0; i < values.length; i++) s += values[(random() * values.length) | 0]!;
      means.push(s / values.length);
    }
    means.sort((a, b) => a - b);
    expect(Math.abs(big[0] - quantile(means, 0.025))).toBeLessThan(0.006);
    expect(Math.abs(big[1] - quantile(means, 0.975))).toBeLessThan(0.006);
    const small = itemBootstrapIntervals(unitsByKey(keysOf(120)), ['mean'], (w) => ({ mean: mean(w) }), opts).mean!;
    expect(small[0]).toBeLessThan(big[0]);
    expect(small[1]).toBeGreaterThan(big[1]);
  });
});
