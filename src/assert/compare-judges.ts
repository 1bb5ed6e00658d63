// "Which judge?": the variants of one suite (`judges:` or `--judge-model`) side by side on the
// same items — each one's thresholded metrics, reliability and cost; the paired differences
// between every two (paired bootstrap on the items both answered); the cheapest judge that
// passes; and the Pareto front of agreement against cost.
import { costOf, DEFAULT_PRICES, priceOf, type Price } from '../cost/prices.js';
import { judgeMetricFunctions, LOWER_IS_BETTER } from '../metrics/index.js';
import { pairedDelta } from '../metrics/paired-delta.js';
import { scaleLabels } from '../scale/scale.js';
import { thousands } from '../text/numbers.js';
import type { ComparisonRow, JudgeComparison, JudgeDifference, Label, SuiteResult } from '../types.js';

/** The agreement metric a comparison is charted on: the first of these the suite gates on, else chance-corrected agreement. */
const AGREEMENT_ORDER = ['kappa', 'kappa_quadratic', 'kappa_linear', 'mcc', 'ac1', 'spearman', 'kendall_tau_b', 'pearson', 'icc_2_1', 'icc_3_1', 'balanced_accuracy', 'accuracy', 'exact_agreement', 'within_one', 'f1', 'macro_f1'];

/** Attach to every variant the comparison of its group; returns the comparisons, in run order. */
export function compareJudges(results: readonly SuiteResult[], prices: Record<string, Price> = DEFAULT_PRICES): JudgeComparison[] {
  const groups = new Map<string, SuiteResult[]>();
  for (const r of results) {
    const c = r.suite.comparison;
    if (!c) continue;
    groups.set(c.group, [...(groups.get(c.group) ?? []), r]);
  }
  const out: JudgeComparison[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const comparison = compareGroup(members, prices);
    for (const r of members) r.comparison = comparison;
    out.push(comparison);
  }
  return out;
}

function compareGroup(members: readonly SuiteResult[], prices: Record<string, Price>): JudgeComparison {
  const first = members[0]!.suite;
  const gated = [...new Set(members.flatMap((r) => r.thresholds.filter((t) => !t.slice && (t.op === '>=' || t.op === '<=')).map((t) => t.metric)))];
  const agreementMetric = AGREEMENT_ORDER.find((m) => gated.includes(m)) ?? (first.judge.scale.kind === 'ordinal' ? 'kappa_quadratic' : 'kappa');
  const shown = [...new Set([...gated, agreementMetric])];
  const rows = members.map((r) => rowOf(r, shown, prices));
  // A panel costs what its members cost, together.
  members.forEach((r, i) => {
    if (!r.suite.panel) return;
    const parts = r.suite.panel.members.map((m) => rows[members.findIndex((x) => x.suite === m)]).filter((x): x is ComparisonRow => x !== undefined);
    Object.assign(rows[i]!, {
      calls: parts.reduce((a, x) => a + x.calls, 0),
      inputTokens: parts.reduce((a, x) => a + x.inputTokens, 0),
      outputTokens: parts.reduce((a, x) => a + x.outputTokens, 0),
      usd: parts.some((x) => x.usd === null) ? null : parts.reduce((a, x) => a + x.usd!, 0),
    });
  });
  const differences = members.flatMap((a, i) => members.slice(i + 1).flatMap((b) => differencesOf(a, b, shown)));
  const passing = rows.filter((r) => r.status === 'passed').sort(byCost);
  const recommended = passing[0]?.variant ?? null;
  const recommendation = recommended
    ? `${recommended} is the cheapest judge that passes every threshold (${costText(passing[0]!)})`
    : rows.some((r) => r.status === 'skipped' || r.status === 'error')
      ? 'no judge passes every threshold among those that ran'
      : 'no judge passes every threshold';
  return { suite: first.comparison!.suite, file: first.file, rows, differences, agreementMetric, recommended, recommendation, front: paretoFront(rows, agreementMetric) };
}

function rowOf(r: SuiteResult, metrics: readonly string[], prices: Record<string, Price>): ComparisonRow {
  const j = r.suite.judge;
  const model = j.model ?? null;
  const used = r.items.map((it) => it.verdict.usage).filter((u): u is NonNullable<typeof u> => u !== undefined);
  const inputTokens = used.reduce((a, u) => a + u.inputTokens, 0);
  const outputTokens = used.reduce((a, u) => a + u.outputTokens, 0);
  const price = model ? priceOf(model, prices) : undefined;
  // Recorded verdicts say nothing of what they cost; a code judge costs nothing.
  const usd = j.provider === 'module' ? 0 : j.provider === 'recorded' || (used.length > 0 && !price) ? null : price ? costOf({ inputTokens, outputTokens }, price) : 0;
  const timed = used.filter((u) => typeof u.latencyMs === 'number' && Number.isFinite(u.latencyMs));
  const latency = timed.length > 0 ? (timed.reduce((a, u) => a + u.latencyMs!, 0) / timed.length) * 1000 : null;
  return {
    variant: r.suite.comparison!.variant,
    judge: j.id,
    model,
    // A panel member as it would fare alone (its own thresholds only report).
    status: r.suite.panelMember !== undefined && r.status === 'passed' && !r.thresholds.every((t) => t.status === 'passed') ? 'failed' : r.status,
    metrics: Object.fromEntries(metrics.map((m) => [m, { value: r.metrics[m]?.value ?? null, ci: r.metrics[m]?.ci ?? null }])),
    unparseableRate: r.metrics.unparseable_rate?.value ?? null,
    items: r.items.length,
    calls: used.length,
    inputTokens,
    outputTokens,
    usd,
    latencyPer1000Ms: latency,
  };
}

/** b − a for each metric on the items both judged (same human label), with the suite's paired bootstrap. */
function differencesOf(a: SuiteResult, b: SuiteResult, metrics: readonly string[]): JudgeDifference[] {
  const suite = a.suite;
  const fns = judgeMetricFunctions(suite.judge.scale);
  const labels = scaleLabels(suite.judge.scale);
  const byId = new Map(b.items.map((r) => [r.item.id, r]));
  const human: Label[] = [];
  const before: Label[] = [];
  const after: Label[] = [];
  for (const ra of a.items) {
    const rb = byId.get(ra.item.id);
    if (!rb || ra.human === null || ra.verdict.status !== 'ok' || rb.verdict.status !== 'ok' || !labels.includes(ra.human)) continue;
    human.push(ra.human);
    before.push(ra.verdict.label!);
    after.push(rb.verdict.label!);
  }
  const out: JudgeDifference[] = [];
  // individual_average has no single judge-vs-consensus table to resample.
  if (suite.aggregation === 'individual_average' || human.length === 0) return out;
  for (const metric of metrics) {
    const fn = fns[metric];
    if (!fn) continue;
    const d = pairedDelta(human, before, after, labels, fn, suite.bootstrap);
    if (!d) continue;
    out.push({ a: a.suite.comparison!.variant, b: b.suite.comparison!.variant, metric, delta: d.delta, ci: d.ci, beyondNoise: d.ci !== null && (d.ci[0] > 0 || d.ci[1] < 0), n: human.length });
  }
  return out;
}

/** Cheaper first: known dollars before unknown, then fewer tokens. */
function byCost(a: ComparisonRow, b: ComparisonRow): number {
  if (a.usd !== null && b.usd !== null && a.usd !== b.usd) return a.usd - b.usd;
  if ((a.usd === null) !== (b.usd === null)) return a.usd === null ? 1 : -1;
  return a.inputTokens + a.outputTokens - (b.inputTokens + b.outputTokens);
}

export function costText(r: ComparisonRow): string {
  const tokens = `${thousands(r.inputTokens + r.outputTokens)} tokens`;
  return r.usd === null ? `unpriced, ${tokens}` : `$${r.usd.toFixed(4)} for ${r.items} items, ${tokens}`;
}

/** Variants no other beats on both agreement (higher) and cost (lower), one better. Unpriced ones are compared by tokens when none is priced. */
function paretoFront(rows: readonly ComparisonRow[], metric: string): string[] {
  const priced = rows.every((r) => r.usd !== null);
  const cost = (r: ComparisonRow) => (priced ? r.usd! : r.inputTokens + r.outputTokens);
  const good = (r: ComparisonRow) => {
    const v = r.metrics[metric]?.value;
    if (v === null || v === undefined) return null;
    return LOWER_IS_BETTER.has(metric) ? -v : v;
  };
  const scored = rows.filter((r) => good(r) !== null);
  return scored
    .filter((r) => !scored.some((o) => o !== r && good(o)! >= good(r)! && cost(o) <= cost(r) && (good(o)! > good(r)! || cost(o) < cost(r))))
    .map((r) => r.variant);
}
