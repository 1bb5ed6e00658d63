// `judge-test annotate <suite> --annotator <name>`: label a suite's items in the terminal.
import { findSuiteFiles } from '../config/discover.js';
import { loadSuiteForLabeling } from '../config/load-suite.js';
import { ConfigError } from '../errors.js';
import { annotate } from '../scaffold/annotate.js';
import { DEFAULT_SUITES_DIR } from '../settings/settings.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function annotateCommand(args: CliArgs, cwd: string): Promise<number> {
  const files = findSuiteFiles(cwd, args.dir ?? DEFAULT_SUITES_DIR, args.filters);
  if (files.length !== 1 || !args.annotator) throw new ConfigError(`annotate: expected one suite and --annotator <name> (the filter matched ${files.length} suites)`);
  const suite = loadSuiteForLabeling(files[0]!);
  if (!suite.itemsFile) throw new ConfigError('annotate: the suite lists its items inline; move them to a .jsonl file to annotate', { file: files[0]! });
  // Ctrl-C: every answer is already saved; leave at once.
  process.on('SIGINT', () => {
    process.stdout.write('\nStopped: every answer so far is saved.\n');
    process.exit(EXIT.interrupted);
  });
  await annotate(suite, args.annotator, suite.itemsFile, { input: process.stdin, output: process.stdout }, cwd);
  return EXIT.ok;
}
