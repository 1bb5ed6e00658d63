import { logGamma } from './student-t.js';

/**
 * Exact draws from Binomial(n, p) by inverting its CDF, tabulated once: one uniform and a
 * binary search per draw instead of n Bernoulli trials. For the bootstrap of a binary pair
 * table, where each human-label stratum draws the same Binomial(stratum size, share the judge
 * labelled like its first label) once per resample: O(n) once instead of O(n) every resample.
 */
export function binomialCdf(n: number, p: number): Float64Array {
  const cdf = new Float64Array(n + 1);
  if (p <= 0 || n === 0) return cdf.fill(1);
  if (p >= 1) {
    cdf[n] = 1;
    return cdf;
  }
  const q = 1 - p;
  // Unnormalized pmf: 1 at the mode, then the ratio recurrences outward. Every step moves away
  // from the mode, so the values only shrink (no overflow); those too small for a double become
  // 0, which is what they are to a uniform draw. Normalizing at the end removes the constant.
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const pmf = cdf;
  pmf[mode] = 1;
  for (let x = mode; x > 0 && pmf[x]! > 0; x--) pmf[x - 1] = (pmf[x]! * x * q) / ((n - x + 1) * p);
  for (let x = mode; x < n && pmf[x]! > 0; x++) pmf[x + 1] = (pmf[x]! * (n - x) * p) / ((x + 1) * q);
  let total = 0;
  for (let x = 0; x <= n; x++) total += pmf[x]!;
  let running = 0;
  for (let x = 0; x <= n; x++) {
    running += pmf[x]!;
    cdf[x] = running / total;
  }
  cdf[n] = 1;
  return cdf;
}

/** The smallest x with u < cdf[x], for a uniform u in [0, 1): a draw from the tabulated distribution. */
export function drawFromCdf(cdf: Float64Array, u: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u < cdf[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * One exact draw from Binomial(n, p) for a uniform u in [0, 1), without a table: inversion
 * outward from the mode (the mode, then alternately the next value below and above), each
 * pmf from the last by the ratio recurrence. Any fixed order of outcomes partitions [0, 1)
 * into their masses, so the draw is exact up to rounding; from the mode it takes about
 * 1.6·sqrt(n·p·(1 − p)) steps on average.
 */
export function binomialDraw(n: number, p: number, u: number): number {
  if (n === 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const atMode = Math.exp(logGamma(n + 1) - logGamma(mode + 1) - logGamma(n - mode + 1) + mode * Math.log(p) + (n - mode) * Math.log(q));
  u -= atMode;
  if (u < 0) return mode;
  let lo = mode, hi = mode, pLo = atMode, pHi = atMode;
  for (;;) {
    if (lo > 0) {
      pLo *= (lo * q) / ((n - lo + 1) * p);
      lo--;
      u -= pLo;
      if (u < 0) return lo;
    }
    if (hi < n) {
      pHi *= ((n - hi) * p) / ((hi + 1) * q);
      hi++;
      u -= pHi;
      if (u < 0) return hi;
    }
    // Rounding left a sliver of mass past the last representable outcome: give it to the mode.
    if ((lo === 0 || pLo === 0) && (hi === n || pHi === 0)) return mode;
  }
}

/**
 * Exact draw of Multinomial(n; counts / Σcounts) into `out`: how many of n draws with
 * replacement from a population of Σcounts land in each group, as a chain of binomials
 * (group u given what the groups before it took). Costs about Σ sqrt(n_u), not n.
 */
export function multinomialDraw(n: number, counts: ArrayLike<number>, random: () => number, out: Float64Array): void {
  let left = n;
  let population = 0;
  for (let u = 0; u < counts.length; u++) population += counts[u]!;
  for (let u = 0; u < counts.length; u++) {
    const c = counts[u]!;
    const x = left === 0 || c === 0 ? 0 : c >= population ? left : binomialDraw(left, c / population, random());
    out[u] = x;
    left -= x;
    population -= c;
  }
}
