// --changed [ref]: which suites the files changed since a git ref touch, as git reports them.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { ConfigError, relativeTo } from '../errors.js';
import type { ResolvedSuite } from '../types.js';

export interface ChangedSelection {
  ref: string;
  selected: { suite: ResolvedSuite; because: string[] }[];
  skipped: number;
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
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
  return git(cwd, ['merge-base', 'HEAD', branch]).trim();
}

/**
 * `cacheDir`: a change to a judge's committed cache file selects its suites too — a pull
 * request can edit the verdicts a run replays.
 */
export function selectChanged(suites: ResolvedSuite[], cwd: string, ref: string, cacheDir: string): ChangedSelection {
  const root = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  const since = ref || defaultRef(cwd);
  // Committed changes since the ref, staged and unstaged edits, and new untracked files. With
  // -z git neither quotes nor escapes paths (core.quotePath would turn "é" into "\303\251").
  const files = [...git(cwd, ['diff', '--name-only', '-z', since]).split('\0'), ...git(cwd, ['ls-files', '-z', '--others', '--exclude-standard']).split('\0')]
    .filter(Boolean)
    .map((f) => resolve(root, f));
  const changed = new Set(files);
  const selected = suites.flatMap((suite) => {
    const touched = [...suite.dependencies, join(cacheDir, `${suite.judge.id}.jsonl`)];
    const because = touched.filter((d) => changed.has(d)).map((d) => relativeTo(cwd, d));
    return because.length ? [{ suite, because }] : [];
  });
  return { ref: ref || `merge base ${since.slice(0, 12)}`, selected, skipped: suites.length - selected.length };
}
