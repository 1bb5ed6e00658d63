// `judge-test export --format label-studio <suite> [--out dir]`: a suite's items as Label Studio
// tasks (<suite>.tasks.json) and the labeling config for its judge's scale (<suite>.config.xml).
import { basename, join, resolve } from 'node:path';
import { findSuiteFiles } from '../config/discover.js';
import { loadSuites } from '../config/load-suite.js';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { labelingConfig, labelStudioTasks } from '../scaffold/label-studio.js';
import { loadConfigFile } from '../settings/config-file.js';
import { suitesDir } from '../settings/settings.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function exportCommand(args: CliArgs, cwd: string): Promise<number> {
  if (args.format !== 'label-studio') throw new ConfigError(`export: expected --format label-studio${args.format ? `, got "${args.format}"` : ''}`);
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const files = findSuiteFiles(cwd, suitesDir(args, config), args.filters);
  if (files.length !== 1) throw new ConfigError(`export: expected one suite; the filter matched ${files.length}`);
  const suite = loadSuites(files[0]!)[0]!;
  if (suite.criterion !== undefined || suite.judge.criteria) throw new ConfigError('export: a multi-criteria suite is not supported yet (one label control per criterion)', { file: files[0]! });
  const out = resolve(cwd, args.out ?? 'label-studio');
  const base = basename(files[0]!).replace(/\.ya?ml$/i, '');
  const fields = [...new Set(suite.items.flatMap((it) => Object.keys(it.fields)))];
  const tasks = join(out, `${base}.tasks.json`);
  const xml = join(out, `${base}.config.xml`);
  writeFileAtomic(tasks, JSON.stringify(labelStudioTasks(suite.items), null, 1) + '\n');
  writeFileAtomic(xml, labelingConfig(suite.judge.scale, fields));
  process.stdout.write(`Wrote ${suite.items.length} task(s) to ${relativeTo(cwd, tasks)} and the labeling config to ${relativeTo(cwd, xml)}\nIn Label Studio: create a project, paste the config under Labeling Interface, import the tasks; export as JSON, then: judge-test import --format label-studio <export.json> --suite <name>\n`);
  return EXIT.ok;
}
