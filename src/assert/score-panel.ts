// A panel judge: per item, its members' verdicts combined (majority for binary and categorical,
// mean or median for ordinal; a tie is no verdict, shown as the samples' tie is), then scored
// like any suite. Its cost is the members' summed.
import type { Label, ResolvedSuite, SuiteResult, Usage, Verdict } from '../types.js';
import { itemResult, scoreSuite, skippedSuite } from './score-suite.js';

export function scorePanel(suite: ResolvedSuite, members: readonly (SuiteResult | undefined)[], durationMs: number): SuiteResult {
  const missing = members.findIndex((m) => !m || (m.status !== 'passed' && m.status !== 'failed'));
  if (missing >= 0) {
    const m = members[missing];
    return skippedSuite(suite, `panel member "${suite.panel!.members[missing]!.name}" ${m ? `is ${m.status}${m.message ? `: ${m.message}` : ''}` : 'did not finish'}`);
  }
  const byId = (members as SuiteResult[]).map((r) => new Map(r.items.map((i) => [i.item.id, i.verdict])));
  const names = suite.panel!.members.map((m) => m.comparison?.variant ?? m.judge.id);
  const items = suite.items.map((item, index) => itemResult(suite, index, combineVerdicts(byId.map((m) => m.get(item.id)), names, suite)));
  const result = scoreSuite(suite, items, durationMs);
  result.spent = (members as SuiteResult[]).reduce<NonNullable<SuiteResult['spent']>>(
    (a, r) => ({ inputTokens: a.inputTokens + (r.spent?.inputTokens ?? 0), outputTokens: a.outputTokens + (r.spent?.outputTokens ?? 0), cachedInputTokens: a.cachedInputTokens + (r.spent?.cachedInputTokens ?? 0), usd: a.usd === null || !r.spent || r.spent.usd === null ? null : a.usd + r.spent.usd }),
    { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, usd: 0 },
  );
  return result;
}

/** One item's panel verdict from its members' (a member without an answer is left out; none answering is an error). */
export function combineVerdicts(verdicts: readonly (Verdict | undefined)[], names: readonly string[], suite: ResolvedSuite): Verdict {
  const combine = suite.panel!.combine;
  const answered = verdicts.map((v, i) => ({ v, name: names[i]! })).filter((x): x is { v: Verdict; name: string } => x.v !== undefined);
  const ok = answered.filter((x) => x.v.status === 'ok');
  const reason = answered.map((x) => `${x.name}: ${x.v.status === 'ok' ? String(x.v.label) : x.v.status}`).join(', ');
  const base = { reason: `panel of ${answered.length} (${reason})`, cached: answered.every((x) => x.v.cached) };
  const usage = sumUsage(answered.map((x) => x.v.usage));
  const withUsage = (v: Verdict): Verdict => (usage ? { ...v, usage } : v);
  if (ok.length === 0) {
    const error = answered.find((x) => x.v.status === 'error');
    return withUsage(error ? { ...base, label: null, status: 'error', error: error.v.error ?? 'a member failed' } : { ...base, label: null, status: 'unparseable', error: 'no member gave a verdict' });
  }
  const labels = ok.map((x) => x.v.label!);
  if (combine === 'majority') {
    const counts = new Map<string, { label: Label; n: number }>();
    for (const l of labels) counts.set(String(l), { label: l, n: (counts.get(String(l))?.n ?? 0) + 1 });
    const sorted = [...counts.values()].sort((a, b) => b.n - a.n);
    if (sorted.length > 1 && sorted[0]!.n === sorted[1]!.n) return withUsage({ ...base, label: null, status: 'no_consensus' });
    return withUsage({ ...base, label: sorted[0]!.label, status: 'ok', confidence: sorted[0]!.n / labels.length });
  }
  const points = labels.map(Number).sort((a, b) => a - b);
  const value = combine === 'mean' ? points.reduce((a, b) => a + b, 0) / points.length : points.length % 2 ? points[(points.length - 1) / 2]! : (points[points.length / 2 - 1]! + points[points.length / 2]!) / 2;
  // Halfway between two points is a tie: no verdict, as the samples' tie is.
  if (Math.abs(value - Math.round(value)) === 0.5) return withUsage({ ...base, label: null, status: 'no_consensus' });
  return withUsage({ ...base, label: Math.round(value), status: 'ok' });
}

function sumUsage(usages: readonly (Usage | undefined)[]): Usage | undefined {
  const known = usages.filter((u): u is Usage => u !== undefined);
  if (known.length === 0) return undefined;
  const sum: Usage = { inputTokens: 0, outputTokens: 0 };
  for (const u of known) {
    sum.inputTokens += u.inputTokens;
    sum.outputTokens += u.outputTokens;
    if (u.cachedInputTokens) sum.cachedInputTokens = (sum.cachedInputTokens ?? 0) + u.cachedInputTokens;
    // The members run side by side: the panel waits for its slowest.
    if (typeof u.latencyMs === 'number') sum.latencyMs = Math.max(sum.latencyMs ?? 0, u.latencyMs);
  }
  return sum;
}
