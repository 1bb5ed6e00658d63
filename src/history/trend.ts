// What a trend shows: the metrics worth following, what changed between runs, sparklines.

import type { HistoryEntry, ResolvedSuite } from '../types.js';

const BARS = '▁▂▃▄▅▆▇█';

/** The metrics worth a column: the suite's thresholds and drift checks, else kappa and accuracy. */
export function trackedMetrics(suite: ResolvedSuite, entries: readonly HistoryEntry[]): string[] {
  const named = [...new Set(suite.thresholds.map((t) => t.metric))];
  const wanted = named.length > 0 ? named : ['kappa', 'accuracy', 'spearman'];
  return wanted.filter((m) => entries.some((e) => typeof e.metrics[m] === 'number')).slice(0, 5);
}

/** What changed between two runs, in words ("model gpt-4o → gpt-4.1", "rubric"). */
export function changesBetween(prev: HistoryEntry | undefined, e: HistoryEntry): string[] {
  if (!prev) return [];
  const out: string[] = [];
  if (prev.judge !== e.judge) out.push(`judge ${prev.judge} → ${e.judge}`);
  if (prev.model !== e.model) out.push(`model ${prev.model ?? '—'} → ${e.model ?? '—'}`);
  if (prev.rubric !== e.rubric) out.push('rubric');
  if (prev.items !== e.items) out.push('items');
  return out;
}

export function sparkline(values: readonly (number | undefined)[]): string {
  const xs = values.filter((v): v is number => v !== undefined);
  if (xs.length === 0) return '';
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return values.map((v) => (v === undefined ? ' ' : BARS[hi === lo ? 3 : Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))])).join('');
}
