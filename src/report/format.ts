// Text helpers shared by the reporters: numbers, thresholds, misaligned items.
import { thousands } from '../text/numbers.js';
import { LOWER_IS_BETTER } from '../metrics/index.js';
import type { Flip, ItemResult, JudgeComparison, JudgeDifference, Label, MetricValue, OptimizationReport, ResolvedSuite, RunStats, Spend, SuiteResult, ThresholdOutcome } from '../types.js';

export function formatNumber(v: number | null): string {
  return v === null ? 'undefined' : v.toFixed(3);
}

function usd(s: Spend): string {
  return s.usd === null ? 'unpriced' : `$${s.usd.toFixed(4)}`;
}


/** "$0.0123 (12,345 in + 678 out tokens); the cache saved $0.0456", or '' with no model tokens. */
export function costLine(stats: RunStats): string {
  const { spent, saved } = stats;
  if (!spent || !saved || spent.inputTokens + spent.outputTokens + saved.inputTokens + saved.outputTokens === 0) return '';
  const promptCache = spent.cachedInputTokens ? `, ${thousands(spent.cachedInputTokens)} of them from the provider's prompt cache` : '';
  const tokens = `${thousands(spent.inputTokens)} in + ${thousands(spent.outputTokens)} out tokens${promptCache}`;
  const cache = saved.inputTokens + saved.outputTokens > 0 ? `; the cache saved ${usd(saved)}` : '';
  return `${usd(spent)} (${tokens})${cache}`;
}

/** What an --optimize search cost, the optimizer's and the judge's calls apart: "6 optimizer calls, $0.0012 (4,210 in + 620 out tokens); 150 judge calls, …". */
export function searchCostText(o: OptimizationReport): string {
  const part = (calls: number, cached: number, who: string, s: Spend) =>
    `${plural(calls, `${who} call`)}${cached ? ` (+${thousands(cached)} cached)` : ''}, ${usd(s)} (${thousands(s.inputTokens)} in + ${thousands(s.outputTokens)} out tokens)`;
  return `${part(o.calls.optimizer, o.calls.optimizerCached, 'optimizer', o.spent.optimizer)}; ${part(o.calls.judge, o.calls.judgeCached, 'judge', o.spent.judge)}`;
}

/** "candidate 2.1 accepted, judge file rewritten" / "… accepted (dry run: judge file unchanged)" / "no candidate accepted". */
export function optimizeOutcome(o: OptimizationReport): string {
  const accepted = o.rounds.flatMap((r) => r.candidates).filter((c) => c.decision === 'accepted').at(-1);
  if (!accepted) return `no candidate accepted (${o.stop})`;
  return `candidate ${accepted.round}.${accepted.index} accepted, ${o.written ? 'judge file rewritten' : 'dry run: judge file unchanged'}`;
}

export function formatInterval(ci: [number, number] | null | undefined): string {
  return ci ? ` [${formatNumber(ci[0])}, ${formatNumber(ci[1])}]` : '';
}

export function formatMetric(name: string, m: MetricValue): string {
  return `${name} ${formatNumber(m.value)}${formatInterval(m.ci)}`;
}

/** Metrics about the human panel (the ceiling), as opposed to the judge against the humans. */
export function isPanelMetric(name: string): boolean {
  return name.startsWith('human_') || name.endsWith('_with_judge') || name === 'judge_agreement' || name === 'judge_to_human_ratio';
}

export function partition<T>(xs: readonly T[], test: (x: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const x of xs) (test(x) ? yes : no).push(x);
  return [yes, no];
}

/** "human ceiling: human_agreement 0.71 [..] · judge_agreement 0.62 [..] · judge_to_human_ratio 0.87 [..]", or '' without one. */
export function ceilingLine(r: SuiteResult): string {
  const names = ['human_agreement', 'judge_agreement', 'judge_to_human_ratio'];
  const shown = names.filter((n) => r.metrics[n]?.value !== null && r.metrics[n] !== undefined);
  return shown.length ? `human ceiling: ${shown.map((n) => formatMetric(n, r.metrics[n]!)).join(' · ')}` : '';
}

export function formatThreshold(t: ThresholdOutcome): string {
  const name = thresholdName(t);
  if (t.op === 'drift') {
    if (t.baseline === undefined) return `${name} drift max_drop ${t.target}: ${t.reason ?? 'no history'}`;
    return `${name} ${formatNumber(t.estimate)} vs ${formatNumber(t.baseline)}, the mean of ${t.window === 1 ? 'the last run' : `the last ${t.window} runs`}: ${signedNumber(t.delta!)} (drift max_drop ${t.target}, n=${t.n})`;
  }
  if (t.op === 'max_drop') {
    if (t.baseline === undefined) return `${name} max_drop ${t.target}: ${t.reason ?? 'no baseline'}`;
    return `${name} ${formatDelta(t)} (max_drop ${t.target}, n=${t.n})`;
  }
  const target = `${t.on === 'estimate' ? '' : `${t.on} `}${t.op} ${t.target}`;
  // Insufficient evidence still shows what was measured, and the reason says n against min_items.
  if (t.actual === null && t.estimate !== null) return `${name} ${formatNumber(t.estimate)}${formatInterval(t.ci)} (target ${target}, n=${t.n}): ${t.reason ?? 'undefined'}`;
  if (t.actual === null) return `${name} ${target}: ${t.reason ?? 'undefined'}`;
  const change = t.baseline === undefined ? '' : `; ${formatDelta(t)}`;
  return `${name} ${formatNumber(t.estimate)}${formatInterval(t.ci)} (target ${target}, n=${t.n}${change})`;
}

/** One threshold in a passing suite's line: "kappa 0.663 ≥ 0.6", "spearman ci_low 0.471 ≥ 0.4", "kappa −0.010 (max_drop 0.05)". */
export function compactThreshold(t: ThresholdOutcome): string {
  const name = thresholdName(t);
  if (t.op === 'drift' || t.op === 'max_drop') return t.delta === undefined ? `${name} ${t.op === 'drift' ? 'drift' : 'max_drop'} (${t.baseline === undefined ? 'nothing to compare with yet' : 'n/a'})` : `${name} ${signedNumber(t.delta)} (${t.op === 'drift' ? 'drift ' : ''}max_drop ${t.target})`;
  const value = t.actual ?? t.estimate;
  return `${name}${t.on === 'estimate' ? '' : ` ${t.on}`} ${formatNumber(value)} ${t.op === '>=' ? '≥' : '≤'} ${t.target}`;
}

/** "decided after 640 of 2,000 items (look 2 of 5): 1,360 not judged; metrics over the judged items", or ''. */
export function earlyStopText(suite: ResolvedSuite): string {
  const o = suite.earlyStop?.outcome;
  if (!o) return '';
  return `decided after ${thousands(o.judged)} of ${thousands(o.of)} items (look ${o.look} of ${suite.earlyStop!.looks}): ${thousands(o.of - o.judged)} not judged; metrics over the judged items`;
}

/** "12ms", "1.4s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

/** "0.720 → 0.650, −0.070 [−0.110, −0.030], beyond noise": the change since the baseline. */
/** "+0.012" / "−0.400" (a true minus sign). */
export function signedNumber(v: number): string {
  return `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(3)}`;
}

export function formatDelta(t: ThresholdOutcome): string {
  if (t.baseline === undefined || t.delta === undefined) return '';
  const ci = t.deltaCi ? ` [${signedNumber(t.deltaCi[0])}, ${signedNumber(t.deltaCi[1])}], ${t.deltaCi[0] > 0 || t.deltaCi[1] < 0 ? 'beyond noise' : 'within noise'}` : '';
  return `${formatNumber(t.baseline)} → ${formatNumber(t.estimate)}, ${signedNumber(t.delta)}${ci}`;
}

/** "fp_rate", or "[safety] fp_rate" for a slice's threshold. */
export function thresholdName(t: ThresholdOutcome): string {
  return t.slice === undefined ? t.metric : `[${t.slice}] ${t.metric}`;
}

/** Items that count against the judge, worst kinds first: FP, FN, disagreements, unparseable. */
/** Below this cosine a judge that agrees with the humans is taken to agree for another reason. */
export const DIFFERENT_REASON_BELOW = 0.5;

/** Items the judge got right whose reason is far from the human note (rationale_embedding), least similar first. */
export function rightForAnotherReason(result: SuiteResult): ItemResult[] {
  return result.items
    .filter((r) => (r.outcome === 'TP' || r.outcome === 'TN' || r.outcome === 'agree') && r.rationaleSemanticSimilarity !== undefined && r.rationaleSemanticSimilarity < DIFFERENT_REASON_BELOW)
    .sort((a, b) => a.rationaleSemanticSimilarity! - b.rationaleSemanticSimilarity!);
}

export function misaligned(result: SuiteResult): { title: string; items: ItemResult[] }[] {
  const by = (o: string) => result.items.filter((r) => r.outcome === o);
  const groups = [
    { title: 'False positives (judge passed, humans failed)', items: by('FP') },
    { title: 'False negatives (judge failed, humans passed)', items: by('FN') },
    { title: 'Disagreements', items: byDistance(result, by('disagree')) },
    { title: 'Unparseable answers', items: by('unparseable') },
    { title: 'Errors', items: by('error') },
    { title: 'No human consensus (annotators tie; not scored)', items: by('no_consensus').filter((r) => r.human === null) },
    { title: "The judge's samples tie (not scored; set tie: pass | fail on the judge to break them)", items: by('no_consensus').filter((r) => r.human !== null) },
  ];
  return groups.filter((g) => g.items.length > 0);
}

/** Ordinal disagreements, largest distance first. */
function byDistance(result: SuiteResult, items: ItemResult[]): ItemResult[] {
  if (result.suite.judge.scale.kind !== 'ordinal') return items;
  return [...items].sort((a, b) => Math.abs(Number(b.human) - Number(b.verdict.label)) - Math.abs(Number(a.human) - Number(a.verdict.label)));
}

export function labelText(l: Label | null): string {
  if (l === null) return '—';
  // A mean or median consensus can be fractional: keep it short.
  return typeof l === 'number' && !Number.isInteger(l) ? String(Number(l.toFixed(2))) : String(l);
}

export function humanLabelsText(r: ItemResult): string {
  const entries = Object.entries(r.item.labels);
  if (entries.length === 1) return labelText(r.human);
  return `${labelText(r.human)} (${entries.map(([a, l]) => `${a}: ${l}`).join(', ')})`;
}

/** One line for an item in a failure listing. */
export function itemLine(r: ItemResult, max = 160): string {
  const judged = r.verdict.status === 'ok' ? labelText(r.verdict.label) : r.verdict.status;
  const parts = [`${r.item.id}: human ${humanLabelsText(r)}, judge ${judged}`];
  if (r.verdict.reason) parts.push(`judge: "${clip(r.verdict.reason, max)}"`);
  if (r.verdict.error) parts.push(`problem: ${clip(r.verdict.error, max)}`);
  if (r.verdict.status === 'unparseable' && r.verdict.raw) parts.push(`answer: "${clip(r.verdict.raw, max)}"`);
  if (r.item.notes) parts.push(`notes: "${clip(r.item.notes, max)}"`);
  if (r.rationaleSemanticSimilarity !== undefined) parts.push(`semantic similarity ${r.rationaleSemanticSimilarity.toFixed(2)}`);
  if (r.item.anchor?.rationale) parts.push(`rationale: "${clip(r.item.anchor.rationale, max)}"`);
  if (r.item.anchor?.edgeCase) parts.push(`edge case: "${clip(r.item.anchor.edgeCase, max)}"`);
  return parts.join(' — ');
}

/** The comparisons of a run's results, each once (every variant carries its group's). */
export function comparisonsOf(results: readonly SuiteResult[]): JudgeComparison[] {
  return [...new Set(results.map((r) => r.comparison).filter((c): c is JudgeComparison => c !== undefined))];
}

/** A comparison as rows of cells: the header, then one row per judge. */
export function comparisonTable(c: JudgeComparison): string[][] {
  const metrics = Object.keys(c.rows[0]?.metrics ?? {});
  const head = ['judge', 'status', ...metrics, 'unparseable', 'calls', 'tokens', 'cost', 'latency / 1k items'];
  const rows = c.rows.map((r) => [
    r.variant,
    r.status,
    ...metrics.map((m) => `${formatNumber(r.metrics[m]!.value)}${formatInterval(r.metrics[m]!.ci)}`),
    r.unparseableRate === null ? '—' : r.unparseableRate.toFixed(3),
    thousands(r.calls),
    thousands(r.inputTokens + r.outputTokens),
    r.usd === null ? 'unpriced' : `$${r.usd.toFixed(4)}`,
    r.latencyPer1000Ms === null ? '—' : `${(r.latencyPer1000Ms / 1000).toFixed(1)} s`,
  ]);
  return [head, ...rows];
}

/** "gpt-4o − gpt-4o-mini: kappa +0.080 [+0.030, +0.130], better beyond noise" or "…, no difference beyond noise". */
export function differenceLine(d: JudgeDifference): string {
  const ci = d.ci ? ` [${signedNumber(d.ci[0])}, ${signedNumber(d.ci[1])}]` : '';
  const better = LOWER_IS_BETTER.has(d.metric) ? d.delta < 0 : d.delta > 0;
  const verdict = d.beyondNoise ? `${better ? d.b : d.a} is better beyond noise` : 'no difference beyond noise';
  return `${d.b} − ${d.a}: ${d.metric} ${signedNumber(d.delta)}${ci} on ${d.n} items, ${verdict}`;
}

/** "q01: human fail; was pass, now fail — now: "…" — was: "…"". */
export function flipLine(f: Flip, max = 160): string {
  const parts = [`${f.id}: human ${labelText(f.human)}; was ${labelText(f.before)}, now ${labelText(f.after)}`];
  if (f.reasonAfter) parts.push(`now: "${clip(f.reasonAfter, max)}"`);
  if (f.reasonBefore) parts.push(`was: "${clip(f.reasonBefore, max)}"`);
  return parts.join(' — ');
}

/** "12 flipped since the baseline: 10 now wrong, 2 now right". */
export function flipsSummary(flips: readonly Flip[]): string {
  const count = (k: Flip['kind']) => flips.filter((f) => f.kind === k).length;
  const changed = count('changed');
  return `${flips.length} flipped since the baseline: ${count('now_wrong')} now wrong, ${count('now_right')} now right${changed ? `, ${changed} wrong differently` : ''}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function clip(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? one.slice(0, max - 1) + '…' : one;
}

/** Strip ANSI escapes and characters XML 1.0 cannot carry. */
export function plainText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '').replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g, '');
}

/** Items nobody has labeled yet, and how to label them; null when every item is labeled. */
export function unlabeledLine(suite: ResolvedSuite, file: string): string | null {
  const n = suite.unlabeledItems;
  if (!n) return null;
  return `${n} of ${n + suite.items.length} items unlabeled — label them with judge-test annotate ${file} --annotator <name>`;
}
