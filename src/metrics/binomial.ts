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
