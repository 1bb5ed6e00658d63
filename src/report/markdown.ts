// The `markdown` reporter: the run's summary as Markdown, for a PR comment.
import { emitReport } from './output.js';
import type { Reporter, RunStats, SuiteResult } from '../types.js';
import { markdownSummary } from './markdown-summary.js';

export class MarkdownReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const text = markdownSummary(results, stats, this.opts.cwd);
    emitReport(this.opts, text, 'markdown');
  }
}
