// Exit codes, as the help text lists them, and how a run's outcome maps to one.
import { printable } from '../text/printable.js';
import type { RunStats, SuiteResult } from '../types.js';

export const EXIT = { ok: 0, failed: 1, config: 2, runtime: 3, interrupted: 130 } as const;

export function exitCodeOf(results: SuiteResult[], stats: RunStats): number {
  if (stats.cancelled) return EXIT.interrupted;
  if (results.some((r) => r.status === 'error')) return EXIT.runtime;
  if (results.some((r) => r.status === 'failed')) return EXIT.failed;
  return EXIT.ok;
}

/** One line on stderr, the way every error ends: `judge-test: <message>`. */
export function fail(message: string, code: number): number {
  process.stderr.write(`judge-test: ${printable(message)}\n`);
  return code;
}
