// `judge-test history [filters]`: each suite's runs as a table, oldest first, with the
// judge, model, rubric and item changes marked, and a sparkline per tracked metric.
import { findSuiteFiles } from '../config/discover.js';
import { loadSuites } from '../config/load-suite.js';
import { relativeTo } from '../errors.js';
import { changesBetween, sparkline, trackedMetrics } from '../history/trend.js';
import { loadConfigFile } from '../settings/config-file.js';
import { suitesDir } from '../settings/settings.js';
import type { HistoryEntry, ResolvedSuite } from '../types.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function historyCommand(args: CliArgs, cwd: string): Promise<number> {
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  for (const f of findSuiteFiles(cwd, suitesDir(args, config), args.filters)) {
    for (const suite of loadSuites(f)) process.stdout.write(historyText(suite, suite.history ?? [], relativeTo(cwd, f)) + '\n');
  }
  return EXIT.ok;
}

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
