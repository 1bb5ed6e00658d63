// `judge-test import <file> --suite <name>`: labeled (or unlabeled) rows from a CSV/JSONL file into a suite's data file.
import { ConfigError, relativeTo } from '../errors.js';
import { importItems } from '../scaffold/import.js';
import { DEFAULT_SUITES_DIR } from '../settings/settings.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function importCommand(args: CliArgs, cwd: string): Promise<number> {
  const [source] = args.filters;
  if (args.format !== undefined) {
    if (args.format !== 'label-studio') throw new ConfigError(`import: unknown --format "${args.format}"; known: label-studio`);
    if (!source || !args.importSuite) throw new ConfigError('import: expected judge-test import --format label-studio <export.json> --suite <name>');
    const { describeImport, importLabelStudio } = await import('../scaffold/label-studio.js');
    const r = importLabelStudio(cwd, { source, suite: args.importSuite, dir: args.dir ?? DEFAULT_SUITES_DIR });
    process.stdout.write(`${describeImport(r, cwd)}\n`);
    return EXIT.ok;
  }
  if (!source || !args.importSuite) throw new ConfigError('import: expected judge-test import <file.csv|jsonl> --suite <name>');
  const r = importItems(cwd, { source, suite: args.importSuite, columns: args.importColumns, ...(args.importLabelColumns ? { labelColumns: args.importLabelColumns } : {}), dir: args.dir ?? DEFAULT_SUITES_DIR });
  process.stdout.write(`Wrote ${r.items} ${r.unlabeled ? 'unlabeled ' : ''}item${r.items === 1 ? '' : 's'} to ${relativeTo(cwd, r.file)}\nNext: a suite file that names it (items: ./data/${args.importSuite}.jsonl) and a judge${r.unlabeled ? `; then label them: judge-test annotate <suite> --annotator <name>` : ''}.\n`);
  return EXIT.ok;
}
