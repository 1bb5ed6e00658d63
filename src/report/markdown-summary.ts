// The Markdown summary shared by the `markdown` and `github` reporters: a table of suites,
// each failing suite's thresholds and its top misaligned items. Item text is escaped so a
// table cell cannot break the table or inject HTML into a PR comment.
import { relativeTo } from '../errors.js';
import type { RunStats, SuiteResult } from '../types.js';
import { ceilingLine, compactThreshold, comparisonsOf, comparisonTable, differenceLine, flipLine, flipsSummary, formatThreshold, itemLine, misaligned, optimizeOutcome, plainText, searchCostText, unlabeledLine } from './format.js';

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

/** GitHub's limit on a step summary is 1 MiB; the summary stays well under it. */
export const SUMMARY_LIMIT = 512 * 1024;

/**
 * The run as Markdown: one compact table of suites (status, thresholds with their values,
 * items), then per failing suite its thresholds and misaligned items in `<details>`, then the
 * items flipped since a baseline. Details that would take it past SUMMARY_LIMIT are left to
 * the JSON and HTML reports, and it says so.
 */
export function markdownSummary(results: SuiteResult[], stats: RunStats, cwd: string, maxItems = 5): string {
  const count = (s: SuiteResult['status']) => results.filter((r) => r.status === s).length;
  const head = [
    '## judge-test',
    '',
    `${count('passed')} passed, ${count('failed')} failed, ${count('error')} errored, ${count('skipped')} skipped · ${stats.calls} provider calls, ${stats.cached} cached · ${(stats.durationMs / 1000).toFixed(1)} s`,
    '',
    '| | suite | thresholds | items |',
    '|---|---|---|---|',
    ...results.map((r) => {
      const thresholds = r.status === 'skipped' || r.thresholds.length === 0
        ? cell(r.message ?? (r.suite.loadError ? 'could not be loaded' : '—'))
        : r.thresholds.map((t) => `${t.status === 'passed' ? '' : t.status === 'insufficient' ? '❔ ' : '❌ '}${cell(compactThreshold(t))}`).join('<br>');
      const items = r.suite.earlyStop?.outcome ? `${r.suite.items.length} of ${r.suite.earlyStop.outcome.of} (decided early)` : String(r.suite.items.length);
      return `| ${ICON[r.status]} | ${cell(r.suite.name)}<br><sub>${cell(relativeTo(cwd, r.suite.file))} · ${cell(r.suite.loadError ? 'could not be loaded' : `${r.suite.judge.id} (${r.suite.judge.model ?? r.suite.judge.provider})`)}</sub> | ${thresholds} | ${items} |`;
    }),
  ];
  const unlabeled = results.map((r) => unlabeledLine(r.suite, relativeTo(cwd, r.suite.file))).filter((l): l is string => l !== null);
  if (unlabeled.length > 0) head.push('', ...[...new Set(unlabeled)].map((l) => `- ${cell(l)}`));
  for (const c of comparisonsOf(results)) {
    const [headRow, ...rows] = comparisonTable(c);
    head.push('', `### Judges compared: ${cell(c.suite)}`, '', `${c.recommended ? '✅' : '❌'} ${cell(c.recommendation)}`, '');
    head.push(`| ${headRow!.map(cell).join(' | ')} |`, `|${headRow!.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`));
    if (c.differences.length > 0) head.push('', ...c.differences.map((d) => `- ${cell(differenceLine(d))}`));
    head.push('', `Pareto front of ${cell(c.agreementMetric)} against cost: ${cell(c.front.join(', ') || 'none')}`);
  }
  const optimized = results.filter((r) => r.optimization);
  if (optimized.length > 0) {
    head.push('', '### --optimize', '');
    for (const r of optimized) {
      const o = r.optimization!;
      head.push(`- ${cell(r.suite.name)}: ${cell(optimizeOutcome(o))} · search cost: ${cell(searchCostText(o))}`);
      if (o.recheck.length > 0) head.push(`  - labels to re-check: ${cell(o.recheck.join(', '))}`);
    }
  }
  // Each block is whole or absent: a cut never leaves a <details> open or a table torn.
  const blocks = [
    ...results.filter((x) => x.status === 'failed' || x.status === 'error').map((r) => failingBlock(r, maxItems)),
    ...results.filter((r) => r.flips?.length).map((r) => flipsBlock(r, maxItems)),
  ];
  let text = head.join('\n') + '\n';
  let left = 0;
  for (const [i, block] of blocks.entries()) {
    if (text.length + block.length > SUMMARY_LIMIT) {
      left = blocks.length - i;
      break;
    }
    text += block;
  }
  if (left > 0) text += `\n${left} more section(s) left out to stay under GitHub's step-summary limit: every detail is in the JSON and HTML reports.\n`;
  return text;
}

function failingBlock(r: SuiteResult, maxItems: number): string {
  const lines = ['', `<details><summary>${ICON[r.status]} <b>${cell(r.suite.name)}</b>: ${r.status === 'error' ? 'errored' : `${r.thresholds.filter((t) => t.status !== 'passed').length} of ${r.thresholds.length} thresholds not met`}</summary>`, ''];
  if (r.message) lines.push(cell(r.message), '');
  if (r.thresholds.length) {
    lines.push('| | threshold |', '|---|---|');
    for (const t of r.thresholds) lines.push(`| ${t.status === 'passed' ? '✅' : t.status === 'insufficient' ? '❔' : '❌'} | ${cell(formatThreshold(t))} |`);
  }
  const ceiling = ceilingLine(r);
  if (ceiling) lines.push('', cell(ceiling));
  for (const g of misaligned(r)) {
    lines.push('', `**${cell(g.title)}** (${g.items.length})`, '');
    for (const i of g.items.slice(0, maxItems)) lines.push(`- ${cell(itemLine(i, 200))}`);
    if (g.items.length > maxItems) lines.push(`- … ${g.items.length - maxItems} more in the JSON and HTML reports`);
  }
  lines.push('', '</details>');
  return lines.join('\n') + '\n';
}

function flipsBlock(r: SuiteResult, maxItems: number): string {
  const flips = r.flips!;
  const lines = ['', `<details><summary>🔀 ${cell(r.suite.name)}: ${cell(flipsSummary(flips))}</summary>`, ''];
  for (const f of flips.slice(0, maxItems)) lines.push(`- ${f.kind === 'now_right' ? '✅' : '❌'} ${cell(flipLine(f, 200))}`);
  if (flips.length > maxItems) lines.push(`- … ${flips.length - maxItems} more in the JSON and HTML reports`);
  lines.push('', '</details>');
  return lines.join('\n') + '\n';
}
