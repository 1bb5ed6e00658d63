// `judge-test init`: a code judge, a suite of labeled anchors and a config that run with no key.
import { initProject } from '../scaffold/init.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function initCommand(_args: CliArgs, cwd: string): Promise<number> {
  const written = initProject(cwd);
  process.stdout.write(`Created ${written.join(', ')}\nRun it: npx judge-test\n`);
  return EXIT.ok;
}
