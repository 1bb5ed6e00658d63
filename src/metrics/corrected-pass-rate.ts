import type { MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { quantile } from './bootstrap.js';
import type { BinaryCounts } from './confusion-matrix.js';
import { defined, undefinedMetric } from './metric-value.js';
import { seededRandom } from './random.js';

/**
 * Rogan–Gladen estimator of the true pass rate of a product's outputs from the judge's pass
 * rate on unlabeled outputs and its sensitivity (TPR) and specificity (TNR) on the anchors:
 * π = (p_observed + TNR − 1) / (TPR + TNR − 1), clipped to [0, 1]. Rogan & Gladen (1978),
 * Am. J. Epidemiol. 107:71–76. Undefined when the judge is no better than chance
 * (TPR + TNR ≤ 1): its verdicts then say nothing about the true rate.
 */
export function roganGladen(observedPassRate: number, tpr: number, tnr: number): number | null {
  const youden = tpr + tnr - 1;
  if (youden <= 0) return null;
  return Math.min(1, Math.max(0, (observedPassRate + tnr - 1) / youden));
}

/**
 * The estimate with a percentile bootstrap interval: each resample redraws the anchors'
 * true positives and true negatives (binomially, within the humans' passes and fails) and
 * the unlabeled outputs' judge passes, and recomputes π. n = unlabeled outputs.
 */
export function correctedPassRate(anchors: BinaryCounts, observed: { passed: number; total: number }, opts: BootstrapOptions): MetricValue {
  const pos = anchors.tp + anchors.fn;
  const neg = anchors.tn + anchors.fp;
  if (pos === 0 || neg === 0) return undefinedMetric(observed.total, 'the anchors need items the humans passed and items they failed, to measure TPR and TNR');
  if (observed.total === 0) return undefinedMetric(0, 'no unlabeled outputs to correct');
  const estimate = roganGladen(observed.passed / observed.total, anchors.tp / pos, anchors.tn / neg);
  if (estimate === null) return undefinedMetric(observed.total, 'the judge is no better than chance on the anchors (TPR + TNR ≤ 1)');
  const m = defined(estimate, observed.total);
  if (opts.resamples > 0) {
    const random = seededRandom(opts.seed + 104729);
    const draws: number[] = [];
    for (let r = 0; r < opts.resamples; r++) {
      const v = roganGladen(binomial(observed.total, observed.passed / observed.total, random) / observed.total, binomial(pos, anchors.tp / pos, random) / pos, binomial(neg, anchors.tn / neg, random) / neg);
      if (v !== null) draws.push(v);
    }
    draws.sort((a, b) => a - b);
    const alpha = (1 - opts.confidence) / 2;
    m.ci = draws.length >= 0.9 * opts.resamples ? [quantile(draws, alpha), quantile(draws, 1 - alpha)] : null;
  }
  return m;
}

/**
 * A binomial draw: the sum of n Bernoulli draws, exact, up to n = 20,000; beyond, the normal
 * approximation (n·p·(1 − p) is then large unless p is extreme), rounded and clipped.
 */
function binomial(n: number, p: number, random: () => number): number {
  if (n <= 20_000) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const u1 = Math.max(random(), 1e-300);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return Math.min(n, Math.max(0, Math.round(n * p + z * Math.sqrt(n * p * (1 - p)))));
}
