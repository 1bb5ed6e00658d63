// The `html` reporter: one self-contained file (no network at view time; a content-security
// policy forbids it). An overview first — every suite, failed first, its thresholds as bullet
// charts, status chips and a search — then per suite its thresholds, flipped items, a
// heat-mapped confusion matrix that filters the items, the reliability diagram, the trend,
// slices, every metric, the --optimize log, and its items, the judge's mistakes first,
// rendered a page at a time by the page script (html-page.ts) from JSON (html-items.ts).
// Every piece of user text goes through escapeHtml or the page script's textContent.
import { relativeTo } from '../errors.js';
import { emitReport } from './output.js';
import type { OptimizationReport, SideSummary } from '../types.js';
import { entryFor } from '../history/history.js';
import { changesBetween, trackedMetrics } from '../history/trend.js';
import type { Flip, JudgeComparison, Reporter, RunStats, SuiteResult } from '../types.js';
import { comparisonsOf, comparisonTable, differenceLine, earlyStopText, flipsSummary, formatDuration, formatMetric, formatThreshold, isPanelMetric, labelText, plural, searchCostText, unlabeledLine } from './format.js';
import { bulletChart, confusionHeatmap, costAgreementSvg, escapeHtml, reliabilitySvg, trendSvg } from './html-charts.js';
import { itemsData, KIND_NAMES, kindCounts, scriptJson, type ItemData } from './html-items.js';
import { SCRIPT, STYLE } from './html-page.js';

export { escapeHtml } from './html-charts.js';

const STATUS_ORDER: SuiteResult['status'][] = ['error', 'failed', 'passed', 'skipped'];
const STATUS_TEXT = { error: 'errored', failed: 'failed', passed: 'passed', skipped: 'skipped' } as const;
const ICON = { error: '✗', failed: '✗', passed: '✓', skipped: '↓' } as const;

export function toHtml(results: SuiteResult[], stats: RunStats, cwd: string): string {
  // Failed and errored suites first; the suites keep their run order within a status.
  const ordered = results.map((r, i) => ({ r, i })).sort((a, b) => STATUS_ORDER.indexOf(a.r.status) - STATUS_ORDER.indexOf(b.r.status) || a.i - b.i).map((x) => x.r);
  const items = ordered.map((r) => itemsData(r));
  const count = (s: SuiteResult['status']) => results.filter((r) => r.status === s).length;
  const chips = STATUS_ORDER.filter((s) => count(s) > 0).map((s) => `<button type="button" class="chip" data-status="${s}" aria-pressed="true">${ICON[s]} ${count(s)} ${STATUS_TEXT[s]}</button>`).join('');
  const data = { kinds: KIND_NAMES, suites: ordered.map((r, i) => ({ labels: r.confusion.labels.map(String), items: items[i]! })) };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>judge-test report</title><style>${STYLE}</style></head><body>
<header><h1>judge-test</h1>
<p>${count('passed')} passed · ${count('failed')} failed · ${count('error')} errored · ${count('skipped')} skipped — ${stats.calls} provider calls, ${stats.cached} cached, ${(stats.durationMs / 1000).toFixed(2)} s</p>
<nav class="chips" aria-label="Filter suites">${chips}<label><span class="muted">Find a suite </span><input type="search" id="suite-search" placeholder="suite name or file"></label></nav></header>
<main>
${overviewHtml(ordered, cwd)}
${comparisonsOf(results).map((c) => comparisonHtml(c, ordered, cwd)).join('\n')}
${ordered.map((r, i) => suiteHtml(r, i, items[i]!, cwd)).join('\n')}
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}

/** One row per suite: status, name (a link to its section), each threshold as a bullet chart, items, calls and cost. */
function overviewHtml(results: readonly SuiteResult[], cwd: string): string {
  const rows = results.map((r, i) => {
    const thresholds = r.thresholds.length
      ? r.thresholds.map((t) => `<div class="thr">${bulletChart(t, 140)}<span class="${t.status}">${escapeHtml(shortThreshold(t))}</span></div>`).join('')
      : `<span class="muted">${escapeHtml(r.message ?? 'no thresholds')}</span>`;
    const calls = r.items.filter((it) => it.verdict.usage && !it.verdict.cached).length;
    const cached = r.items.filter((it) => it.verdict.cached).length;
    const cost = r.spent ? (r.spent.usd === null ? `unpriced (${r.spent.inputTokens + r.spent.outputTokens} tokens)` : `$${r.spent.usd.toFixed(4)}`) : '—';
    return `<tr data-suite-row data-status="${r.status}" data-name="${escapeHtml(`${r.suite.name} ${relativeTo(cwd, r.suite.file)}`.toLowerCase())}"><td class="${r.status}">${ICON[r.status]} ${STATUS_TEXT[r.status]}</td><td><a href="#s${i}">${escapeHtml(r.suite.name)}</a><br><span class="muted">${escapeHtml(relativeTo(cwd, r.suite.file))}</span></td><td>${thresholds}</td><td class="num">${r.suite.items.length}</td><td class="num">${calls} <span class="muted">(+${cached} cached)</span></td><td class="num">${escapeHtml(cost)}</td></tr>`;
  });
  return `<section id="overview" aria-labelledby="overview-title"><h2 id="overview-title">Overview</h2><table class="overview"><thead><tr><th scope="col">status</th><th scope="col">suite</th><th scope="col">thresholds</th><th scope="col">items</th><th scope="col">calls</th><th scope="col">cost</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/** Judges compared on the same items: agreement against cost (with intervals), the table, the differences, the recommendation. */
function comparisonHtml(c: JudgeComparison, ordered: readonly SuiteResult[], cwd: string): string {
  const [head, ...rows] = comparisonTable(c);
  const link = (variant: string) => {
    const i = ordered.findIndex((r) => r.comparison === c && r.suite.comparison?.variant === variant);
    return i < 0 ? escapeHtml(variant) : `<a href="#s${i}">${escapeHtml(variant)}</a>`;
  };
  const table = `<table class="comparison"><thead><tr>${head!.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r, k) => `<tr><td>${link(c.rows[k]!.variant)}</td><td class="${c.rows[k]!.status}">${escapeHtml(r[1])}</td>${r.slice(2).map((v) => `<td class="num">${escapeHtml(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const diffs = c.differences.length ? `<ul>${c.differences.map((d) => `<li class="${d.beyondNoise ? '' : 'muted'}">${escapeHtml(differenceLine(d))}</li>`).join('')}</ul>` : '';
  return `<section class="suite" aria-label="${escapeHtml(`judges compared on ${c.suite}`)}"><h2>Judges compared: ${escapeHtml(c.suite)}</h2><p class="muted">${escapeHtml(relativeTo(cwd, c.file))} · ${c.rows.length} judges on the same items</p><p class="${c.recommended ? 'passed' : 'failed'}">${escapeHtml(c.recommendation)}</p><div class="row"><div>${table}${diffs}<p class="muted">Pareto front of ${escapeHtml(c.agreementMetric)} against cost: ${escapeHtml(c.front.join(', ') || 'none')}</p></div>${costAgreementSvg(c)}</div></section>`;
}

/** "kappa 0.663 ≥ 0.6" for the overview. */
function shortThreshold(t: SuiteResult['thresholds'][number]): string {
  const value = t.op === 'max_drop' || t.op === 'drift' ? t.delta : (t.actual ?? t.estimate);
  const v = value === undefined || value === null ? 'undefined' : value.toFixed(3);
  const op = t.op === '>=' ? '≥' : t.op === '<=' ? '≤' : t.op === 'drift' ? 'drift max_drop' : 'max_drop';
  return `${t.slice ? `[${t.slice}] ` : ''}${t.metric} ${v} ${op} ${t.target}`;
}

function suiteHtml(r: SuiteResult, index: number, items: ItemData[], cwd: string): string {
  const file = relativeTo(cwd, r.suite.file);
  const about = r.suite.loadError
    ? 'could not be loaded'
    : `judge ${r.suite.judge.id} (${r.suite.judge.model ?? r.suite.judge.provider}) · ${plural(r.suite.items.length, 'item')} · ${formatDuration(r.durationMs)}`;
  const parts = [
    `<h2><span class="${r.status}">${ICON[r.status]} ${STATUS_TEXT[r.status]}</span> ${escapeHtml(r.suite.name)} <a href="#s${index}" class="muted" aria-label="link to this suite">#</a></h2>`,
    `<p class="muted">${escapeHtml(file)} · ${escapeHtml(about)}</p>`,
  ];
  if (r.suite.earlyStop?.outcome) parts.push(`<p class="skipped">${escapeHtml(earlyStopText(r.suite))}</p>`);
  const unlabeled = unlabeledLine(r.suite, file);
  if (unlabeled) parts.push(`<p class="insufficient">${escapeHtml(unlabeled)}</p>`);
  if (r.message) parts.push(`<p class="${r.status}">${escapeHtml(r.message)}</p>`);
  if (r.thresholds.length) {
    parts.push('<h3>Thresholds</h3><table class="thresholds"><tbody>');
    for (const t of r.thresholds) parts.push(`<tr><td class="${t.status}">${escapeHtml(t.status)}</td><td>${bulletChart(t)}</td><td>${escapeHtml(formatThreshold(t))}</td></tr>`);
    parts.push('</tbody></table>');
  }
  if (r.flips?.length) parts.push(flipsHtml(r.flips));
  const charts: string[] = [];
  if (r.confusion.labels.length && r.confusion.labels.length <= 12 && r.confusion.counts.some((row) => row.some((c) => c > 0))) charts.push(`<div><h3>Confusion</h3>${confusionHeatmap(r.confusion.labels, r.confusion.counts, index)}</div>`);
  if (r.calibration) charts.push(`<div><h3>Reliability</h3>${reliabilitySvg(r.calibration, r.metrics.ece?.value ?? null)}</div>`);
  if (charts.length) parts.push(`<div class="row">${charts.join('')}</div>`);
  if (r.suite.history?.length) parts.push(trendHtml(r));
  const slices = Object.entries(r.slices);
  if (slices.length) {
    parts.push('<h3>Slices</h3><table><thead><tr><th scope="col">tag</th><th scope="col">metric</th><th scope="col">value [95% interval]</th><th scope="col">n</th></tr></thead><tbody>');
    for (const [tag, s] of slices) {
      const names = (r.suite.slices[tag] ?? []).map((t) => t.metric);
      for (const name of names) {
        const m = s.metrics[name];
        if (m) parts.push(`<tr><td>${escapeHtml(tag)}</td><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(formatMetric('', m).trim())}</td><td class="num">${m.n}</td></tr>`);
      }
    }
    parts.push('</tbody></table>');
  }
  const defined = Object.entries(r.metrics).filter(([, m]) => m.value !== null);
  if (defined.length) {
    const row = ([name, m]: (typeof defined)[number]) => `<tr><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(formatMetric('', m).trim())}</td><td class="num">${m.n}</td></tr>`;
    parts.push(`<details><summary>Every metric (${defined.length})</summary><table><thead><tr><th scope="col">metric</th><th scope="col">value [95% interval]</th><th scope="col">n</th></tr></thead><tbody>`);
    parts.push(...defined.filter(([n]) => !isPanelMetric(n)).map(row));
    const ceiling = defined.filter(([n]) => isPanelMetric(n));
    if (ceiling.length) parts.push('<tr><th colspan="3" scope="colgroup">human ceiling</th></tr>', ...ceiling.map(row));
    parts.push('</tbody></table></details>');
  }
  if (r.optimization) parts.push(optimizationHtml(r.optimization, cwd));
  else if (r.optimizationNote) parts.push(`<p class="skipped">Not optimized: ${escapeHtml(r.optimizationNote)}</p>`);
  if (items.length) parts.push(itemsSection(index, items));
  return `<section class="suite" id="s${index}" data-suite-row data-status="${r.status}" data-name="${escapeHtml(`${r.suite.name} ${file}`.toLowerCase())}" aria-label="${escapeHtml(`suite ${r.suite.name}`)}">${parts.join('\n')}</section>`;
}

/** The items' toolbar (kind chips with counts, a search, the active filter) and the list the page script fills. */
function itemsSection(index: number, items: readonly ItemData[]): string {
  const chips = kindCounts(items)
    .map(([k, n]) => `<button type="button" class="chip" data-suite="${index}" data-kind="${k}" aria-pressed="false">${escapeHtml(KIND_NAMES[k])} ${n}</button>`)
    .join('');
  return [
    `<h3 id="items-head-${index}">Items</h3>`,
    `<div class="chips" role="group" aria-label="Show only these kinds">${chips}<label><span class="muted">Search </span><input type="search" data-items="${index}" placeholder="id, text, reason, note"></label><button type="button" class="chip" data-clear="${index}" id="items-clear-${index}" hidden>clear filters</button></div>`,
    `<p class="filters-note muted" id="items-note-${index}" aria-live="polite"></p>`,
    `<div class="item-list" id="items-${index}"></div>`,
    `<button type="button" class="chip" data-more="${index}" id="items-more-${index}" hidden>show 200 more</button>`,
    '<p class="muted">Keys: ↓/j and ↑/k move between items, Enter opens their text.</p>',
  ].join('');
}

/** The items whose verdict changed since the baseline, now-wrong first, each with both reasons. */
function flipsHtml(flips: readonly Flip[]): string {
  const rows = flips.map((f) => `<tr class="${f.kind === 'now_right' ? 'TP' : 'FP'}"><td>${escapeHtml(f.kind.replace('_', ' '))}</td><td>${escapeHtml(f.id)}</td><td>${escapeHtml(labelText(f.human))}</td><td>${escapeHtml(labelText(f.before))} → ${escapeHtml(labelText(f.after))}</td><td>${escapeHtml(f.reasonAfter ?? '')}</td><td>${escapeHtml(f.reasonBefore ?? '')}</td></tr>`);
  return `<h3>Flipped since the baseline</h3><p class="muted">${escapeHtml(flipsSummary(flips))}</p><table class="items flips"><thead><tr><th scope="col">change</th><th scope="col">id</th><th scope="col">human</th><th scope="col">verdict</th><th scope="col">reason now</th><th scope="col">reason then</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** The tracked metrics over the history's runs and this one; a dashed line where the judge, model, rubric or items changed. */
function trendHtml(r: SuiteResult): string {
  const current = r.status === 'passed' || r.status === 'failed' ? [entryFor(r, null)] : [];
  const entries = [...(r.suite.history ?? []), ...current];
  const metrics = trackedMetrics(r.suite, entries);
  if (entries.length < 2 || metrics.length === 0) return '';
  const marks = entries.map((e, i) => ({ run: i, what: changesBetween(entries[i - 1], e) })).filter((c) => c.what.length > 0);
  const changes = marks.map((c) => `run ${c.run + 1}: ${c.what.join(', ')}`).join('; ');
  const svg = trendSvg(metrics.map((m) => ({ name: m, values: entries.map((e) => e.metrics[m]) })), marks);
  return `<h3>Trend</h3><p class="muted">${entries.length} runs (the last is this one)${changes ? ` · changed at ${escapeHtml(changes)}` : ''}</p>${svg}`;
}

/** --optimize: themes, every candidate's fate, the before/after table and the diff. */
function optimizationHtml(o: OptimizationReport, cwd: string): string {
  const parts = [
    '<h3>Optimization</h3>',
    `<p class="muted">judge ${escapeHtml(o.judge)} with ${escapeHtml(o.optimizer)} · ${o.split.dev} dev / ${o.split.holdout} holdout items · stopped: ${escapeHtml(o.stop)}</p>`,
    `<p class="muted">search cost: ${escapeHtml(searchCostText(o))}</p>`,
  ];
  const themes = o.rounds.flatMap((r) => r.themes.map((t) => ({ round: r.round, ...t })));
  if (themes.length) {
    parts.push('<table class="themes"><thead><tr><th>round</th><th>theme</th><th>items</th><th>description</th></tr></thead><tbody>');
    for (const t of themes) parts.push(`<tr><td class="num">${t.round}</td><td>${escapeHtml(t.name)}</td><td class="num">${t.items.length}</td><td>${escapeHtml(t.description)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  const candidates = o.rounds.flatMap((r) => r.candidates);
  if (candidates.length) {
    parts.push('<table class="candidates"><thead><tr><th>round</th><th>#</th><th>decision</th><th>why</th></tr></thead><tbody>');
    for (const c of candidates) parts.push(`<tr><td class="num">${c.round}</td><td class="num">${c.index}</td><td class="${c.decision === 'accepted' ? 'passed' : 'failed'}">${c.decision}</td><td>${escapeHtml(c.reason)}</td></tr>`);
    parts.push('</tbody></table>');
  }
  const metrics = Object.keys(o.before.dev.metrics);
  const cell = (side: SideSummary | undefined, m: string) => {
    const v = side?.metrics[m];
    return `<td class="num">${v ? escapeHtml(formatMetric('', { value: v.value, n: 0, ci: v.ci }).trim()) : '—'}</td>`;
  };
  parts.push('<table class="before-after"><thead><tr><th>metric</th><th>dev before</th><th>dev after</th><th>holdout before</th><th>holdout after</th></tr></thead><tbody>');
  for (const m of metrics) parts.push(`<tr><td>${escapeHtml(m)}</td>${cell(o.before.dev, m)}${cell(o.after?.dev, m)}${cell(o.before.holdout, m)}${cell(o.after?.holdout, m)}</tr>`);
  parts.push('</tbody></table>');
  const file = escapeHtml(relativeTo(cwd, o.judgeFile));
  parts.push(`<p class="${o.accepted ? 'passed' : 'skipped'}">${o.accepted ? (o.written ? `Rewrote ${file}` : `Dry run: ${file} unchanged`) : `No candidate accepted: ${file} unchanged`}</p>`);
  if (o.diff) parts.push(`<pre class="diff">${escapeHtml(o.diff)}</pre>`);
  if (o.pareto.length > 0) parts.push(`<p class="muted">Pareto set on dev: ${o.pareto.map((p) => escapeHtml(`${p.id}${p.bestOn.length ? ` (best on ${p.bestOn.join(', ')})` : ''}`)).join(' · ')}</p>`);
  if (o.recheck.length > 0) parts.push(`<p class="skipped">Labels to re-check (every candidate disagrees, no note or rationale): ${escapeHtml(o.recheck.join(', '))}</p>`);
  return parts.join('\n');
}


export class HtmlReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const html = toHtml(results, stats, this.opts.cwd);
    emitReport(this.opts, html, 'html');
  }
}
