// The console reporter, Vitest-quiet: a passing suite is one line (its thresholds with their
// values); a failing one expands to its thresholds, confusion matrix and the items behind the
// numbers; the failures again at the end with file:line, then the totals. `verbose` also
// prints every metric, the human ceiling and the intervals of passing suites.
import { createColors } from 'picocolors';
import { relativeTo } from '../errors.js';
import { redactSecrets } from '../secrets/redact.js';
import { printable } from '../text/printable.js';
import type { ItemResult, Reporter, ResolvedSuite, RunPlan, RunStats, SuiteResult } from '../types.js';
import { optimizationLines } from './optimize-text.js';
import { ceilingLine, compactThreshold, comparisonsOf, comparisonTable, costLine, DIFFERENT_REASON_BELOW, differenceLine, earlyStopText, flipLine, flipsSummary, formatDuration, formatMetric, formatThreshold, isPanelMetric, itemLine, misaligned, partition, plural, rightForAnotherReason, unlabeledLine } from './format.js';

/** Where the items the console leaves out are: a report the default run does not write, named so it can be asked for. */
const MORE = 'every item is in --reporter html (or json)';

export interface DefaultReporterOptions {
  cwd: string;
  out?: NodeJS.WritableStream;
  /** Where progress goes: a redrawn line on a TTY, else (CI logs) a plain line every 10 s. */
  progress?: NodeJS.WriteStream;
  now?: () => number;
  /** How many items to list per kind of misalignment. */
  maxItems?: number;
  env?: NodeJS.ProcessEnv;
  /** Every suite in full: each threshold, every metric, the human ceiling (`--reporter verbose`, `--verbose`). */
  verbose?: boolean;
}

/** Colors on a TTY, off for NO_COLOR and for pipes and CI logs, unless FORCE_COLOR asks. */
export function useColor(out: NodeJS.WritableStream, env: NodeJS.ProcessEnv): boolean {
  if ('NO_COLOR' in env) return false;
  if ('FORCE_COLOR' in env) return env.FORCE_COLOR !== '0';
  return (out as NodeJS.WriteStream).isTTY === true && env.TERM !== 'dumb';
}

export class DefaultReporter implements Reporter {
  private readonly out: NodeJS.WritableStream;
  private readonly progress: NodeJS.WriteStream | undefined;
  private readonly tty: boolean;
  private readonly now: () => number;
  private total = 0;
  private done = 0;
  /** Items judged this run (an item of several criterion views once): what the summary counts. */
  private judged = 0;
  /** The ids counted per multi-criteria suite file (plain suites need no set: a million ids). */
  private readonly criterionItems = new Map<string, Set<string>>();
  private lastDraw = 0;
  private progressShown = false;
  private readonly pc: ReturnType<typeof createColors>;

  constructor(private readonly opts: DefaultReporterOptions) {
    this.out = opts.out ?? process.stdout;
    this.progress = opts.progress;
    this.tty = opts.progress?.isTTY === true;
    this.now = opts.now ?? Date.now;
    this.pc = createColors(useColor(this.out, opts.env ?? process.env));
  }

  onRunStart(plan: RunPlan): void {
    this.total = plan.totalItems;
    this.done = 0;
    this.judged = 0;
    this.criterionItems.clear();
    this.lastDraw = this.now();
  }

  onItemDone(suite: ResolvedSuite, result: ItemResult): void {
    this.done++;
    if (suite.criterion === undefined) this.judged++;
    else {
      let ids = this.criterionItems.get(suite.file);
      if (!ids) this.criterionItems.set(suite.file, (ids = new Set()));
      if (!ids.has(result.item.id)) (ids.add(result.item.id), this.judged++);
    }
    if (!this.progress) return;
    const now = this.now();
    if (this.tty) {
      if (now - this.lastDraw < 100 && this.done < this.total) return;
      this.progress.write(`\r${this.pc.dim(`judging ${this.done}/${this.total} items`)}\x1b[K`);
      this.progressShown = true;
    } else {
      // A CI log gets a line now and then, so a long run does not look hung.
      if (now - this.lastDraw < 10_000 || this.done === this.total) return;
      this.progress.write(`judging ${this.done}/${this.total} items\n`);
    }
    this.lastDraw = now;
  }

  onSuiteDone(result: SuiteResult): void {
    this.clearProgress();
    this.out.write(redactSecrets(this.formatSuite(result)));
  }

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    this.clearProgress();
    const count = (s: SuiteResult['status']) => results.filter((r) => r.status === s).length;
    const parts = [
      count('passed') && this.pc.green(`${count('passed')} passed`),
      count('failed') && this.pc.red(`${count('failed')} failed`),
      count('error') && this.pc.red(`${count('error')} errored`),
      count('skipped') && this.pc.yellow(`${count('skipped')} skipped`),
    ].filter(Boolean);
    // Items, not verdicts: the criterion views of a multi-criteria suite share their items.
    const [views, plain] = partition(results, (r) => r.suite.criterion !== undefined);
    // A suite cut short (Ctrl-C, --max-cost) reports no items, but what it judged was judged.
    const items = Math.max(this.judged, plain.reduce((a, r) => a + r.items.length, 0) + new Set(views.flatMap((r) => r.items.map((i) => `${r.suite.file}\u0000${i.item.id}`))).size);
    const lines = [
      '',
      ` ${this.pc.dim('Suites')}    ${parts.join(this.pc.dim(' | '))} ${this.pc.dim(`(${results.length})`)}`,
      ` ${this.pc.dim('Items')}     ${items} judged ${this.pc.dim(`(${stats.calls} provider calls, ${stats.cached} cached${stats.local ? `, ${stats.local} local` : ''}${stats.errors ? `, ${stats.errors} errors` : ''})`)}`,
      ` ${this.pc.dim('Duration')}  ${(stats.durationMs / 1000).toFixed(2)}s`,
    ];
    const cost = costLine(stats);
    if (cost) lines.splice(3, 0, ` ${this.pc.dim('Cost')}      ${cost}`);
    if (stats.cancelled) lines.push(this.pc.yellow(` Cancelled: the report above is partial; ${stats.cacheOff ? '--no-cache: nothing was cached.' : 'finished verdicts are cached.'}`));
    this.out.write(redactSecrets([...this.comparisonLines(results), ...this.failureSummary(results), ...lines].join('\n') + '\n'));
  }

  private clearProgress(): void {
    if (this.tty && this.progress && this.progressShown) {
      this.progress.write('\r\x1b[K');
      this.progressShown = false;
    }
  }

  /** Each group of judges compared on the same items: a table, the paired differences, the recommendation. */
  private comparisonLines(results: readonly SuiteResult[]): string[] {
    const pc = this.pc;
    const lines: string[] = [];
    for (const c of comparisonsOf(results)) {
      const table = comparisonTable(c);
      const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => printable(row[i]!).length)));
      const fmt = (row: string[]) => `   ${row.map((cell, i) => printable(cell).padEnd(widths[i]!)).join('  ')}`.trimEnd();
      lines.push('', pc.bold(` Judges compared: ${printable(relativeTo(this.opts.cwd, c.file))} > ${printable(c.suite)} (${c.rows.length} judges)`), pc.dim(fmt(table[0]!)));
      table.slice(1).forEach((row, i) => {
        const status = c.rows[i]!.status;
        const line = fmt(row);
        lines.push(status === 'passed' ? line : status === 'skipped' ? pc.yellow(line) : pc.red(line));
      });
      for (const d of c.differences) lines.push(d.beyondNoise ? `   ${printable(differenceLine(d))}` : pc.dim(`   ${printable(differenceLine(d))}`));
      lines.push(`   ${c.recommended ? pc.green(`Recommended: ${printable(c.recommendation)}`) : pc.yellow(printable(c.recommendation))}`);
      lines.push(pc.dim(`   Pareto front of ${c.agreementMetric} against cost: ${printable(c.front.join(', ') || 'none')}`));
    }
    return lines;
  }

  /** Vitest's closing list: every failed or errored suite again, each failing threshold with its file:line. */
  private failureSummary(results: readonly SuiteResult[]): string[] {
    const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
    if (bad.length === 0) return [];
    const rel = (f: string) => printable(relativeTo(this.opts.cwd, f));
    const lines = ['', this.pc.red(this.pc.bold(` Failed suites (${bad.length})`))];
    for (const r of bad) {
      const name = `${rel(r.suite.file)} ${this.pc.dim('>')} ${printable(r.suite.name)}`;
      if (r.status === 'error') {
        // A load error's message starts with its file:line:col already.
        lines.push(` ${this.pc.red('✗')} ${name}: ${this.pc.red(printable(r.message ?? 'error'))}`);
        continue;
      }
      const failing = r.thresholds.filter((t) => t.status === 'failed' || (t.status === 'insufficient' && !t.advisory));
      if (failing.length === 0) lines.push(` ${this.pc.red('✗')} ${name}: ${printable(r.message ?? 'failed')}`);
      for (const t of failing) lines.push(` ${t.status === 'failed' ? this.pc.red('✗') : this.pc.yellow('?')} ${rel(t.source.file)}:${t.source.line}:${t.source.column} ${this.pc.dim('>')} ${printable(r.suite.name)} ${this.pc.dim('›')} ${printable(formatThreshold(t))}`);
    }
    return lines;
  }

  private formatSuite(r: SuiteResult): string {
    const file = relativeTo(this.opts.cwd, r.suite.file);
    const j = r.suite.judge;
    const icon = r.status === 'passed' ? this.pc.green('✓') : r.status === 'skipped' ? this.pc.yellow('↓') : this.pc.red('✗');
    const name = ` ${icon} ${printable(file)} ${this.pc.dim('>')} ${printable(r.suite.name)}`;
    const quiet = !this.opts.verbose && (r.status === 'passed' || r.status === 'skipped');
    if (quiet) return this.quietSuite(r, name, file);
    const about = r.suite.loadError ? 'could not be loaded' : `[${printable(j.id)} · ${printable(j.model ?? j.provider)}] ${plural(r.suite.items.length, 'item')}`;
    const lines = [`${name} ${this.pc.dim(about)}`];
    if (r.suite.earlyStop?.outcome) lines.push(`     ${this.pc.dim(earlyStopText(r.suite))}`);
    if (r.message) lines.push(`     ${r.status === 'skipped' ? this.pc.yellow(printable(r.message)) : this.pc.red(printable(r.message))}`);
    const unlabeled = unlabeledLine(r.suite, file);
    if (unlabeled) lines.push(`     ${this.pc.yellow(printable(unlabeled))}`);
    for (const t of r.thresholds) {
      const mark = t.status === 'passed' ? this.pc.green('✓') : t.status === 'insufficient' ? this.pc.yellow('?') : this.pc.red('✗');
      lines.push(`     ${mark} ${printable(formatThreshold(t))}`);
    }
    if (r.status !== 'skipped' && r.items.length > 0 && !this.opts.verbose) {
      const ceiling = ceilingLine(r);
      if (ceiling) lines.push(this.pc.dim(`     ${printable(ceiling)}`));
    }
    if (r.status !== 'skipped' && r.items.length > 0 && this.opts.verbose) {
      // The other metrics, dimmed: judge vs humans first, then the humans among themselves.
      const untracked = Object.entries(r.metrics).filter(([name, m]) => m.value !== null && !r.thresholds.some((t) => t.metric === name));
      const [panel, judge] = partition(untracked, ([name]) => isPanelMetric(name));
      if (judge.length > 0) lines.push(this.pc.dim(`     ${judge.map(([n, m]) => formatMetric(n, m)).join(' · ')}`));
      if (panel.length > 0) lines.push(this.pc.dim(`     human ceiling: ${panel.map(([n, m]) => formatMetric(n, m)).join(' · ')}`));
    }
    if (r.status === 'failed' || r.status === 'error') lines.push(...this.details(r));
    lines.push(...this.flipLines(r, this.opts.maxItems ?? 5));
    const otherReason = rightForAnotherReason(r);
    if (otherReason.length > 0) {
      const max = this.opts.maxItems ?? 5;
      lines.push(`     ${this.pc.bold(`Right verdict, another reason (semantic similarity of reason and note < ${DIFFERENT_REASON_BELOW})`)} ${this.pc.dim(`(${otherReason.length})`)}`);
      for (const item of otherReason.slice(0, max)) lines.push(`       ${printable(itemLine(item))}`);
      if (otherReason.length > max) lines.push(this.pc.dim(`       … ${otherReason.length - max} more: ${MORE}`));
    }
    if (r.optimization) lines.push(...optimizationLines(r.optimization, r.suite.file, this.pc, (f) => relativeTo(this.opts.cwd, f)));
    else if (r.optimizationNote) lines.push(`     ${this.pc.yellow(`Not optimized: ${printable(r.optimizationNote)}`)}`);
    return lines.join('\n') + '\n';
  }

  /** A passing or skipped suite in one line (plus a warning or an --optimize section if it has one). */
  private quietSuite(r: SuiteResult, name: string, file: string): string {
    const pc = this.pc;
    const parts = r.status === 'skipped'
      ? [pc.yellow(`skipped: ${printable(r.message ?? '')}`)]
      : [
          r.thresholds.map((t) => (t.status === 'passed' ? printable(compactThreshold(t)) : pc.yellow(printable(compactThreshold(t))))).join(pc.dim(' · ')),
          pc.dim(`${plural(r.suite.items.length, 'item')} ${formatDuration(r.durationMs)}`),
          r.suite.panelMember !== undefined ? pc.dim(`(a member of panel "${printable(r.suite.panelMember)}": reported, not gating)`) : '',
          r.suite.earlyStop?.outcome ? pc.dim(`(${earlyStopText(r.suite)})`) : '',
        ];
    const lines = [`${name}  ${parts.filter(Boolean).join('  ')}`];
    const unlabeled = unlabeledLine(r.suite, file);
    if (unlabeled) lines.push(`     ${pc.yellow(printable(unlabeled))}`);
    lines.push(...this.flipLines(r, 3));
    if (r.optimization) lines.push(...optimizationLines(r.optimization, r.suite.file, pc, (f) => relativeTo(this.opts.cwd, f)));
    else if (r.optimizationNote) lines.push(`     ${pc.yellow(`Not optimized: ${printable(r.optimizationNote)}`)}`);
    return lines.join('\n') + '\n';
  }

  /** The items whose verdict changed since the baseline: the count, then a few of each kind. */
  private flipLines(r: SuiteResult, max: number): string[] {
    const flips = r.flips ?? [];
    if (flips.length === 0) return [];
    const pc = this.pc;
    const lines = [`     ${pc.bold(flipsSummary(flips))}`];
    for (const kind of ['now_wrong', 'now_right', 'changed'] as const) {
      const of = flips.filter((f) => f.kind === kind);
      const mark = kind === 'now_right' ? pc.green('✓') : pc.red('✗');
      for (const f of of.slice(0, max)) lines.push(`       ${mark} ${printable(flipLine(f))}`);
      if (of.length > max) lines.push(pc.dim(`         … ${of.length - max} more: ${MORE}`));
    }
    return lines;
  }

  private details(r: SuiteResult): string[] {
    const lines: string[] = [];
    const { labels, counts } = r.confusion;
    if (labels.length > 0 && labels.length <= 10 && counts.some((row) => row.some((c) => c > 0))) {
      const width = Math.max(6, ...labels.map((l) => String(l).length + 1));
      const cell = (s: string) => s.padStart(width);
      lines.push(this.pc.dim(`     Confusion (rows: humans, columns: judge)`));
      lines.push(`     ${cell('')}${labels.map((l) => cell(printable(String(l)))).join('')}`);
      counts.forEach((row, i) => lines.push(`     ${cell(printable(String(labels[i])))}${row.map((c) => cell(String(c))).join('')}`));
    }
    const max = this.opts.maxItems ?? 5;
    for (const group of misaligned(r)) {
      lines.push(`     ${this.pc.bold(group.title)} ${this.pc.dim(`(${group.items.length})`)}`);
      for (const item of group.items.slice(0, max)) lines.push(`       ${printable(itemLine(item))}`);
      if (group.items.length > max) lines.push(this.pc.dim(`       … ${group.items.length - max} more: ${MORE}`));
    }
    return lines;
  }
}
