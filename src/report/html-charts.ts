// The HTML report's charts, as inline SVG and tables: a threshold's bullet chart, the
// heat-mapped confusion matrix, the reliability diagram and the trend, each with axes and
// an accessible name. Every label from a file goes through escapeHtml.
import { LOWER_IS_BETTER } from '../metrics/index.js';
import type { CalibrationReport, JudgeComparison, Label, ThresholdOutcome } from '../types.js';
import { formatNumber, thresholdName } from './format.js';

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STATUS_COLOR = { passed: '#17803d', failed: '#c0262d', insufficient: '#a15c00' } as const;

/**
 * A threshold as a bullet chart: a bar to the value, the interval as a whisker, the target
 * as a dark tick; the domain is the metric's natural one (0–1, −1–1 for chance-corrected
 * ones, 0 up for errors in scale points). A threshold against a baseline or the history is
 * its change, on a scale centred on 0.
 */
export function bulletChart(t: ThresholdOutcome, width = 180): string {
  const h = 22;
  const relative = t.op === 'max_drop' || t.op === 'drift';
  const value = relative ? (t.delta ?? null) : (t.actual ?? t.estimate);
  const ci = relative ? (t.deltaCi ?? null) : t.ci;
  const target = relative ? (LOWER_IS_BETTER.has(t.metric) ? t.target : -t.target) : t.target;
  const known = [value, target, ...(ci ?? [])].filter((v): v is number => v !== null && Number.isFinite(v));
  let lo: number;
  let hi: number;
  if (relative) {
    const m = Math.max(0.1, ...known.map(Math.abs));
    [lo, hi] = [-m, m];
  } else if (t.metric === 'mae' || t.metric === 'rmse') {
    [lo, hi] = [0, Math.max(1, ...known) * 1.15];
  } else {
    [lo, hi] = [Math.min(0, ...known) < 0 ? -1 : 0, Math.max(1, ...known)];
  }
  const x = (v: number) => 4 + ((v - lo) / (hi - lo || 1)) * (width - 8);
  const color = STATUS_COLOR[t.status];
  const from = relative ? x(0) : x(lo);
  const bar = value === null ? '' : `<rect x="${Math.min(from, x(value)).toFixed(1)}" y="7" width="${Math.abs(x(value) - from).toFixed(1)}" height="8" fill="${color}" fill-opacity=".75"/>`;
  const whisker = ci ? `<line x1="${x(ci[0]).toFixed(1)}" y1="11" x2="${x(ci[1]).toFixed(1)}" y2="11" stroke="#333" stroke-width="1.5"/><line x1="${x(ci[0]).toFixed(1)}" y1="8" x2="${x(ci[0]).toFixed(1)}" y2="14" stroke="#333"/><line x1="${x(ci[1]).toFixed(1)}" y1="8" x2="${x(ci[1]).toFixed(1)}" y2="14" stroke="#333"/>` : '';
  const label = `${thresholdName(t)} ${value === null ? 'undefined' : formatNumber(value)}${ci ? `, interval ${formatNumber(ci[0])} to ${formatNumber(ci[1])}` : ''}, target ${relative ? `a change of at most ${formatNumber(target)}` : `${t.op} ${t.target}`}: ${t.status}`;
  return `<svg class="bullet" width="${width}" height="${h}" role="img" aria-label="${escapeHtml(label)}"><title>${escapeHtml(label)}</title><rect x="4" y="5" width="${width - 8}" height="12" fill="#ececec"/>${bar}${whisker}<line x1="${x(target).toFixed(1)}" y1="2" x2="${x(target).toFixed(1)}" y2="20" stroke="#111" stroke-width="2"/></svg>`;
}

/**
 * The confusion matrix as a heat map (rows: humans, columns: judge): agreement cells green,
 * the others red, darker with more items. Each non-empty cell is a button that filters the
 * suite's items to it (the page script reads data-suite, data-h and data-j).
 */
export function confusionHeatmap(labels: readonly Label[], counts: readonly (readonly number[])[], suite: number): string {
  const max = Math.max(1, ...counts.flat());
  const head = labels.map((l) => `<th scope="col">${escapeHtml(l)}</th>`).join('');
  const rows = counts.map((row, h) => {
    const cells = row.map((c, j) => {
      // At most 60% color: the cell stays light enough for dark text at WCAG AA contrast.
      const share = c === 0 ? 0 : 0.1 + 0.5 * (c / max);
      const background = mix(h === j ? [23, 128, 61] : [192, 38, 45], share);
      // The text color with more contrast against the cell (WCAG's relative luminance).
      const ink = contrast(background, [255, 255, 255]) >= contrast(background, [29, 29, 31]) ? '#fff' : '#1d1d1f';
      const name = `humans ${String(labels[h])}, judge ${String(labels[j])}: ${c} items`;
      const inner = c === 0 ? '0' : `<button type="button" class="cell" data-suite="${suite}" data-h="${h}" data-j="${j}" aria-label="${escapeHtml(`${name}; show them`)}" style="color:${ink}">${c}</button>`;
      return `<td class="num heat" style="background:rgb(${background.join(',')});color:${ink}" title="${escapeHtml(name)}">${inner}</td>`;
    });
    return `<tr><th scope="row">${escapeHtml(labels[h])}</th>${cells.join('')}</tr>`;
  });
  return `<table class="confusion"><caption>rows: humans · columns: judge · click a cell for its items</caption><thead><tr><td></td>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

type Rgb = [number, number, number];

/** `color` over white at `share` opacity, as one solid color. */
function mix(color: Rgb, share: number): Rgb {
  return color.map((c) => Math.round(255 + (c - 255) * share)) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** Accuracy against mean confidence per bin, with axes, ticks, each bin's count and the ECE. */
export function reliabilitySvg(c: CalibrationReport, ece: number | null): string {
  const size = 300;
  const pad = 42;
  const x = (v: number) => pad + v * (size - 2 * pad);
  const y = (v: number) => size - pad - v * (size - 2 * pad);
  const ticks = TICKS.map((t) => `<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(0) + 4}" stroke="#555"/><text x="${x(t)}" y="${y(0) + 15}" font-size="10" text-anchor="middle">${t.toFixed(1)}</text><line x1="${x(0) - 4}" y1="${y(t)}" x2="${x(0)}" y2="${y(t)}" stroke="#555"/><text x="${x(0) - 7}" y="${y(t) + 3}" font-size="10" text-anchor="end">${t.toFixed(1)}</text>`);
  const dots = c.bins.map((b) => {
    const r = Math.min(11, 3 + Math.sqrt(b.count));
    return `<circle cx="${x(b.meanConfidence).toFixed(1)}" cy="${y(b.accuracy).toFixed(1)}" r="${r.toFixed(1)}" fill="#2f6fd0" fill-opacity=".7"><title>${b.count} items: mean confidence ${b.meanConfidence.toFixed(2)}, accuracy ${b.accuracy.toFixed(2)}</title></circle><text x="${(x(b.meanConfidence) + r + 2).toFixed(1)}" y="${(y(b.accuracy) - r).toFixed(1)}" font-size="9" fill="#333">${b.count}</text>`;
  });
  const caption = `ECE ${ece === null ? 'undefined' : ece.toFixed(3)} over ${c.bins.reduce((a, b) => a + b.count, 0)} items in ${c.bins.length} bins (${c.strategy}); each dot is a bin, labeled with its count`;
  const temperature = c.temperature === null ? '' : ` · fitted temperature ${c.temperature.toFixed(2)} (${c.temperature > 1 ? 'over-confident' : 'under-confident'})`;
  return `<figure><svg width="${size}" height="${size}" role="img" aria-label="reliability diagram: ${escapeHtml(caption)}"><rect x="${pad}" y="${pad}" width="${size - 2 * pad}" height="${size - 2 * pad}" fill="#fff" stroke="#bbb"/><line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999" stroke-dasharray="4"/>${ticks.join('')}${dots.join('')}<text x="${size / 2}" y="${size - 6}" font-size="11" text-anchor="middle">mean confidence</text><text x="12" y="${size / 2}" font-size="11" transform="rotate(-90 12 ${size / 2})" text-anchor="middle">accuracy</text></svg><figcaption class="muted">${escapeHtml(caption)}${escapeHtml(temperature)}</figcaption></figure>`;
}

const TREND_COLORS = ['#2f6fd0', '#c0262d', '#17803d', '#a15c00', '#6b3fa0'];

/** Metrics over runs, with a y axis, run numbers on the x axis and a dashed marker where something changed. */
export function trendSvg(series: { name: string; values: (number | undefined)[] }[], changes: { run: number; what: string[] }[]): string {
  const runs = Math.max(...series.map((s) => s.values.length));
  const w = 560;
  const h = 230;
  const pad = { left: 44, right: 16, top: 16, bottom: 36 };
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const lo = Math.min(0, ...all);
  const hi = Math.max(1, ...all);
  const x = (i: number) => pad.left + (runs === 1 ? 0 : (i * (w - pad.left - pad.right)) / (runs - 1));
  const y = (v: number) => h - pad.bottom - ((v - lo) / (hi - lo)) * (h - pad.top - pad.bottom);
  const yTicks = Array.from({ length: 5 }, (_, k) => lo + ((hi - lo) * k) / 4);
  const step = Math.max(1, Math.ceil(runs / 12));
  const xTicks = Array.from({ length: runs }, (_, i) => i).filter((i) => i % step === 0 || i === runs - 1);
  const parts = [
    `<rect x="${pad.left}" y="${pad.top}" width="${w - pad.left - pad.right}" height="${h - pad.top - pad.bottom}" fill="#fff" stroke="#bbb"/>`,
    ...yTicks.map((v) => `<line x1="${pad.left - 4}" y1="${y(v).toFixed(1)}" x2="${w - pad.right}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${pad.left - 7}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v.toFixed(2)}</text>`),
    ...xTicks.map((i) => `<line x1="${x(i).toFixed(1)}" y1="${h - pad.bottom}" x2="${x(i).toFixed(1)}" y2="${h - pad.bottom + 4}" stroke="#555"/><text x="${x(i).toFixed(1)}" y="${h - pad.bottom + 15}" font-size="10" text-anchor="middle">${i + 1}</text>`),
    `<text x="${(pad.left + w - pad.right) / 2}" y="${h - 4}" font-size="11" text-anchor="middle">run (the last is this one)</text>`,
    ...changes.map((c) => `<line x1="${x(c.run).toFixed(1)}" y1="${pad.top}" x2="${x(c.run).toFixed(1)}" y2="${h - pad.bottom}" stroke="#777" stroke-dasharray="3"><title>${escapeHtml(c.what.join(', '))} changed</title></line><text x="${(x(c.run) + 3).toFixed(1)}" y="${pad.top + 10}" font-size="9" fill="#555">${escapeHtml(c.what.join(', '))}</text>`),
    ...series.map((s, k) => {
      const color = TREND_COLORS[k % TREND_COLORS.length];
      const pts = s.values.flatMap((v, i) => (v === undefined ? [] : [[x(i), y(v)] as const]));
      return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')}"><title>${escapeHtml(s.name)}</title></polyline>${pts.map(([a, b]) => `<circle cx="${a.toFixed(1)}" cy="${b.toFixed(1)}" r="2.5" fill="${color}"/>`).join('')}`;
    }),
  ];
  const legend = series.map((s, k) => `<span style="color:${TREND_COLORS[k % TREND_COLORS.length]}" aria-hidden="true">■</span> ${escapeHtml(s.name)}`).join(' · ');
  return `<svg width="${w}" height="${h}" role="img" aria-label="${escapeHtml(`trend of ${series.map((s) => s.name).join(', ')} over ${runs} runs`)}">${parts.join('')}</svg><p class="muted">${legend}</p>`;
}

/** Each judge of a comparison as a point: cost across (USD, or tokens when a judge is unpriced), agreement up with its interval; the Pareto front joined. */
export function costAgreementSvg(c: JudgeComparison): string {
  const priced = c.rows.every((r) => r.usd !== null);
  const cost = (r: JudgeComparison['rows'][number]) => (priced ? r.usd! : r.inputTokens + r.outputTokens);
  const points = c.rows.flatMap((r) => {
    const m = r.metrics[c.agreementMetric];
    return m && m.value !== null ? [{ r, x: cost(r), y: m.value, ci: m.ci }] : [];
  });
  if (points.length === 0) return '';
  const w = 380;
  const h = 260;
  const pad = { left: 48, right: 16, top: 16, bottom: 40 };
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => [p.y, ...(p.ci ?? [])]);
  const [x0, x1] = [0, Math.max(...xs) * 1.1 || 1];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(1, ...ys)];
  const x = (v: number) => pad.left + ((v - x0) / (x1 - x0)) * (w - pad.left - pad.right);
  const y = (v: number) => h - pad.bottom - ((v - y0) / (y1 - y0)) * (h - pad.top - pad.bottom);
  const ticks = Array.from({ length: 5 }, (_, k) => y0 + ((y1 - y0) * k) / 4);
  const xTicks = Array.from({ length: 5 }, (_, k) => x0 + ((x1 - x0) * k) / 4);
  const front = points.filter((p) => c.front.includes(p.r.variant)).sort((a, b) => a.x - b.x);
  const label = priced ? 'cost (USD)' : 'tokens';
  const parts = [
    `<rect x="${pad.left}" y="${pad.top}" width="${w - pad.left - pad.right}" height="${h - pad.top - pad.bottom}" fill="#fff" stroke="#bbb"/>`,
    ...ticks.map((v) => `<line x1="${pad.left - 4}" y1="${y(v).toFixed(1)}" x2="${w - pad.right}" y2="${y(v).toFixed(1)}" stroke="#eee"/><text x="${pad.left - 7}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v.toFixed(2)}</text>`),
    ...xTicks.map((v) => `<text x="${x(v).toFixed(1)}" y="${h - pad.bottom + 14}" font-size="10" text-anchor="middle">${priced ? `$${v.toFixed(v < 0.01 ? 4 : 2)}` : Math.round(v)}</text>`),
    `<text x="${(pad.left + w - pad.right) / 2}" y="${h - 6}" font-size="11" text-anchor="middle">${label}</text><text x="12" y="${h / 2}" font-size="11" transform="rotate(-90 12 ${h / 2})" text-anchor="middle">${escapeHtml(c.agreementMetric)}</text>`,
    front.length > 1 ? `<polyline fill="none" stroke="#17803d" stroke-dasharray="4" points="${front.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(' ')}"/>` : '',
    ...points.map((p) => {
      const color = STATUS_COLOR[p.r.status === 'passed' ? 'passed' : 'failed'];
      const whisker = p.ci ? `<line x1="${x(p.x).toFixed(1)}" y1="${y(p.ci[0]).toFixed(1)}" x2="${x(p.x).toFixed(1)}" y2="${y(p.ci[1]).toFixed(1)}" stroke="${color}" stroke-width="1.5"/>` : '';
      return `${whisker}<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="5" fill="${color}"><title>${escapeHtml(`${p.r.variant}: ${c.agreementMetric} ${p.y.toFixed(3)}, ${label} ${p.x}`)}</title></circle><text x="${(x(p.x) + 8).toFixed(1)}" y="${(y(p.y) - 6).toFixed(1)}" font-size="10">${escapeHtml(p.r.variant)}</text>`;
    }),
  ];
  return `<svg width="${w}" height="${h}" role="img" aria-label="${escapeHtml(`${c.agreementMetric} against ${label} for ${points.length} judges; the Pareto front is dashed`)}">${parts.join('')}</svg>`;
}
