import type { CalibrationReport, MetricValue } from '../types.js';
import type { BootstrapOptions } from './bootstrap.js';
import { quantile } from './bootstrap.js';
import { itemBootstrapIntervals, unitsByKey } from './item-bootstrap.js';
import { defined, undefinedMetric } from './metric-value.js';

/** One judged item: the judge's confidence that its verdict is right, and whether it was. */
export interface ConfidencePoint {
  confidence: number;
  correct: boolean;
}

export interface CalibrationOptions {
  bins: number;
  /** `uniform`: equal-width bins on [0, 1]; `quantile`: equal-mass bins. */
  strategy: 'uniform' | 'quantile';
}

export const DEFAULT_CALIBRATION: CalibrationOptions = { bins: 10, strategy: 'uniform' };

/** A reliability-diagram bin. */
export interface CalibrationBin {
  count: number;
  meanConfidence: number;
  accuracy: number;
}

export type { CalibrationReport };

/**
 * Reliability bins as scikit-learn's `calibration_curve` forms them: edges at i/bins
 * (uniform) or at the confidences' quantiles (quantile), a value on an inner edge going to
 * the lower bin; empty bins dropped.
 */
export function reliabilityBins(points: readonly ConfidencePoint[], opts: CalibrationOptions): CalibrationBin[] {
  if (points.length === 0) return [];
  const bin = binIndex(points, opts);
  const count = new Array<number>(opts.bins + 1).fill(0);
  const conf = new Array<number>(opts.bins + 1).fill(0);
  const right = new Array<number>(opts.bins + 1).fill(0);
  points.forEach((p, i) => {
    const b = bin[i]!;
    count[b]!++;
    conf[b]! += p.confidence;
    right[b]! += p.correct ? 1 : 0;
  });
  return count.flatMap((c, b) => (c ? [{ count: c, meanConfidence: conf[b]! / c, accuracy: right[b]! / c }] : []));
}

/** Each point's bin: the number of inner edges below its confidence. */
function binIndex(points: readonly ConfidencePoint[], opts: CalibrationOptions): number[] {
  const sorted = points.map((p) => p.confidence).sort((a, b) => a - b);
  const edges = Array.from({ length: opts.bins + 1 }, (_, i) => (opts.strategy === 'uniform' ? i / opts.bins : quantile(sorted, i / opts.bins)));
  const inner = edges.slice(1, -1);
  return points.map((p) => {
    let b = 0;
    while (b < inner.length && inner[b]! < p.confidence) b++;
    return b;
  });
}

/** Expected calibration error: Σ (n_b / n) · |accuracy_b − mean confidence_b| (Naeini et al. 2015). */
export function ece(points: readonly ConfidencePoint[], opts: CalibrationOptions): MetricValue {
  if (points.length === 0) return noConfidence();
  const bins = reliabilityBins(points, opts);
  return defined(bins.reduce((a, b) => a + (b.count / points.length) * Math.abs(b.accuracy - b.meanConfidence), 0), points.length);
}

/** Maximum calibration error: the largest |accuracy_b − mean confidence_b| over non-empty bins. */
export function mce(points: readonly ConfidencePoint[], opts: CalibrationOptions): MetricValue {
  if (points.length === 0) return noConfidence();
  return defined(Math.max(...reliabilityBins(points, opts).map((b) => Math.abs(b.accuracy - b.meanConfidence))), points.length);
}

/** Brier score: mean (confidence − correct)², 0 is perfect (sklearn `brier_score_loss`). */
export function brier(points: readonly ConfidencePoint[]): MetricValue {
  if (points.length === 0) return noConfidence();
  return defined(points.reduce((a, p) => a + (p.confidence - (p.correct ? 1 : 0)) ** 2, 0) / points.length, points.length);
}

const EPS = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/** Negative log-likelihood of the outcomes under confidences rescaled by temperature t. */
export function temperatureNll(points: readonly ConfidencePoint[], t: number): number {
  let nll = 0;
  for (const p of points) {
    const z = logit(p.confidence) / t;
    // log σ(z) = −log(1 + e^−z), computed stably
    const logSig = (x: number) => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
    nll -= p.correct ? logSig(z) : logSig(-z);
  }
  return nll;
}

/**
 * The temperature T minimizing temperatureNll (Guo et al. 2017, for a binary "is the verdict
 * right" outcome), by golden-section search on log T over [1/100, 100]. Null when every
 * verdict is right or every one is wrong (the likelihood then has no interior minimum).
 */
export function fitTemperature(points: readonly ConfidencePoint[]): number | null {
  const right = points.filter((p) => p.correct).length;
  if (right === 0 || right === points.length) return null;
  let lo = Math.log(0.01);
  let hi = Math.log(100);
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (x: number) => temperatureNll(points, Math.exp(x));
  let c = hi - g * (hi - lo);
  let d = lo + g * (hi - lo);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    if (fc < fd) {
      hi = d;
      d = c;
      fd = fc;
      c = hi - g * (hi - lo);
      fc = f(c);
    } else {
      lo = c;
      c = d;
      fc = fd;
      d = lo + g * (hi - lo);
      fd = f(d);
    }
  }
  return Math.exp((lo + hi) / 2);
}

function noConfidence(): MetricValue {
  return undefinedMetric(0, 'no verdict carries a confidence');
}

/**
 * ece, mce and brier with item-bootstrap intervals, and the reliability report. Resamples
 * keep the full data's bin edges (for quantile bins too), so only the per-bin sums move.
 */
export function calibrationMetrics(points: readonly ConfidencePoint[], opts: CalibrationOptions, boot: BootstrapOptions): { metrics: Record<string, MetricValue>; report: CalibrationReport | null } {
  const metrics: Record<string, MetricValue> = { ece: ece(points, opts), mce: mce(points, opts), brier: brier(points) };
  if (points.length === 0) return { metrics, report: null };
  if (boot.resamples > 0) {
    const units = unitsByKey(points.map((p) => `${p.confidence}|${p.correct}`));
    // Typed arrays per unit: this loop runs once per resample over every unit.
    const bin = binIndex(points, opts);
    const repConf = Float64Array.from(units.representative, (i) => points[i]!.confidence);
    const repRight = Float64Array.from(units.representative, (i) => (points[i]!.correct ? 1 : 0));
    const repBin = Int32Array.from(units.representative, (i) => bin[i]!);
    const names = ['ece', 'mce', 'brier'];
    const count = new Float64Array(opts.bins + 1);
    const conf = new Float64Array(opts.bins + 1);
    const right = new Float64Array(opts.bins + 1);
    const intervals = itemBootstrapIntervals(units, names, (weights) => {
      count.fill(0);
      conf.fill(0);
      right.fill(0);
      let n = 0;
      let brierSum = 0;
      for (let u = 0; u < repConf.length; u++) {
        const w = weights[u]!;
        if (w === 0) continue;
        const b = repBin[u]!;
        count[b]! += w;
        conf[b]! += w * repConf[u]!;
        right[b]! += w * repRight[u]!;
        brierSum += w * (repConf[u]! - repRight[u]!) ** 2;
        n += w;
      }
      let eceSum = 0;
      let mceMax = 0;
      count.forEach((c, b) => {
        if (!c) return;
        const gap = Math.abs(right[b]! / c - conf[b]! / c);
        eceSum += (c / n) * gap;
        mceMax = Math.max(mceMax, gap);
      });
      return { ece: eceSum, mce: mceMax, brier: brierSum / n };
    }, boot);
    for (const n of names) metrics[n]!.ci = intervals[n] ?? null;
  }
  return { metrics, report: { strategy: opts.strategy, bins: reliabilityBins(points, opts), temperature: fitTemperature(points) } };
}
