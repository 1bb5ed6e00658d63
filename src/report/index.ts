// The reporter registry: `--reporter <name>` (repeatable) with `--outputFile[.<name>] <path>`.
// Each reporter is imported only when asked for (junit-report-builder alone costs ~90 ms to load).
import type { Reporter } from '../types.js';

export const REPORTERS = ['default', 'junit', 'json', 'github', 'markdown', 'html', 'blob'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export async function createReporter(name: ReporterName, cwd: string, outputFile?: string, shard?: string): Promise<Reporter> {
  const file = outputFile ? { outputFile } : {};
  switch (name) {
    case 'default':
      return new (await import('./default.js')).DefaultReporter({ cwd, progress: process.stderr });
    case 'junit':
      return new (await import('./junit.js')).JunitReporter({ cwd, ...file });
    case 'json':
      return new (await import('./json.js')).JsonReporter({ cwd, ...file });
    case 'github':
      return new (await import('./github.js')).GithubReporter({ cwd });
    case 'markdown':
      return new (await import('./markdown.js')).MarkdownReporter({ cwd, ...file });
    case 'html':
      return new (await import('./html.js')).HtmlReporter({ cwd, ...file });
    case 'blob':
      return new (await import('./blob.js')).BlobReporter({ cwd, shard: shard ?? null, ...file });
  }
}
