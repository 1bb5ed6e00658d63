// `judge-test comment <summary.md>`: in a pull request's workflow, keep one comment on the PR
// with the run's Markdown summary (github/pr-comment.ts). Outside a pull request, or without
// the permission to comment, it says so and exits 0: the gate is the run's exit code, not this.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { upsertPrComment } from '../github/pr-comment.js';
import { escapeData } from '../report/github.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function commentCommand(args: CliArgs, cwd: string): Promise<number> {
  const [file] = args.filters;
  if (!file) throw new ConfigError('comment: expected judge-test comment <summary.md> (the markdown reporter\'s file)');
  let summary: string;
  try {
    summary = readFileSync(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new ConfigError(`comment: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const env = process.env;
  const out = (line: string) => process.stdout.write(line + '\n');
  const pr = pullRequestNumber(env.GITHUB_EVENT_PATH);
  if (pr === undefined) {
    out('judge-test comment: not a pull request event: no comment');
    return EXIT.ok;
  }
  if (!env.GITHUB_TOKEN || !env.GITHUB_REPOSITORY) {
    out('::warning::judge-test comment: GITHUB_TOKEN and GITHUB_REPOSITORY are needed to comment on the pull request');
    return EXIT.ok;
  }
  const outcome = await upsertPrComment({ api: env.GITHUB_API_URL ?? 'https://api.github.com', repo: env.GITHUB_REPOSITORY, pr, token: env.GITHUB_TOKEN }, summary);
  // The message can quote the API's answer: escaped, it cannot become a workflow command of its own.
  if ('message' in outcome) out(`::warning::${escapeData(`judge-test comment: ${outcome.message}`)}`);
  else out(`judge-test comment: ${outcome.action} comment ${outcome.id} on pull request #${pr}${'url' in outcome && outcome.url ? ` (${outcome.url})` : ''}`);
  return EXIT.ok;
}

/** The pull request's number from the workflow's event file, or undefined when the run is not for one. */
function pullRequestNumber(eventPath: string | undefined): number | undefined {
  if (!eventPath) return undefined;
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { number?: unknown }; issue?: { number?: unknown; pull_request?: unknown } };
    const n = event.pull_request?.number ?? (event.issue?.pull_request ? event.issue.number : undefined);
    return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
  } catch {
    return undefined;
  }
}
