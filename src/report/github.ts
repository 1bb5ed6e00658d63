// The `github` reporter: workflow-command annotations on the suite YAML line of every
// threshold that did not pass, and the Markdown summary appended to $GITHUB_STEP_SUMMARY.
import { relativeTo } from '../errors.js';
import type { Reporter, RunStats, SuiteResult } from '../types.js';
import { formatThreshold, plainText } from './format.js';
import { markdownSummary } from './markdown-summary.js';
import { redactSecrets } from '../secrets/redact.js';
import { appendReport } from './output.js';

/** Escape a workflow-command message (data) or property value, as the Actions toolkit does. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotations(results: SuiteResult[], cwd: string): string[] {
  const out: string[] = [];
  const command = (level: 'error' | 'warning', file: string, line: number, col: number, title: string, message: string) =>
    // Every part from files (path, suite name, message) without control characters: the line is read by the runner.
    `::${level} file=${escapeProperty(plainText(relativeTo(cwd, file)))},line=${line},col=${col},title=${escapeProperty(plainText(title))}::${escapeData(plainText(message))}`;
  for (const r of results) {
    const at = r.suite.loadError?.at ?? { file: r.suite.file, line: 1, column: 1 };
    if (r.status === 'error') out.push(command('error', at.file, at.line, at.column, `judge-test: ${r.suite.name}`, r.message ?? 'error'));
    for (const t of r.thresholds) {
      if (t.status === 'passed') continue;
      const level = t.status === 'insufficient' ? 'warning' : 'error';
      out.push(command(level, t.source.file, t.source.line, t.source.column, `judge-test: ${r.suite.name}`, formatThreshold(t)));
    }
  }
  return out;
}

export class GithubReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; env?: NodeJS.ProcessEnv; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const out = this.opts.out ?? process.stdout;
    for (const line of annotations(results, this.opts.cwd)) out.write(redactSecrets(line) + '\n');
    // GitHub collects each step's summary from this file; steps append to it.
    const summary = (this.opts.env ?? process.env).GITHUB_STEP_SUMMARY;
    if (summary) appendReport(summary, markdownSummary(results, stats, this.opts.cwd), 'GitHub step summary');
  }
}
