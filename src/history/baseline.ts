// Baselines, like Vitest snapshots: `judge-test --update` records each suite's metrics and
// verdicts next to it (<suite>.baseline.json, committed); `max_drop` thresholds and the
// reports' deltas compare the current run with it.
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Baseline, SuiteResult } from '../types.js';

export function baselineFile(suiteFile: string): string {
  return suiteFile.replace(/\.ya?ml$/i, '') + '.baseline.json';
}

export function readBaseline(suiteFile: string): Baseline | undefined {
  return readBaselineFile(baselineFile(suiteFile));
}

export function readBaselineFile(file: string): Baseline | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const b = JSON.parse(readFileSync(file, 'utf8')) as Baseline;
    if (typeof b.metrics !== 'object' || typeof b.verdicts !== 'object') throw new Error('expected "metrics" and "verdicts"');
    return b;
  } catch (err) {
    throw new ConfigError(`invalid baseline (${(err as Error).message}); fix it or rewrite it with judge-test --update`, { file });
  }
}

/** Sorted keys and one item per line: a re-run with no change writes the same bytes. */
export function writeBaseline(result: SuiteResult): string {
  const metrics = Object.fromEntries(
    Object.entries(result.metrics)
      .filter(([, m]) => m.value !== null)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, m]) => [k, m.value!]),
  );
  const verdicts = Object.fromEntries(
    result.items
      .filter((r) => r.verdict.status === 'ok')
      .map((r) => [r.item.id, r.verdict.label!] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const baseline: Baseline = { suite: result.suite.name, judge: result.suite.judge.id, model: result.suite.judge.model ?? null, metrics, verdicts };
  const file = result.suite.baselineFile ?? baselineFile(result.suite.file);
  writeFileAtomic(file, JSON.stringify(baseline, null, 1) + '\n');
  return file;
}
