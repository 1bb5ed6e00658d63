// A suite's verdicts -> consensus, per-item outcomes, metrics, thresholds and status.
import { scaleLabels } from '../scale/scale.js';
import { altTest, altTestMetrics } from '../metrics/alt-test.js';
import { calibrationMetrics } from '../metrics/calibration.js';
import { binaryCountsOf } from '../metrics/confusion-matrix.js';
import { correctedPassRate } from '../metrics/corrected-pass-rate.js';
import { undefinedMetric } from '../metrics/metric-value.js';
import { consensus } from '../metrics/consensus.js';
import { panelMetrics, type PanelItem } from '../metrics/human-ceiling.js';
import { individualAverageMetrics } from '../metrics/individual-average.js';
import { computeMetrics, judgeMetricFunctions } from '../metrics/index.js';
import { meanWithInterval } from '../metrics/mean-interval.js';
import { lengthBias } from '../metrics/length-bias.js';
import { pairwiseMetrics } from '../metrics/pairwise.js';
import { customMetricValues } from './custom-metrics.js';
import { sequenceRatio } from '../metrics/text-similarity.js';
import type { Baseline, Flip, Item, ItemResult, Label, MetricValue, Outcome, ResolvedSuite, SuiteResult, ThresholdOutcome, Verdict } from '../types.js';
import { pairedDelta } from '../metrics/paired-delta.js';
import { allowsPass, checkThresholds, type BaselineComparison, type Compare, type DriftOf } from './thresholds.js';
import { rollingMean } from '../history/history.js';

/** The humans' label of an item: a consensus settled in a calibration session, else the suite's aggregation of the votes. */
export function humanLabel(suite: ResolvedSuite, item: Item): Label | null {
  // individual_average scores each annotator; the item still shows the majority label.
  return item.anchor?.consensus ?? consensus(Object.values(item.labels), suite.aggregation === 'individual_average' ? 'majority' : suite.aggregation);
}

export function itemResult(suite: ResolvedSuite, index: number, verdict: Verdict): ItemResult {
  const item = suite.items[index]!;
  const human = humanLabel(suite, item);
  const result: ItemResult = { item, human, verdict, outcome: outcomeOf(suite, human, verdict) };
  if (verdict.reason && item.notes) result.rationaleSimilarity = sequenceRatio(verdict.reason, item.notes);
  return result;
}

function outcomeOf(suite: ResolvedSuite, human: Label | null, v: Verdict): Outcome {
  if (v.status === 'error') return 'error';
  if (v.status === 'unparseable') return 'unparseable';
  if (human === null || v.status === 'no_consensus') return 'no_consensus';
  if (suite.judge.scale.kind !== 'binary') return v.label === human ? 'agree' : 'disagree';
  if (human === 'pass') return v.label === 'pass' ? 'TP' : 'FN';
  return v.label === 'pass' ? 'FP' : 'TN';
}

/** `semanticProblem`: why rationale embeddings are missing (no key, --offline, an error). */
export function scoreSuite(suite: ResolvedSuite, items: ItemResult[], durationMs: number, semanticProblem?: string): SuiteResult {
  const { metrics, confusion, classes, calibration, altTest } = measure(suite, items, semanticProblem);
  // The unlabeled outputs are the product's, not a slice's: only the suite gets this one.
  if (suite.judge.scale.kind === 'binary') {
    metrics.corrected_pass_rate = suite.unlabeled
      ? correctedPassRate(binaryCountsOf(confusion), suite.unlabeled, suite.bootstrap)
      : undefinedMetric(0, 'the suite names no unlabeled outputs (unlabeled: {verdicts: path} or {passed, total})');
  }
  const drift: DriftOf = (metric, window) => rollingMean(suite.history ?? [], metric, window);
  const compare = suite.recordingBaseline ? againstItself(metrics) : suite.baseline ? compareWithBaseline(suite, items, metrics) : undefined;
  const thresholds = checkThresholds(suite.thresholds, metrics, suite.minItems, compare, drift);
  // A panel member's thresholds say how it would fare alone; the panel is what gates.
  if (suite.panelMember !== undefined) for (const t of thresholds) if (t.status !== 'passed') Object.assign(t, { advisory: true, reason: `${t.reason ? `${t.reason}; ` : ''}reported, not gating: a member of panel "${suite.panelMember}"` });
  // Each slice: the same metrics on the items with that tag, against its own thresholds.
  const slices: SuiteResult['slices'] = {};
  for (const [tag, specs] of Object.entries(suite.slices)) {
    const sliceMetrics = measure(suite, items.filter((r) => r.item.tags?.includes(tag)), semanticProblem).metrics;
    slices[tag] = { metrics: sliceMetrics };
    thresholds.push(...checkThresholds(specs, sliceMetrics, suite.minItems).map((t) => ({ ...t, slice: tag })));
  }
  const flips = suite.baseline && !suite.recordingBaseline ? flipsSince(suite.baseline, items) : undefined;
  if (flips) explainDrops(thresholds, flips);
  const errors = items.filter((r) => r.verdict.status === 'error');
  const result: SuiteResult = {
    suite,
    items,
    metrics,
    confusion: { labels: confusion.labels, counts: confusion.counts },
    classes,
    calibration,
    altTest,
    slices,
    thresholds,
    status: errors.length > 0 ? 'error' : thresholds.every(allowsPass) ? 'passed' : 'failed',
    durationMs,
  };
  if (flips) result.flips = flips;
  if (errors.length > 0) result.message = `${errors.length} item(s) could not be judged: ${errors[0]!.verdict.error}`;
  return result;
}

/** The items whose verdict changed since the baseline, now-wrong first, each with both reasons. */
export function flipsSince(baseline: Baseline, items: readonly ItemResult[]): Flip[] {
  const order = { now_wrong: 0, now_right: 1, changed: 2 } as const;
  const flips: Flip[] = [];
  for (const r of items) {
    const before = baseline.verdicts[r.item.id];
    if (before === undefined || r.verdict.status !== 'ok' || r.human === null || String(before) === String(r.verdict.label)) continue;
    const after = r.verdict.label!;
    const kind = String(before) === String(r.human) ? 'now_wrong' : String(after) === String(r.human) ? 'now_right' : 'changed';
    const flip: Flip = { id: r.item.id, human: r.human, before, after, kind };
    const was = baseline.reasons?.[r.item.id];
    if (was) flip.reasonBefore = was;
    if (r.verdict.reason) flip.reasonAfter = r.verdict.reason;
    flips.push(flip);
  }
  return flips.sort((a, b) => order[a.kind] - order[b.kind]);
}

/** A max_drop failure names the items behind it. */
function explainDrops(thresholds: ThresholdOutcome[], flips: readonly Flip[]): void {
  const count = (k: Flip['kind']) => flips.filter((f) => f.kind === k).length;
  for (const t of thresholds) {
    if (t.op === 'max_drop' && t.status === 'failed' && t.baseline !== undefined && t.reason) {
      t.reason += `: since the baseline ${count('now_wrong')} item(s) became wrong, ${count('now_right')} right`;
    }
  }
}

/** `--update`: the baseline being recorded is this run's, so no metric has changed. */
function againstItself(metrics: Record<string, MetricValue>): Compare {
  return (name) => {
    const value = metrics[name]?.value;
    return value === null || value === undefined ? undefined : { baseline: value, delta: 0, deltaCi: null };
  };
}

/**
 * The change of each metric since the baseline; for judge-vs-human metrics also a paired
 * bootstrap interval over the items judged in both runs (under majority, mean or median
 * consensus; individual_average has no single "before" table).
 */
function compareWithBaseline(suite: ResolvedSuite, items: readonly ItemResult[], metrics: Record<string, MetricValue>): Compare {
  const baseline = suite.baseline!;
  const fns = judgeMetricFunctions(suite.judge.scale);
  const labels = scaleLabels(suite.judge.scale);
  const paired = items.filter((r) => r.verdict.status === 'ok' && r.human !== null && baseline.verdicts[r.item.id] !== undefined && labels.includes(r.human));
  const cache = new Map<string, BaselineComparison | undefined>();
  return (name) => {
    if (cache.has(name)) return cache.get(name);
    const before = baseline.metrics[name];
    const now = metrics[name]?.value;
    let c: BaselineComparison | undefined;
    if (before !== undefined && now !== null && now !== undefined) {
      const fn = fns[name];
      const d = fn && suite.aggregation !== 'individual_average' && paired.length > 0
        ? pairedDelta(paired.map((r) => r.human!), paired.map((r) => baseline.verdicts[r.item.id]!), paired.map((r) => r.verdict.label!), labels, fn, suite.bootstrap)
        : null;
      c = { baseline: before, delta: now - before, deltaCi: d?.ci ?? null };
    }
    cache.set(name, c);
    return c;
  };
}

/** Every metric of a set of item results, per the suite's scale, aggregation and options. */
function measure(suite: ResolvedSuite, items: readonly ItemResult[], semanticProblem?: string) {
  const scored = items.filter((r) => r.verdict.status === 'ok' && r.human !== null);
  const answered = items.filter((r) => r.verdict.status !== 'error');
  const labels = scaleLabels(suite.judge.scale);
  const { metrics, confusion, classes } = computeMetrics(
    {
      scale: suite.judge.scale,
      human: scored.map((r) => r.human!),
      judge: scored.map((r) => r.verdict.label!),
      answered: answered.length,
      unparseable: answered.filter((r) => r.verdict.status === 'unparseable').length,
      aggregation: suite.aggregation,
    },
    labels,
    // individual_average replaces these judge-vs-consensus metrics: skip their resampling.
    suite.aggregation === 'individual_average' ? { ...suite.bootstrap, resamples: 0 } : suite.bootstrap,
  );
  const panel: PanelItem[] = items.map((r) => ({ labels: r.item.labels, judge: r.verdict.status === 'ok' ? r.verdict.label : null }));
  if (suite.aggregation === 'individual_average') {
    Object.assign(metrics, individualAverageMetrics(panel, labels, judgeMetricFunctions(suite.judge.scale), suite.bootstrap));
  }
  Object.assign(metrics, panelMetrics(suite.judge.scale, panel, labels, suite.bootstrap));
  const confident = items.filter((r) => r.verdict.status === 'ok' && r.human !== null && r.verdict.confidence !== undefined);
  const calibration = calibrationMetrics(confident.map((r) => ({ confidence: r.verdict.confidence!, correct: r.verdict.label === r.human })), suite.calibration, suite.bootstrap);
  Object.assign(metrics, calibration.metrics);
  metrics.rationale_similarity = meanWithInterval(
    items.flatMap((r) => (r.rationaleSimilarity === undefined ? [] : [r.rationaleSimilarity])),
    suite.bootstrap,
    'no item has both a judge reason and a human note',
  );
  metrics.rationale_semantic_similarity = meanWithInterval(
    items.flatMap((r) => (r.rationaleSemanticSimilarity === undefined ? [] : [r.rationaleSemanticSimilarity])),
    suite.bootstrap,
    !suite.rationaleEmbedding ? 'the suite names no rationale_embedding model' : (semanticProblem ?? 'no item has both a judge reason and a human note'),
  );
  metrics.self_consistency = meanWithInterval(
    items.flatMap((r) => (r.verdict.flipRate === undefined ? [] : [1 - r.verdict.flipRate])),
    suite.bootstrap,
    'the judge is not sampled more than once per item (samples: k)',
  );
  Object.assign(metrics, lengthMetrics(suite, scored));
  Object.assign(metrics, customMetricValues(suite, items, suite.bootstrap));
  if (suite.judge.scale.kind === 'categorical' && suite.judge.scale.pairwise) {
    Object.assign(metrics, pairwiseMetrics(scored.map((r) => ({ human: r.human!, judge: r.verdict.label!, ...(r.verdict.orders ? { orders: r.verdict.orders } : {}) })), suite.bootstrap.confidence));
  }
  const alt = altTest(panel, suite.altTest);
  Object.assign(metrics, altTestMetrics(panel, alt));
  return { metrics, confusion, classes, calibration: calibration.report, altTest: 'insufficient' in alt ? null : { annotators: alt.annotators } };
}

/** judge_length_correlation, human_length_correlation and length_bias over the scored items with a text output. */
function lengthMetrics(suite: ResolvedSuite, scored: readonly ItemResult[]): Record<string, MetricValue> {
  const names = ['judge_length_correlation', 'human_length_correlation', 'length_bias'];
  const scale = suite.judge.scale;
  if (scale.kind === 'categorical' && scale.pairwise) {
    // Pairwise: the preference (A 1, tie ½, B 0) against the length of A minus the length of B.
    const pref = (l: Label) => (l === 'A' ? 1 : l === 'B' ? 0 : 0.5);
    const withPair = scored.filter((r) => typeof r.item.fields.output_a === 'string' && typeof r.item.fields.output_b === 'string');
    const m = lengthBias(withPair.map((r) => pref(r.human!)), withPair.map((r) => pref(r.verdict.label!)), withPair.map((r) => (r.item.fields.output_a as string).length - (r.item.fields.output_b as string).length), suite.bootstrap);
    return { judge_length_correlation: m.judge, human_length_correlation: m.human, length_bias: m.bias };
  }
  if (scale.kind === 'categorical') return Object.fromEntries(names.map((n) => [n, undefinedMetric(scored.length, 'categorical labels have no order to correlate with length')]));
  const score = (l: Label) => (scale.kind === 'binary' ? (l === 'pass' ? 1 : 0) : Number(l));
  const withText = scored.filter((r) => typeof r.item.fields.output === 'string');
  const m = lengthBias(withText.map((r) => score(r.human!)), withText.map((r) => score(r.verdict.label!)), withText.map((r) => (r.item.fields.output as string).length), suite.bootstrap);
  return { judge_length_correlation: m.judge, human_length_correlation: m.human, length_bias: m.bias };
}

export function skippedSuite(suite: ResolvedSuite, message: string): SuiteResult {
  return { suite, items: [], metrics: {}, confusion: { labels: [], counts: [] }, classes: [], calibration: null, altTest: null, slices: {}, thresholds: [], status: 'skipped', message, durationMs: 0 };
}
