// The metric registry: which metrics each scale has, and computing them from labels.
import type { Label, MetricValue, Scale } from '../types.js';
import { accuracy } from './accuracy.js';
import { agreementWithin } from './agreement-within.js';
import { cohenKappa } from './cohen-kappa.js';
import { binaryCounts, confusionMatrix, type ConfusionMatrix } from './confusion-matrix.js';
import { f1 } from './f1.js';
import { fnRate } from './fn-rate.js';
import { fpRate } from './fp-rate.js';
import { meanAbsoluteError } from './mean-absolute-error.js';
import { ratio } from './metric-value.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { spearman } from './spearman.js';

export { accuracy, agreementWithin, binaryCounts, cohenKappa, confusionMatrix, f1, fnRate, fpRate, meanAbsoluteError, precision, recall, spearman };
export type { BinaryCounts, ConfusionMatrix } from './confusion-matrix.js';

const METRICS: Record<Scale['kind'], string[]> = {
  binary: ['accuracy', 'precision', 'recall', 'f1', 'fp_rate', 'fn_rate', 'kappa', 'unparseable_rate'],
  ordinal: ['exact_agreement', 'within_one', 'mae', 'kappa', 'kappa_quadratic', 'spearman', 'unparseable_rate'],
  categorical: ['accuracy', 'kappa', 'unparseable_rate'],
};

export function metricNamesFor(scale: Scale): string[] {
  return METRICS[scale.kind];
}

export interface MetricInput {
  scale: Scale;
  /** The judge-vs-human pairs: items with a human consensus and a parsed verdict. */
  human: Label[];
  judge: Label[];
  /** Items the judge answered (parsed or not), and how many of those were unparseable. */
  answered: number;
  unparseable: number;
}

export function computeMetrics(input: MetricInput, labels: Label[]): { metrics: Record<string, MetricValue>; confusion: ConfusionMatrix } {
  const { scale, human, judge } = input;
  const m: Record<string, MetricValue> = {};
  if (scale.kind === 'binary') {
    const c = binaryCounts(human, judge);
    m.accuracy = accuracy(human, judge);
    m.precision = precision(c);
    m.recall = recall(c);
    m.f1 = f1(c);
    m.fp_rate = fpRate(c);
    m.fn_rate = fnRate(c);
    m.kappa = cohenKappa(human, judge, labels);
  } else if (scale.kind === 'ordinal') {
    const h = human as number[];
    const j = judge as number[];
    m.exact_agreement = agreementWithin(h, j, 0);
    m.within_one = agreementWithin(h, j, 1);
    m.mae = meanAbsoluteError(h, j);
    m.kappa = cohenKappa(h, j, labels);
    m.kappa_quadratic = cohenKappa(h, j, labels, 'quadratic');
    m.spearman = spearman(h, j);
  } else {
    m.accuracy = accuracy(human, judge);
    m.kappa = cohenKappa(human, judge, labels);
  }
  m.unparseable_rate = ratio(input.unparseable, input.answered, input.answered, 'the judge answered no item');
  return { metrics: m, confusion: confusionMatrix(human, judge, labels) };
}
