// CLI wiring only: parse arguments, hand them to the subcommand (or a run), map errors to an
// exit code. Everything else is imported lazily so `--help` and `--version` stay as fast as a
// bare node.
import { readFileSync } from 'node:fs';
import { helpText, parseArgs, UsageError, type CliArgs } from './args.js';
import { COMMANDS } from './commands.js';
import { EXIT, fail } from './exit.js';

export { EXIT } from './exit.js';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: readonly string[], cwd = process.cwd()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv, Object.keys(COMMANDS));
  } catch (err) {
    if (err instanceof UsageError) return fail(err.message, EXIT.config);
    throw err;
  }
  if (args.version) {
    process.stdout.write(version() + '\n');
    return EXIT.ok;
  }
  if (args.help) {
    process.stdout.write(helpText(version(), Object.values(COMMANDS).map((c) => c.usage)));
    return EXIT.ok;
  }
  const [{ ConfigError }, { redactSecrets }] = await Promise.all([import('../errors.js'), import('../secrets/redact.js')]);
  try {
    const command = args.command === undefined ? await import('./run.js') : await COMMANDS[args.command]!.load();
    return await command.default(args, cwd);
  } catch (err) {
    if (err instanceof ConfigError) return fail(redactSecrets(err.format(cwd)), EXIT.config);
    const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
    return fail(`internal error: ${redactSecrets(message)}`, EXIT.runtime);
  }
}
