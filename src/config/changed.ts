// --changed [ref]: which suites the files changed since a git ref touch, as git reports them.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ConfigError, relativeTo } from '../errors.js';
import type { ResolvedSuite } from '../types.js';

export interface ChangedSelection {
  ref: string;
  selected: { suite: ResolvedSuite; because: string[] }[];
  skipped: number;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '').trim().split('\n')[0];
    throw new ConfigError(`--changed: git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

/** The merge base of HEAD with the default branch (origin's HEAD, else main or master). */
function defaultRef(cwd: string): string {
  let branch = '';
  try {
    branch = execFileSync('git', ['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    for (const candidate of ['main', 'master']) {
      try {
        execFileSync('git', ['rev-parse', '--verify', '--quiet', candidate], { cwd, stdio: 'ignore' });
        branch = candidate;
        break;
      } catch {
        // try the next name
      }
    }
  }
  if (!branch) throw new ConfigError('--changed: no default branch found (origin/HEAD, main or master); name a ref: --changed <ref>');
  return git(cwd, ['merge-base', 'HEAD', branch]);
}

export function selectChanged(suites: ResolvedSuite[], cwd: string, ref: string): ChangedSelection {
  const root = git(cwd, ['rev-parse', '--show-toplevel']);
  const since = ref || defaultRef(cwd);
  // Committed changes since the ref, staged and unstaged edits, and new untracked files.
  const files = [
    ...git(cwd, ['diff', '--name-only', since]).split('\n'),
    ...git(cwd, ['ls-files', '--others', '--exclude-standard']).split('\n'),
  ]
    .filter(Boolean)
    .map((f) => resolve(root, f));
  const changed = new Set(files);
  const selected = suites.flatMap((suite) => {
    const because = suite.dependencies.filter((d) => changed.has(d)).map((d) => relativeTo(cwd, d));
    return because.length ? [{ suite, because }] : [];
  });
  return { ref: ref || `merge base ${since.slice(0, 12)}`, selected, skipped: suites.length - selected.length };
}
