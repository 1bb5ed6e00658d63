// Find suite files: every .yaml/.yml under the suites directory, except inside `data/`
// folders (item files live there). Positional filters match on the path, like Vitest.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

const SKIP_DIRS = new Set(['data', 'node_modules']);
const SUITE_FILE = /\.ya?ml$/i;

export function findSuiteFiles(cwd: string, dir: string, filters: readonly string[]): string[] {
  const root = resolve(cwd, dir);
  // A filter that names an existing file runs it even outside the suites directory.
  const direct = filters.map((f) => resolve(cwd, f)).filter((f) => SUITE_FILE.test(f) && existsSync(f) && statSync(f).isFile());
  const patterns = filters.filter((f) => !direct.includes(resolve(cwd, f)));
  if (!existsSync(root)) {
    if (direct.length > 0 && patterns.length === 0) return direct;
    throw new ConfigError(`no suites directory ${relative(cwd, root) || root}: create it, or pass --dir <path>`);
  }
  const found = walk(root).filter((file) => {
    if (filters.length === 0) return true;
    const rel = relative(cwd, file);
    return patterns.some((p) => rel.includes(p));
  });
  return [...new Set([...direct, ...found])].sort();
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...walk(full));
    } else if (SUITE_FILE.test(entry.name)) {
      out.push(full);
    }
  }
  return out;
}
