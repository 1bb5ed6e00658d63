// `judge-test optimize apply <suite> <candidate>`: write one logged --optimize candidate into the judge file.
import { findSuiteFiles } from '../config/discover.js';
import { loadSuites } from '../config/load-suite.js';
import { ConfigError, relativeTo } from '../errors.js';
import { applyCandidate } from '../optimize/apply-candidate.js';
import { loadConfigFile } from '../settings/config-file.js';
import { suitesDir } from '../settings/settings.js';
import { printable, printableLines } from '../text/printable.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function optimizeCommand(args: CliArgs, cwd: string): Promise<number> {
  const [action, suiteArg, id, ...rest] = args.filters;
  if (action !== 'apply' || !suiteArg || !id || rest.length > 0) throw new ConfigError('optimize: expected `optimize apply <suite> <candidate>` (a candidate is "<round>.<index>", as the --optimize report numbers them)');
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const files = findSuiteFiles(cwd, suitesDir(args, config), [suiteArg]);
  if (files.length !== 1) throw new ConfigError(`optimize apply: "${suiteArg}" must match one suite file; it matches ${files.length}`);
  const suite = loadSuites(files[0]!)[0]!;
  const applied = applyCandidate(suite, id, cwd);
  const out = (line: string) => process.stdout.write(line + '\n');
  const file = printable(relativeTo(cwd, applied.file));
  const c = applied.candidate;
  out(`candidate ${c.round}.${c.index} (${c.decision}: ${printable(c.reason)})`);
  if (!applied.changed) {
    out(`${file} already has it: unchanged`);
    return EXIT.ok;
  }
  for (const line of printableLines(applied.diff).split('\n').filter((l) => l !== '' && !l.startsWith('==='))) out(line);
  out(`Rewrote ${file}`);
  return EXIT.ok;
}
