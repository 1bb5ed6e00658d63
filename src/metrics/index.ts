// The metric registry: which metrics each scale has, and computing them from a pair table.
import type { Label, MetricValue, Scale } from '../types.js';
import { accuracyOf } from './accuracy.js';
import { agreementWithinOf } from './agreement-within.js';
import { balancedAccuracyOf } from './balanced-accuracy.js';
import { majorityBaselineOf, shareOf } from './base-rate.js';
import { classScoresOf, macroOf, type ClassScore } from './class-scores.js';
import { kappaOf } from './cohen-kappa.js';
import { binaryCountsOf } from './confusion-matrix.js';
import { f1 } from './f1.js';
import { fnRate } from './fn-rate.js';
import { fpRate } from './fp-rate.js';
import { gwetAc1Of } from './gwet-ac1.js';
import { iccOf } from './icc.js';
import { kendallTauBOf } from './kendall-tau-b.js';
import { maeOf, rmseOf } from './mean-absolute-error.js';
import { mccOf } from './mcc.js';
import { ratio } from './metric-value.js';
import { pairTable, type PairTable } from './pair-table.js';
import { pearsonOf } from './pearson.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { spearmanOf } from './spearman.js';

export { accuracy, accuracyOf } from './accuracy.js';
export { agreementWithin, agreementWithinOf } from './agreement-within.js';
export { balancedAccuracyOf } from './balanced-accuracy.js';
export { majorityBaselineOf, shareOf } from './base-rate.js';
export { classScoresOf, macroOf, type ClassScore } from './class-scores.js';
export { cohenKappa, kappaOf, type KappaWeights } from './cohen-kappa.js';
export { binaryCounts, binaryCountsOf, confusionMatrix, type BinaryCounts, type ConfusionMatrix } from './confusion-matrix.js';
export { f1 } from './f1.js';
export { fnRate } from './fn-rate.js';
export { fpRate } from './fp-rate.js';
export { gwetAc1Of } from './gwet-ac1.js';
export { iccOf, iccOfRatings, type IccForm } from './icc.js';
export { kendallTauBOf } from './kendall-tau-b.js';
export { maeOf, meanAbsoluteError, rmseOf } from './mean-absolute-error.js';
export { mccOf } from './mcc.js';
export { pairTable, type PairTable } from './pair-table.js';
export { pearsonOf } from './pearson.js';
export { precision } from './precision.js';
export { recall } from './recall.js';
export { averageRanks, spearman, spearmanOf } from './spearman.js';

type TableMetric = (t: PairTable) => MetricValue;

/** Judge-vs-human metrics per scale, each a function of the pair table. */
const TABLE_METRICS: Record<Scale['kind'], Record<string, TableMetric>> = {
  binary: {
    accuracy: accuracyOf,
    balanced_accuracy: balancedAccuracyOf,
    precision: (t) => precision(binaryCountsOf(t)),
    recall: (t) => recall(binaryCountsOf(t)),
    f1: (t) => f1(binaryCountsOf(t)),
    fp_rate: (t) => fpRate(binaryCountsOf(t)),
    fn_rate: (t) => fnRate(binaryCountsOf(t)),
    kappa: (t) => kappaOf(t),
    mcc: mccOf,
    ac1: gwetAc1Of,
    base_rate: (t) => shareOf(t, 0),
    baseline_accuracy: majorityBaselineOf,
  },
  ordinal: {
    exact_agreement: (t) => agreementWithinOf(t, 0),
    within_one: (t) => agreementWithinOf(t, 1),
    mae: maeOf,
    rmse: rmseOf,
    kappa: (t) => kappaOf(t),
    kappa_linear: (t) => kappaOf(t, 'linear'),
    kappa_quadratic: (t) => kappaOf(t, 'quadratic'),
    spearman: spearmanOf,
    kendall_tau_b: kendallTauBOf,
    pearson: pearsonOf,
    icc_2_1: (t) => iccOf(t, 'icc_2_1'),
    icc_3_1: (t) => iccOf(t, 'icc_3_1'),
    icc_2_k: (t) => iccOf(t, 'icc_2_k'),
  },
  categorical: {
    accuracy: accuracyOf,
    balanced_accuracy: balancedAccuracyOf,
    macro_precision: (t) => macroOf(t, 'precision'),
    macro_recall: (t) => macroOf(t, 'recall'),
    macro_f1: (t) => macroOf(t, 'f1'),
    kappa: (t) => kappaOf(t),
    mcc: mccOf,
    ac1: gwetAc1Of,
    baseline_accuracy: majorityBaselineOf,
  },
};

export function metricNamesFor(scale: Scale): string[] {
  return [...Object.keys(TABLE_METRICS[scale.kind]), 'unparseable_rate'];
}

/** All judge-vs-human metrics of a scale, from its table. */
export function tableMetrics(scale: Scale, t: PairTable): Record<string, MetricValue> {
  return Object.fromEntries(Object.entries(TABLE_METRICS[scale.kind]).map(([name, fn]) => [name, fn(t)]));
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

export function computeMetrics(input: MetricInput, labels: Label[]): { metrics: Record<string, MetricValue>; confusion: PairTable; classes: ClassScore[] } {
  const table = pairTable(input.human, input.judge, labels);
  const metrics = tableMetrics(input.scale, table);
  metrics.unparseable_rate = ratio(input.unparseable, input.answered, input.answered, 'the judge answered no item');
  return { metrics, confusion: table, classes: input.scale.kind === 'ordinal' ? [] : classScoresOf(table) };
}
