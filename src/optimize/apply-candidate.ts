// `judge-test optimize apply <suite> <candidate>`: write one candidate from a search's log into
// the judge file, exactly as --optimize would have written it had it accepted that one. The
// log may come from an untrusted pull request: it is validated, and it must belong to the
// judge file as it is now (its SHA-256), or nothing is written.
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError, relativeTo } from '../errors.js';
import type { CandidateLog, ResolvedSuite } from '../types.js';
import { applyRewrite, planRewrite, rewriteDiff } from './rewrite-judge.js';
import { optimizeLogFile, sha256 } from './run-optimize.js';

const label = z.union([z.string(), z.number()]);
const fewShot = z.object({ fields: z.record(z.string(), z.unknown()), verdict: label, verdicts: z.record(z.string(), label).optional(), reason: z.string().optional() });
const logSchema = z.object({
  judgeSha256: z.string().regex(/^[0-9a-f]{64}$/),
  rounds: z.array(
    z.object({
      candidates: z.array(
        z.object({ round: z.number().int(), index: z.number().int(), rubric: z.string().min(1), exampleSet: z.array(fewShot), decision: z.enum(['accepted', 'rejected']), reason: z.string() }),
      ),
    }),
  ),
});

export interface AppliedCandidate {
  file: string;
  diff: string;
  candidate: Pick<CandidateLog, 'round' | 'index' | 'decision' | 'reason'>;
  /** False when the judge file already says exactly this. */
  changed: boolean;
}

/** Write candidate `id` ("<round>.<index>", as the report numbers them) of the suite's last search log. */
export function applyCandidate(suite: ResolvedSuite, id: string, cwd: string): AppliedCandidate {
  const logFile = optimizeLogFile(suite.file);
  const where = { file: logFile };
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    throw new ConfigError(`optimize apply: no search log for this suite (${relativeTo(cwd, logFile)}); run judge-test --optimize --dry-run first`, where);
  }
  let parsed: z.infer<typeof logSchema>;
  try {
    parsed = logSchema.parse(JSON.parse(text));
  } catch (err) {
    const first = err instanceof z.ZodError ? err.issues[0] : undefined;
    throw new ConfigError(`optimize apply: not a search log${first ? ` (${first.path.join('.')}: ${first.message})` : ': invalid JSON'}`, where);
  }
  const match = /^(\d+)\.(\d+)$/.exec(id);
  const candidates = parsed.rounds.flatMap((r) => r.candidates);
  const candidate = match ? candidates.find((c) => c.round === Number(match[1]) && c.index === Number(match[2])) : undefined;
  if (!candidate) throw new ConfigError(`optimize apply: no candidate "${id}" in the log; it has ${candidates.map((c) => `${c.round}.${c.index}`).join(', ') || 'none'}`, where);
  const judgeFile = suite.judge.file;
  if (sha256(readFileSync(judgeFile)) !== parsed.judgeSha256) {
    throw new ConfigError(`optimize apply: ${relativeTo(cwd, judgeFile)} changed since the search that logged candidate ${id}; run --optimize again`, where);
  }
  const same = JSON.stringify(candidate.exampleSet) === JSON.stringify(suite.judge.examples);
  const rewrite = planRewrite(suite.judge, suite.file, candidate.rubric, same ? null : candidate.exampleSet);
  const changed = rewrite.after !== rewrite.before;
  if (changed) applyRewrite(rewrite);
  return { file: judgeFile, diff: rewriteDiff(rewrite, relativeTo(cwd, judgeFile)), candidate, changed };
}
