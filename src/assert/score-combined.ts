// The combined view of a multi-criteria suite: its criteria scored together (multilabel,
// over the binary criteria) and each alone then averaged (multitask), from the criterion
// views' results of the same run.
import { multilabelMetrics, multitaskMean, type LabelSets } from '../metrics/multilabel.js';
import type { MetricValue, ResolvedSuite, SuiteResult } from '../types.js';
import { skippedSuite } from './score-suite.js';
import { allowsPass, checkThresholds } from './thresholds.js';

export function scoreCombined(suite: ResolvedSuite, members: readonly (SuiteResult | undefined)[], durationMs: number): SuiteResult {
  const missing = members.findIndex((m) => !m || (m.status !== 'passed' && m.status !== 'failed'));
  if (missing >= 0) {
    const m = members[missing];
    return skippedSuite(suite, `criterion view "${suite.combined!.members[missing]!.name}" ${m ? `is ${m.status}${m.message ? `: ${m.message}` : ''}` : 'did not finish'}`);
  }
  const results = members as SuiteResult[];
  // Items judged and labeled on every binary criterion: a label set per side.
  const binary = results.filter((r) => r.suite.judge.scale.kind === 'binary');
  const byId = binary.map((r) => new Map(r.items.filter((i) => i.human !== null && i.verdict.status === 'ok').map((i) => [i.item.id, i])));
  const ids = binary.length ? [...byId[0]!.keys()].filter((id) => byId.every((m) => m.has(id))) : [];
  const sets: LabelSets[] = ids.map((id) => ({ human: byId.map((m) => m.get(id)!.human === 'pass'), judge: byId.map((m) => m.get(id)!.verdict.label === 'pass') }));
  const metrics: Record<string, MetricValue> = {
    ...multilabelMetrics(binary.length >= 2 ? sets : [], suite.bootstrap),
    multitask_accuracy: multitaskMean(results.map((r) => r.metrics.accuracy ?? r.metrics.exact_agreement), 'accuracy'),
    multitask_kappa: multitaskMean(results.map((r) => r.metrics.kappa), 'kappa'),
  };
  if (binary.length < 2) {
    for (const name of Object.keys(metrics).filter((m) => m.startsWith('multilabel_'))) metrics[name] = { value: null, n: 0, reason: 'multilabel metrics need at least two binary criteria' };
  }
  const thresholds = checkThresholds(suite.thresholds, metrics, suite.minItems);
  return {
    suite,
    items: [],
    metrics,
    confusion: { labels: [], counts: [] },
    classes: [],
    calibration: null,
    altTest: null,
    slices: {},
    thresholds,
    status: thresholds.every(allowsPass) ? 'passed' : 'failed',
    durationMs,
  };
}
