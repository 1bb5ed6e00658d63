// The metric registry: which metrics each scale has, and computing them from a pair table.
// A new judge-vs-human metric is its own file and a row of METRICS (README's metric table documents it).
import type { Label, MetricValue, Scale } from '../types.js';
import { accuracyOf } from './accuracy.js';
import { agreementWithinOf } from './agreement-within.js';
import { balancedAccuracyOf } from './balanced-accuracy.js';
import { majorityBaselineOf, shareOf } from './base-rate.js';
import { classScoresOf, macroOf, type ClassScore } from './class-scores.js';
import { kappaOf } from './cohen-kappa.js';
import { binaryCountsOf } from './confusion-matrix.js';
import { bootstrapTableIntervals, DEFAULT_BOOTSTRAP, type BootstrapOptions } from './bootstrap.js';
import { wilsonInterval } from './wilson.js';
import { f1 } from './f1.js';
import { fnRate } from './fn-rate.js';
import { fpRate } from './fp-rate.js';
import { gwetAc1Of } from './gwet-ac1.js';
import { iccOf } from './icc.js';
import { kendallTauBOf } from './kendall-tau-b.js';
import { maeOf, rmseOf } from './mean-absolute-error.js';
import { mccOf } from './mcc.js';
import { ratio, undefinedMetric } from './metric-value.js';
import { panelMetricNames } from './human-ceiling.js';
import { PAIRWISE_METRICS } from './pairwise.js';
import { pairTable, rowSums, sumCells, type PairTable } from './pair-table.js';
import { pearsonOf } from './pearson.js';
import { precision } from './precision.js';
import { recall } from './recall.js';
import { spearmanOf } from './spearman.js';

type TableMetric = (t: PairTable) => MetricValue;

/**
 * A judge-vs-human metric: its value from the pair table, and, for a metric that is a plain
 * proportion k/n, how to get k and n (its interval is then Wilson's, not the bootstrap's).
 */
interface MetricDef {
  value: TableMetric;
  proportion?: (t: PairTable) => [number, number];
}

const agreements = (t: PairTable) => t.counts.reduce((a, row, i) => a + row[i]!, 0);
const bc = binaryCountsOf;

/** Judge-vs-human metrics per scale, each a function of the pair table. */
const METRICS: Record<Scale['kind'], Record<string, MetricDef>> = {
  binary: {
    accuracy: { value: accuracyOf, proportion: (t) => [agreements(t), t.n] },
    balanced_accuracy: { value: balancedAccuracyOf },
    precision: { value: (t) => precision(bc(t)), proportion: (t) => [bc(t).tp, bc(t).tp + bc(t).fp] },
    recall: { value: (t) => recall(bc(t)), proportion: (t) => [bc(t).tp, bc(t).tp + bc(t).fn] },
    f1: { value: (t) => f1(bc(t)) },
    fp_rate: { value: (t) => fpRate(bc(t)), proportion: (t) => [bc(t).fp, bc(t).fp + bc(t).tn] },
    fn_rate: { value: (t) => fnRate(bc(t)), proportion: (t) => [bc(t).fn, bc(t).fn + bc(t).tp] },
    kappa: { value: (t) => kappaOf(t) },
    mcc: { value: mccOf },
    ac1: { value: gwetAc1Of },
    base_rate: { value: (t) => shareOf(t, 0), proportion: (t) => [rowSums(t)[0]!, t.n] },
    baseline_accuracy: { value: majorityBaselineOf, proportion: (t) => [Math.max(...rowSums(t)), t.n] },
  },
  ordinal: {
    exact_agreement: { value: (t) => agreementWithinOf(t, 0), proportion: (t) => [agreements(t), t.n] },
    within_one: { value: (t) => agreementWithinOf(t, 1), proportion: (t) => [sumCells(t, (x, y) => (Math.abs(x - y) <= 1 ? 1 : 0)), t.n] },
    mae: { value: maeOf },
    rmse: { value: rmseOf },
    kappa: { value: (t) => kappaOf(t) },
    kappa_linear: { value: (t) => kappaOf(t, 'linear') },
    kappa_quadratic: { value: (t) => kappaOf(t, 'quadratic') },
    spearman: { value: spearmanOf },
    kendall_tau_b: { value: kendallTauBOf },
    pearson: { value: pearsonOf },
    icc_2_1: { value: (t) => iccOf(t, 'icc_2_1') },
    icc_3_1: { value: (t) => iccOf(t, 'icc_3_1') },
    icc_2_k: { value: (t) => iccOf(t, 'icc_2_k') },
  },
  categorical: {
    accuracy: { value: accuracyOf, proportion: (t) => [agreements(t), t.n] },
    balanced_accuracy: { value: balancedAccuracyOf },
    macro_precision: { value: (t) => macroOf(t, 'precision') },
    macro_recall: { value: (t) => macroOf(t, 'recall') },
    macro_f1: { value: (t) => macroOf(t, 'f1') },
    kappa: { value: (t) => kappaOf(t) },
    mcc: { value: mccOf },
    ac1: { value: gwetAc1Of },
    baseline_accuracy: { value: majorityBaselineOf, proportion: (t) => [Math.max(...rowSums(t)), t.n] },
  },
};

export function metricNamesFor(scale: Scale): string[] {
  return [...Object.keys(METRICS[scale.kind]), ...(scale.kind === 'categorical' && scale.pairwise ? PAIRWISE_METRICS : []), 'unparseable_rate', ...(scale.kind === 'binary' ? ['corrected_pass_rate'] : []), ...panelMetricNames(scale), 'ece', 'mce', 'brier', 'judge_length_correlation', 'human_length_correlation', 'length_bias', 'rationale_similarity', 'rationale_semantic_similarity', 'self_consistency', 'alt_test_winning_rate', 'alt_test_advantage_probability', 'alt_test_passed'];
}

/** Metrics of a multi-criteria suite's combined view (`<suite> › all criteria`). */
export const COMBINED_METRICS = ['multilabel_exact_match', 'multilabel_jaccard', 'multilabel_hamming_loss', 'multilabel_micro_f1', 'multilabel_macro_f1', 'multitask_accuracy', 'multitask_kappa'];

/** Metrics where lower is better: a baseline comparison turns their rise into a drop. */
export const LOWER_IS_BETTER = new Set(['fp_rate', 'fn_rate', 'mae', 'rmse', 'unparseable_rate', 'ece', 'mce', 'brier', 'multilabel_hamming_loss', 'length_bias']);

/** How much a change of a metric (after − before) makes it worse: positive is worse, for either direction. */
export function worsening(metric: string, change: number): number {
  return LOWER_IS_BETTER.has(metric) ? change : -change;
}

/** The judge-vs-human metric functions of a scale, by name. */
export function judgeMetricFunctions(scale: Scale): Record<string, (t: PairTable) => MetricValue> {
  return Object.fromEntries(Object.entries(METRICS[scale.kind]).map(([name, def]) => [name, def.value]));
}

/** Metrics that compare categories by position on the scale: meaningless for a mean or median consensus. */
const NEEDS_SCALE_POINTS = ['kappa', 'kappa_linear', 'kappa_quadratic'];

/** All judge-vs-human metrics of a scale, from its table. */
export function tableMetrics(scale: Scale, t: PairTable): Record<string, MetricValue> {
  return Object.fromEntries(Object.entries(METRICS[scale.kind]).map(([name, def]) => [name, def.value(t)]));
}

/** Wilson intervals for proportions, seeded percentile bootstrap for the rest (resamples: 0 turns it off). */
function addIntervals(scale: Scale, t: PairTable, metrics: Record<string, MetricValue>, opts: BootstrapOptions): void {
  const defs = Object.entries(METRICS[scale.kind]).filter(([name]) => metrics[name]!.value !== null);
  const resampled: Record<string, TableMetric> = {};
  for (const [name, def] of defs) {
    if (def.proportion) metrics[name]!.ci = wilsonInterval(...def.proportion(t), opts.confidence);
    else resampled[name] = def.value;
  }
  if (opts.resamples === 0 || Object.keys(resampled).length === 0) return;
  for (const [name, ci] of Object.entries(bootstrapTableIntervals(t, resampled, opts))) metrics[name]!.ci = ci;
}

export interface MetricInput {
  scale: Scale;
  /** The judge-vs-human pairs: items with a human consensus and a parsed verdict. */
  human: Label[];
  judge: Label[];
  /** Items the judge answered (parsed or not), and how many of those were unparseable. */
  answered: number;
  unparseable: number;
  /** How the humans' labels were combined: a mean or median consensus is a number, not a category. */
  aggregation?: 'majority' | 'mean' | 'median' | 'individual_average';
}

export function computeMetrics(
  input: MetricInput,
  labels: Label[],
  bootstrap: BootstrapOptions = DEFAULT_BOOTSTRAP,
): { metrics: Record<string, MetricValue>; confusion: PairTable; classes: ClassScore[] } {
  // A mean or median consensus can fall between scale points: those values join the table.
  const offScale = input.human.some((h) => !labels.includes(h));
  const tableLabels = offScale ? [...new Set([...labels, ...input.human])].sort((a, b) => Number(a) - Number(b)) : labels;
  const table = pairTable(input.human, input.judge, tableLabels);
  const metrics = tableMetrics(input.scale, table);
  // Kappa compares categories: under a mean or median consensus it is undefined on every data
  // set alike, not only on those where some mean falls between scale points.
  if (offScale || input.aggregation === 'mean' || input.aggregation === 'median') {
    for (const name of NEEDS_SCALE_POINTS) {
      if (metrics[name]) metrics[name] = undefinedMetric(table.n, 'kappa compares categories: a mean or median consensus is not one; use majority or individual_average aggregation for kappa');
    }
  }
  metrics.unparseable_rate = ratio(input.unparseable, input.answered, input.answered, 'the judge answered no item');
  addIntervals(input.scale, table, metrics, bootstrap);
  if (metrics.unparseable_rate.value !== null) metrics.unparseable_rate.ci = wilsonInterval(input.unparseable, input.answered, bootstrap.confidence);
  return { metrics, confusion: table, classes: input.scale.kind === 'ordinal' ? [] : classScoresOf(table) };
}
