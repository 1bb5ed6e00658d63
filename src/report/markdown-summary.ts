// The Markdown summary shared by the `markdown` and `github` reporters: a table of suites,
// each failing suite's thresholds and its top misaligned items. Item text is escaped so a
// table cell cannot break the table or inject HTML into a PR comment.
import { relativeTo } from '../errors.js';
import type { RunStats, SuiteResult } from '../types.js';
import { ceilingLine, flipLine, flipsSummary, formatThreshold, itemLine, misaligned, optimizeOutcome, plainText, searchCostText, unlabeledLine } from './format.js';

const ICON: Record<SuiteResult['status'], string> = { passed: '✅', failed: '❌', error: '💥', skipped: '⏭️' };

/** Text safe inside a Markdown table cell: no pipes, newlines, HTML or backticks. */
/**
 * Text from files in a Markdown table cell, shown as written: line breaks (a bare CR too)
 * become spaces, HTML is escaped, and Markdown's marks are backslash-escaped so that
 * emphasis, links and images in a note do not render.
 */
export function cell(text: string): string {
  return plainText(text)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // Enough to keep text text: no emphasis, code, strike-through, link or image ([...]), no cell break.
    .replace(/[\\`*[\]~|]/g, '\\$&')
    // An underscore inside a word (fp_rate) never emphasizes; one at a word's edge may.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_');
}

export function markdownSummary(results: SuiteResult[], stats: RunStats, cwd: string, maxItems = 5): string {
  const count = (s: SuiteResult['status']) => results.filter((r) => r.status === s).length;
  const lines = [
    '## judge-test',
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('error')} errored, ${count('skipped')} skipped · ${stats.calls} provider calls, ${stats.cached} cached · ${(stats.durationMs / 1000).toFixed(1)} s`,
    '',
    '| | suite | judge | thresholds |',
    '|---|---|---|---|',
    ...results.map((r) => {
      const passed = r.thresholds.filter((t) => t.status === 'passed').length;
      const judge = r.suite.loadError ? 'could not be loaded' : `${r.suite.judge.id} (${r.suite.judge.model ?? r.suite.judge.provider})`;
      return `| ${ICON[r.status]} | ${cell(r.suite.name)}<br><sub>${cell(relativeTo(cwd, r.suite.file))}</sub> | ${cell(judge)} | ${r.status === 'skipped' ? cell(r.message ?? 'skipped') : `${passed}/${r.thresholds.length}`} |`;
    }),
  ];
  const optimized = results.filter((r) => r.optimization);
  if (optimized.length > 0) {
    lines.push('', '### --optimize', '');
    for (const r of optimized) {
      const o = r.optimization!;
      lines.push(`- ${cell(r.suite.name)}: ${cell(optimizeOutcome(o))} · search cost: ${cell(searchCostText(o))}`);
      if (o.recheck.length > 0) lines.push(`  - labels to re-check: ${cell(o.recheck.join(', '))}`);
    }
  }
  const flipped = results.filter((r) => r.flips?.length);
  if (flipped.length > 0) {
    lines.push('', '### Flipped since the baseline');
    for (const r of flipped) {
      lines.push('', `<details><summary>${cell(r.suite.name)}: ${cell(flipsSummary(r.flips!))}</summary>`, '');
      for (const f of r.flips!.slice(0, maxItems)) lines.push(`- ${f.kind === 'now_right' ? '✅' : '❌'} ${cell(flipLine(f, 200))}`);
      if (r.flips!.length > maxItems) lines.push(`- … ${r.flips!.length - maxItems} more in the JSON report`);
      lines.push('', '</details>');
    }
  }
  const unlabeled = results.map((r) => unlabeledLine(r.suite, relativeTo(cwd, r.suite.file))).filter((l): l is string => l !== null);
  if (unlabeled.length > 0) lines.push('', ...[...new Set(unlabeled)].map((l) => `- ${cell(l)}`));
  for (const r of results.filter((x) => x.status === 'failed' || x.status === 'error')) {
    lines.push('', `### ${ICON[r.status]} ${cell(r.suite.name)}`, '');
    if (r.message) lines.push(cell(r.message), '');
    if (r.thresholds.length) {
      lines.push('| | threshold |', '|---|---|');
      for (const t of r.thresholds) lines.push(`| ${t.status === 'passed' ? '✅' : t.status === 'insufficient' ? '❔' : '❌'} | ${cell(formatThreshold(t))} |`);
    }
    const ceiling = ceilingLine(r);
    if (ceiling) lines.push('', cell(ceiling));
    for (const g of misaligned(r)) {
      lines.push('', `<details><summary>${cell(g.title)} (${g.items.length})</summary>`, '');
      for (const i of g.items.slice(0, maxItems)) lines.push(`- ${cell(itemLine(i, 200))}`);
      if (g.items.length > maxItems) lines.push(`- … ${g.items.length - maxItems} more in the JSON report`);
      lines.push('', '</details>');
    }
  }
  return lines.join('\n') + '\n';
}
