// Baselines, like Vitest snapshots: `judge-test --update` records each suite's metrics and
// verdicts next to it (<suite>.baseline.json, committed); `max_drop` thresholds and the
// reports' deltas compare the current run with it.
import { existsSync, readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError } from '../errors.js';
import { redactSecrets } from '../secrets/redact.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Baseline, SuiteResult } from '../types.js';

export function baselineFile(suiteFile: string): string {
  return suiteFile.replace(/\.ya?ml$/i, '') + '.baseline.json';
}

export function readBaseline(suiteFile: string): Baseline | undefined {
  return readBaselineFile(baselineFile(suiteFile));
}

// A baseline can come from a pull request: every field is checked, nothing is trusted.
const label = z.union([z.string(), z.number()]);
const baselineSchema = z.object({
  suite: z.string(),
  judge: z.string(),
  model: z.string().nullable(),
  metrics: z.record(z.string(), z.number()),
  // Older baselines kept no verdicts: they still gate, and list no flipped items.
  verdicts: z.record(z.string(), label).default({}),
  reasons: z.record(z.string(), z.string()).optional(),
});

export function readBaselineFile(file: string): Baseline | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = baselineSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`${issue.path.join('.') || 'the file'}: ${issue.message}`);
    }
    const b: Baseline = { suite: parsed.data.suite, judge: parsed.data.judge, model: parsed.data.model, metrics: parsed.data.metrics, verdicts: parsed.data.verdicts };
    if (parsed.data.reasons) b.reasons = parsed.data.reasons;
    return b;
  } catch (err) {
    throw new ConfigError(`invalid baseline (${(err as Error).message}); fix it or rewrite it with judge-test --update`, { file });
  }
}

/** A reason kept in a baseline: secrets out, at most this long. */
const MAX_REASON = 400;

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
  const reasons = Object.fromEntries(
    result.items
      .filter((r) => r.verdict.status === 'ok' && r.verdict.reason)
      .map((r) => [r.item.id, clipReason(redactSecrets(r.verdict.reason!))] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
  const baseline: Baseline = { suite: result.suite.name, judge: result.suite.judge.id, model: result.suite.judge.model ?? null, metrics, verdicts, reasons };
  const file = result.suite.baselineFile ?? baselineFile(result.suite.file);
  writeFileAtomic(file, JSON.stringify(baseline, null, 1) + '\n');
  return file;
}

function clipReason(reason: string): string {
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
}
