// `judge-test history [filters]`: each suite's runs as a table, oldest first, with the
// judge, model, rubric and item changes marked, and a sparkline per tracked metric.
import type { HistoryEntry } from '../history/history.js';
import { changesBetween, sparkline, trackedMetrics } from '../history/trend.js';
import type { ResolvedSuite } from '../types.js';

export function historyText(suite: ResolvedSuite, entries: readonly HistoryEntry[], shownPath: string): string {
  const lines = [`${shownPath} > ${suite.name}`];
  if (entries.length === 0) return [...lines, '  no history yet: it is written by each run (judge-test), one line per suite when a figure moves', ''].join('\n');
  const metrics = trackedMetrics(suite, entries);
  const head = ['run', 'date', 'commit', 'model', 'status', ...metrics, 'changed'];
  const rows = entries.map((e, i) => [
    String(i + 1),
    e.time.slice(0, 16).replace('T', ' '),
    e.commit ?? '—',
    e.model ?? '—',
    e.status,
    ...metrics.map((m) => (typeof e.metrics[m] === 'number' ? e.metrics[m]!.toFixed(3) : '—')),
    changesBetween(entries[i - 1], e).join(', '),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) => `  ${r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ')}`.trimEnd();
  lines.push(fmt(head), ...rows.map(fmt));
  for (const m of metrics) lines.push(`  ${m.padEnd(Math.max(...metrics.map((x) => x.length)))}  ${sparkline(entries.map((e) => e.metrics[m]))}`);
  return lines.join('\n') + '\n';
}
