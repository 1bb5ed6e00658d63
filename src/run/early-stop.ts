// Running suites that may decide early (`early_stop:` in a suite, `--early-stop`): each look
// judges the next share of such a suite's items (seeded order; the verdict cache keeps what
// earlier looks paid for) and scores them with intervals at the look's confidence
// (assert/early-stop.ts); a suite whose every threshold is settled stops there. Then one
// ordinary run scores every suite — the early ones on the items they judged, from the cache —
// with the reporters, its calls and cost including the looks'.
import { allSettled, atLook, earlyOrder, lookSizes } from '../assert/early-stop.js';
import { emptySpend, sumSpend } from '../cost/spend.js';
import type { Reporter, ResolvedSuite, RunStats, Spend } from '../types.js';
import type { RunOptions } from './options.js';

type Run = (suites: ResolvedSuite[], opts: RunOptions) => Promise<{ results: import('../types.js').SuiteResult[]; stats: RunStats }>;

/** Suites that can decide early: not views scored from others, and a cache to replay the looks from. */
export function canStopEarly(s: ResolvedSuite, opts: RunOptions): boolean {
  return s.earlyStop !== undefined && !s.combined && !s.panel && s.criterion === undefined && !s.loadError && !opts.noCache;
}

export async function runWithEarlyStop(suites: ResolvedSuite[], opts: RunOptions, run: Run): Promise<{ results: import('../types.js').SuiteResult[]; stats: RunStats }> {
  const spent: { calls: number; spend: Spend } = { calls: 0, spend: emptySpend() };
  const decided = new Map<ResolvedSuite, ResolvedSuite>();
  const pending = suites.filter((s) => canStopEarly(s, opts)).map((s) => ({ suite: s, order: earlyOrder(s.items, s.bootstrap.seed), sizes: lookSizes(s.items.length, s.earlyStop!.looks) }));
  for (let look = 0; pending.length > 0 && !opts.signal.aborted; look++) {
    const now = pending.filter((p) => look < p.sizes.length - 1);
    // A suite at its last look judges everything: the ordinary run below does that.
    for (const p of pending.filter((x) => look >= x.sizes.length - 1)) pending.splice(pending.indexOf(p), 1);
    if (now.length === 0) break;
    const left = opts.maxCost === undefined ? {} : { maxCost: Math.max(0, opts.maxCost - (spent.spend.usd ?? 0)) };
    const { results, stats } = await run(now.map((p) => atLook(p.suite, p.order, p.sizes[look]!, p.suite.earlyStop!)), { ...opts, ...left, reporters: [] });
    spent.calls += stats.calls;
    if (stats.spent) sumSpend(spent.spend, stats.spent);
    results.forEach((r, i) => {
      const p = now[i]!;
      if (r.status !== 'passed' && r.status !== 'failed') return;
      if (!allSettled(r.thresholds)) return;
      const n = p.sizes[look]!;
      decided.set(p.suite, { ...p.suite, items: p.order.slice(0, n), earlyStop: { ...p.suite.earlyStop!, outcome: { judged: n, of: p.suite.items.length, look: look + 1 } } });
      pending.splice(pending.indexOf(p), 1);
    });
    if (stats.cancelled) break;
  }
  // The run the reporters see: decided suites on their judged items (cached by now), the rest whole.
  const final = suites.map((s) => decided.get(s) ?? s);
  const withLooks = (stats: RunStats): RunStats => {
    const total = emptySpend();
    sumSpend(total, spent.spend);
    if (stats.spent) sumSpend(total, stats.spent);
    return { ...stats, calls: stats.calls + spent.calls, spent: total };
  };
  // Reporters are class instances: their methods live on the prototype, so each is bound, not spread.
  const reporters: Reporter[] = opts.reporters.map((rep) => ({
    ...(rep.onRunStart ? { onRunStart: (plan) => rep.onRunStart!(plan) } : {}),
    ...(rep.onItemDone ? { onItemDone: (suite, item) => rep.onItemDone!(suite, item) } : {}),
    ...(rep.onSuiteDone ? { onSuiteDone: (r) => rep.onSuiteDone!(r) } : {}),
    onRunDone: (results, stats) => rep.onRunDone(results, withLooks(stats)),
  }));
  const outcome = await run(final, { ...opts, reporters });
  return { results: outcome.results, stats: withLooks(outcome.stats) };
}
