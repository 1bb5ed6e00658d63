// The `markdown` reporter: the run's summary as Markdown, for a PR comment.
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Reporter, RunStats, SuiteResult } from '../types.js';
import { markdownSummary } from './markdown-summary.js';

export class MarkdownReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    const text = markdownSummary(results, stats, this.opts.cwd);
    if (this.opts.outputFile) writeFileAtomic(this.opts.outputFile, text);
    else (this.opts.out ?? process.stdout).write(text);
  }
}
