// The `html` reporter: one self-contained file (no network at view time). Per suite: the
// thresholds with intervals and baseline deltas, every metric, the confusion matrix, a
// reliability diagram when verdicts carry confidences, and a searchable table of items.
// Every piece of user text goes through escapeHtml: item text is data, never markup.
import { relativeTo } from '../errors.js';
import { emitReport } from './output.js';
import type { OptimizationReport, SideSummary } from '../types.js';
import { entryFor } from '../history/history.js';
import { changesBetween, trackedMetrics } from '../history/trend.js';
import type { CalibrationReport, Flip, Reporter, RunStats, SuiteResult } from '../types.js';
import { flipsSummary, formatMetric, formatThreshold, humanLabelsText, isPanelMetric, labelText, searchCostText, unlabeledLine } from './format.js';

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f;background:#fafafa}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2.5rem}h3{font-size:1rem}
.passed{color:#17803d}.failed,.error{color:#c0262d}.skipped,.insufficient{color:#a15c00}
table{border-collapse:collapse;margin:.5rem 0;background:#fff}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}.num{text-align:right;font-variant-numeric:tabular-nums}.muted{color:#666}
.items td{max-width:28rem;white-space:pre-wrap;word-break:break-word}.FP,.FN,.disagree,.unparseable,.error{background:#fff1f0}
input[type=search]{width:24rem;padding:.3rem;margin:.5rem 0}pre.diff{background:#fff;border:1px solid #ddd;padding:.5rem;overflow:auto}`;

// Filters each suite's item rows by the text typed in its search box.
const SCRIPT = `document.querySelectorAll('input[data-table]').forEach(function(box){box.addEventListener('input',function(){var q=box.value.toLowerCase();document.getElementById(box.dataset.table).querySelectorAll('tbody tr').forEach(function(tr){tr.hidden=q!==''&&tr.textContent.toLowerCase().indexOf(q)<0;});});});`;

export function toHtml(results: SuiteResult[], stats: RunStats, cwd: string): string {
  const count = (s: SuiteResult['status']) => results.filter((r) => r.status === s).length;
  const body = results.map((r, i) => suiteHtml(r, i, cwd)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>judge-test report</title><style>${STYLE}</style></head><body>
<h1>judge-test</h1>
<p>${count('passed')} passed · ${count('failed')} failed · ${count('error')} errored · ${count('skipped')} skipped — ${stats.calls} provider calls, ${stats.cached} cached, ${(stats.durationMs / 1000).toFixed(2)} s</p>
${body}
<script>${SCRIPT}</script>
</body></html>
`;
}

function suiteHtml(r: SuiteResult, index: number, cwd: string): string {
  const parts = [
    `<h2 class="${r.status}">${escapeHtml(r.status === 'passed' ? '✓' : r.status === 'skipped' ? '↓' : '✗')} ${escapeHtml(r.suite.name)}</h2>`,
    r.suite.loadError
      ? `<p class="muted">${escapeHtml(relativeTo(cwd, r.suite.file))} · could not be loaded</p>`
      : `<p class="muted">${escapeHtml(relativeTo(cwd, r.suite.file))} · judge ${escapeHtml(r.suite.judge.id)} (${escapeHtml(r.suite.judge.model ?? r.suite.judge.provider)}) · ${r.suite.items.length} items</p>`,
  ];
  const unlabeled = unlabeledLine(r.suite, relativeTo(cwd, r.suite.file));
  if (unlabeled) parts.push(`<p class="insufficient">${escapeHtml(unlabeled)}</p>`);
  if (r.message) parts.push(`<p class="${r.status}">${escapeHtml(r.message)}</p>`);
  if (r.thresholds.length) {
    parts.push('<h3>Thresholds</h3><table><tbody>');
    for (const t of r.thresholds) parts.push(`<tr><td class="${t.status}">${escapeHtml(t.status)}</td><td>${escapeHtml(formatThreshold(t))}</td></tr>`);
    parts.push('</tbody></table>');
  }
  const defined = Object.entries(r.metrics).filter(([, m]) => m.value !== null);
  if (defined.length) {
    const row = ([name, m]: (typeof defined)[number]) => `<tr><td>${escapeHtml(name)}</td><td class="num">${escapeHtml(formatMetric('', m).trim())}</td><td class="num">${m.n}</td></tr>`;
    parts.push('<h3>Metrics</h3><table><thead><tr><th>metric</th><th>value [95% interval]</th><th>n</th></tr></thead><tbody>');
    parts.push(...defined.filter(([n]) => !isPanelMetric(n)).map(row));
    const ceiling = defined.filter(([n]) => isPanelMetric(n));
    if (ceiling.length) parts.push('<tr><th colspan="3">human ceiling</th></tr>', ...ceiling.map(row));
    parts.push('</tbody></table>');
  }
  if (r.confusion.labels.length && r.confusion.labels.length <= 12) {
    parts.push('<h3>Confusion (rows: humans, columns: judge)</h3><table><thead><tr><th></th>');
    parts.push(...r.confusion.labels.map((l) => `<th>${escapeHtml(l)}</th>`), '</tr></thead><tbody>');
    r.confusion.counts.forEach((row, i) => parts.push(`<tr><th>${escapeHtml(r.confusion.labels[i])}</th>${row.map((c) => `<td class="num">${c}</td>`).join('')}</tr>`));
    parts.push('</tbody></table>');
  }
  if (r.flips?.length) parts.push(flipsHtml(r.flips));
  if (r.calibration) parts.push('<h3>Reliability</h3>', reliabilitySvg(r.calibration));
  if (r.suite.history?.length) parts.push(trendHtml(r));
  if (r.optimization) parts.push(optimizationHtml(r.optimization, cwd));
  else if (r.optimizationNote) parts.push(`<p class="skipped">Not optimized: ${escapeHtml(r.optimizationNote)}</p>`);
  if (r.items.length) {
    const id = `items-${index}`;
    parts.push('<h3>Items</h3>', `<input type="search" placeholder="Search items" data-table="${id}" aria-label="Search items">`);
    parts.push(`<table class="items" id="${id}"><thead><tr><th>id</th><th>input</th><th>output</th><th>human</th><th>notes</th><th>judge</th><th>reason</th><th>outcome</th><th>semantic</th></tr></thead><tbody>`);
    for (const it of r.items) {
      const f = it.item.fields;
      const judge = it.verdict.status === 'ok' ? labelText(it.verdict.label) : it.verdict.status;
      parts.push(
        `<tr class="${escapeHtml(it.outcome)}"><td>${escapeHtml(it.item.id)}</td><td>${escapeHtml(f.input)}</td><td>${escapeHtml(f.output)}</td><td>${escapeHtml(humanLabelsText(it))}</td><td>${escapeHtml(it.item.notes)}</td><td>${escapeHtml(judge)}</td><td>${escapeHtml(it.verdict.reason || it.verdict.error)}</td><td>${escapeHtml(it.outcome)}</td><td class="num">${it.rationaleSemanticSimilarity === undefined ? '' : it.rationaleSemanticSimilarity.toFixed(2)}</td></tr>`,
      );
    }
    parts.push('</tbody></table>');
  }
  return `<section>${parts.join('\n')}</section>`;
}

/** The items whose verdict changed since the baseline, now-wrong first, each with both reasons. */
function flipsHtml(flips: readonly Flip[]): string {
  const rows = flips.map((f) => `<tr class="${f.kind === 'now_right' ? 'TP' : 'FP'}"><td>${escapeHtml(f.kind.replace('_', ' '))}</td><td>${escapeHtml(f.id)}</td><td>${escapeHtml(labelText(f.human))}</td><td>${escapeHtml(labelText(f.before))} → ${escapeHtml(labelText(f.after))}</td><td>${escapeHtml(f.reasonAfter ?? '')}</td><td>${escapeHtml(f.reasonBefore ?? '')}</td></tr>`);
  return `<h3>Flipped since the baseline</h3><p class="muted">${escapeHtml(flipsSummary(flips))}</p><table class="items flips"><thead><tr><th>change</th><th>id</th><th>human</th><th>verdict</th><th>reason now</th><th>reason then</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const TREND_COLORS = ['#2f6fd0', '#c0262d', '#17803d', '#a15c00', '#6b3fa0'];

/** The tracked metrics over the history's runs and this one; a dashed line where the judge, model, rubric or items changed. */
function trendHtml(r: SuiteResult): string {
  const current = r.status === 'passed' || r.status === 'failed' ? [entryFor(r, null)] : [];
  const entries = [...(r.suite.history ?? []), ...current];
  const metrics = trackedMetrics(r.suite, entries);
  if (entries.length < 2 || metrics.length === 0) return '';
  const w = 520;
  const h = 200;
  const pad = 34;
  const values = entries.flatMap((e) => metrics.map((m) => e.metrics[m]).filter((v): v is number => v !== undefined));
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const x = (i: number) => pad + (i * (w - 2 * pad)) / (entries.length - 1);
  const y = (v: number) => h - pad - ((v - lo) / (hi - lo)) * (h - 2 * pad);
  const marks = entries.map((e, i) => ({ i, what: changesBetween(entries[i - 1], e) })).filter((c) => c.what.length > 0);
  const svg = [
    `<svg width="${w}" height="${h}" role="img" aria-label="metric trend"><rect x="${pad}" y="${pad}" width="${w - 2 * pad}" height="${h - 2 * pad}" fill="#fff" stroke="#ccc"/>`,
    `<text x="4" y="${y(hi) + 4}" font-size="10">${hi.toFixed(1)}</text><text x="4" y="${y(lo) + 4}" font-size="10">${lo.toFixed(1)}</text>`,
    ...marks.map((c) => `<line x1="${x(c.i).toFixed(1)}" y1="${pad}" x2="${x(c.i).toFixed(1)}" y2="${h - pad}" stroke="#999" stroke-dasharray="3"><title>${escapeHtml(c.what.join(', '))} changed</title></line>`),
    ...metrics.map((m, k) => {
      const pts = entries.flatMap((e, i) => (e.metrics[m] === undefined ? [] : [`${x(i).toFixed(1)},${y(e.metrics[m]!).toFixed(1)}`]));
      return `<polyline fill="none" stroke="${TREND_COLORS[k % TREND_COLORS.length]}" stroke-width="2" points="${pts.join(' ')}"><title>${escapeHtml(m)}</title></polyline>`;
    }),
    '</svg>',
  ];
  const legend = metrics.map((m, k) => `<span style="color:${TREND_COLORS[k % TREND_COLORS.length]}">■</span> ${escapeHtml(m)}`).join(' · ');
  const changes = marks.map((c) => `run ${c.i + 1}: ${escapeHtml(c.what.join(', '))}`).join('; ');
  return `<h3>Trend</h3><p class="muted">${entries.length} runs (the last is this one) · ${legend}${changes ? ` · changed at ${changes}` : ''}</p>${svg.join('')}`;
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

/** Accuracy against mean confidence per bin, over the diagonal of perfect calibration. */
function reliabilitySvg(c: CalibrationReport): string {
  const size = 220;
  const pad = 30;
  const x = (v: number) => pad + v * (size - 2 * pad);
  const y = (v: number) => size - pad - v * (size - 2 * pad);
  const dots = c.bins.map((b) => `<circle cx="${x(b.meanConfidence).toFixed(1)}" cy="${y(b.accuracy).toFixed(1)}" r="${Math.min(9, 2 + Math.sqrt(b.count))}" fill="#2f6fd0" fill-opacity=".7"><title>${b.count} items: confidence ${b.meanConfidence.toFixed(2)}, accuracy ${b.accuracy.toFixed(2)}</title></circle>`);
  const temperature = c.temperature === null ? '' : `<p class="muted">fitted temperature ${c.temperature.toFixed(2)} (${c.temperature > 1 ? 'over-confident' : 'under-confident'})</p>`;
  return `<svg width="${size}" height="${size}" role="img" aria-label="reliability diagram"><rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="#fff" stroke="#ccc"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4"/>${dots.join('')}<text x="${size / 2}" y="${size - 6}" font-size="11" text-anchor="middle">confidence</text><text x="10" y="${size / 2}" font-size="11" transform="rotate(-90 10 ${size / 2})" text-anchor="middle">accuracy</text></svg>${temperature}`;
}

export class HtmlReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const html = toHtml(results, stats, this.opts.cwd);
    emitReport(this.opts, html, 'html');
  }
}
