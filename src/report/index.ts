// The reporter registry: `--reporter <name>` (repeatable) with `--outputFile[.<name>] <path>`.
import type { Reporter } from '../types.js';
import { DefaultReporter } from './default.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';

export const REPORTERS = ['default', 'junit', 'json'] as const;
export type ReporterName = (typeof REPORTERS)[number];

export function createReporter(name: ReporterName, cwd: string, outputFile?: string): Reporter {
  switch (name) {
    case 'default':
      return new DefaultReporter({ cwd, progress: process.stderr });
    case 'junit':
      return new JunitReporter({ cwd, ...(outputFile ? { outputFile } : {}) });
    case 'json':
      return new JsonReporter({ cwd, ...(outputFile ? { outputFile } : {}) });
  }
}
