import { normalQuantile } from './normal.js';

/**
 * Wilson score interval for a proportion k/n (Wilson 1927): well behaved at 0 and 1 and
 * for small n, where a bootstrap interval collapses to a point (0 FP in 20 items does
 * not prove an FP rate of 0). Matches statsmodels' `proportion_confint(method='wilson')`.
 */
export function wilsonInterval(k: number, n: number, confidence: number): [number, number] | null {
  if (n === 0) return null;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = k / n;
  const z2 = z * z;
  const center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, center - half), Math.min(1, center + half)];
}
