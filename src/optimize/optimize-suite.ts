// The --optimize loop for one suite: misalignments on dev -> themes -> candidate rubrics
// -> each scored on dev (through the cache) -> the best verified on the holdout -> accepted
// only if it is better there beyond chance (acceptance.ts) and no threshold is further from met.
import { runSuites, type RunOptions } from '../run/run-suites.js';
import type { CandidateLog, FewShotExample, Item, Label, MetricValue, Objective, OptimizationReport, ResolvedJudge, ResolvedSuite, RoundLog, SideMetric, SideSummary, SuiteResult } from '../types.js';
import { findMisalignments, countKinds, humanNotes, type Misalignment } from './misalignments.js';
import { decideOnHoldout, gaugeOf, type Gauge } from './acceptance.js';
import { atLeastAsGood, compareObjectives, dominates, marginsByThreshold, noWorse, objectiveOf, thresholdKey, yardstickOf, type Yardstick } from './objective.js';
import { BudgetExhausted, type CallBudget, type OptimizerModel, UnreadableAnswer } from './optimizer-model.js';
import { candidatesPrompt, candidatesSchema, DevOnly, readCandidates, readThemes, themesPrompt, themesSchema, type RejectedCandidate, type ShownItem } from './prompts.js';
import { balanceFewShot, selectExamples } from './select-examples.js';
import type { OptimizeSettings } from './defaults.js';
import { splitCounts, splitItems } from './split.js';
import { humanLabel } from '../assert/score-suite.js';
import { allowsPass } from '../assert/thresholds.js';
import { emptySpend, sumSpend } from '../cost/spend.js';
import { OverBudgetError } from '../errors.js';

/** New errors of a rejected candidate shown to the optimizer in later rounds, at most. */
const MAX_BROKEN_SHOWN = 3;

/** Candidates kept in the Pareto set across rounds, at most. */
const PARETO_MAX = 4;

/** A candidate of the Pareto set: no other candidate, nor the current rubric, is as good on every threshold and better on one. */
interface FrontEntry {
  id: string;
  rubric: string;
  margins: Map<string, number>;
  objective: Objective;
}

/** Few-shot examples a candidate may carry. */
const maxExamples = (shown: readonly ShownItem[]) => Math.min(4, shown.length);

/** Ctrl-C during the search: nothing is written. */
class Interrupted extends Error {}

interface Evaluated {
  result: SuiteResult;
  objective: Objective;
}

interface State {
  judge: ResolvedJudge;
  dev: Evaluated;
  holdout: Evaluated;
}

export interface OptimizeContext {
  run: RunOptions;
  model: OptimizerModel;
  budget: CallBudget;
  settings: OptimizeSettings;
  log: (line: string) => void;
  /** Of the judge file's text as the search starts (the log records it). */
  judgeSha256: string;
}

export async function optimizeSuite(suite: ResolvedSuite, ctx: OptimizeContext): Promise<OptimizationReport> {
  const search = new RubricSearch(suite, ctx);
  await search.measureCurrent();
  const before = { dev: summarize(search.state.dev), holdout: summarize(search.state.holdout) };
  let stop = `${ctx.settings.rounds} round(s) done`;
  try {
    for (let round = 1; round <= ctx.settings.rounds; round++) {
      const ended = await search.round(round);
      if (ended !== undefined) {
        stop = ended;
        break;
      }
    }
    if (search.passes()) stop = 'every threshold passes on dev and holdout';
  } catch (err) {
    if (err instanceof BudgetExhausted) stop = err.message;
    else if (err instanceof UnreadableAnswer) stop = err.message;
    else throw err;
  }
  return search.report(before, stop);
}

interface Scored {
  log: CandidateLog;
  judge: ResolvedJudge;
  dev: Evaluated;
}

/** One suite's search: the split, the current rubric's scores, and the log of every round. */
class RubricSearch {
  readonly split: { dev: Item[]; holdout: Item[] };
  private readonly dev: DevOnly;
  private readonly calls = { optimizer: 0, optimizerCached: 0, judge: 0, judgeCached: 0 };
  /** What the judge's calls on dev and holdout cost, over every evaluation. */
  private readonly judgeSpent = emptySpend();
  /** Per dev item: how many candidates were scored on it, and how many disagreed with the humans. */
  private readonly disagreements = new Map<string, { item: Item; candidates: number; against: number }>();
  /** The thresholds the suite fails at the start: the ones the margin tie-break and the holdout test push on. */
  private focus = new Set<string>();
  /** Chance levels of the agreement metrics on each side. */
  private readonly yard: { dev: Yardstick; holdout: Yardstick };
  private gauge!: Gauge;
  state!: State;
  private readonly rounds: RoundLog[] = [];
  private readonly rejected: RejectedCandidate[] = [];
  /** Per candidate log entry: the dev items it got wrong that the rubric it was to replace got right. */
  private readonly broke = new Map<CandidateLog, ShownItem[]>();
  private accepted = false;
  /** The best few candidates per threshold on dev (GEPA keeps such a set rather than one greedy winner). */
  private front: FrontEntry[] = [];

  constructor(
    private readonly suite: ResolvedSuite,
    private readonly ctx: OptimizeContext,
  ) {
    this.split = splitItems(suite.items, suite.split.holdout, suite.split.seed);
    this.dev = new DevOnly(this.split.dev);
    const humans = (items: Item[]) => items.map((i) => humanLabel(suite, i)).filter((l): l is Label => l !== null);
    this.yard = { dev: yardstickOf(suite.judge.scale, humans(this.split.dev)), holdout: yardstickOf(suite.judge.scale, humans(this.split.holdout)) };
  }

  /** Score the current rubric on both sides; its failing thresholds become the focus. */
  async measureCurrent(): Promise<void> {
    const judge = this.suite.judge;
    const dev = await this.evaluate(judge, 'dev');
    const holdout = await this.evaluate(judge, 'holdout');
    this.focus = new Set([...dev.result.thresholds, ...holdout.result.thresholds].filter((t) => !allowsPass(t)).map(thresholdKey));
    this.gauge = gaugeOf(this.suite.judge.scale, holdout.result.thresholds, this.focus, this.yard.holdout);
    this.state = { judge, dev: this.scored(dev.result, 'dev', judge), holdout: this.scored(holdout.result, 'holdout', judge) };
  }

  passes(): boolean {
    return passes(this.state.dev) && passes(this.state.holdout);
  }

  /** One round: themes, candidates, each scored on dev, the best verified on the holdout. Returns why the search stops, if it does. */
  async round(round: number): Promise<string | undefined> {
    const { suite, ctx, state } = this;
    const { settings, model } = ctx;
    if (this.passes()) return 'every threshold passes on dev and holdout';
    if (state.dev.result.status === 'error') return `the dev items could not all be judged: ${state.dev.result.message ?? ''}`;
    const devResults = state.dev.result.items;
    const misalignments = findMisalignments(devResults);
    const log: RoundLog = { round, misalignments: countKinds(misalignments), themes: [], shown: [], candidates: [] };
    this.rounds.push(log);
    if (misalignments.length === 0) {
      log.note = 'the judge agrees with the humans on every dev item: nothing to learn from';
      return log.note;
    }
    ctx.log(`${suite.name}: round ${round}: ${misalignments.length} misaligned dev item(s); finding themes`);
    const forThemes = misalignments.slice(0, settings.maxMisalignments).map(shownOf);
    log.themes = await model.ask('themes', themesPrompt(state.judge, forThemes, this.dev), themesSchema, (d) => readThemes(d, forThemes));
    const picked = selectExamples(devResults, misalignments, log.themes, settings.strategy, settings.examples, settings.seed + round);
    const kinds = new Map(misalignments.map((m) => [m.item.id, m.kind]));
    const shown = picked.map((r) => shownOf({ item: r.item, human: r.human!, judge: r.verdict.label, reason: r.verdict.reason, humanNotes: humanNotes(r.item), kind: kinds.get(r.item.id) }));
    log.shown = shown.map((s) => s.item.id);
    const failing = state.dev.result.thresholds.filter((t) => !allowsPass(t));
    const proposals = await model.ask(
      'candidates',
      candidatesPrompt({ judge: state.judge, failing, themes: log.themes, shown, rejected: this.rejected, promising: this.promising(), count: settings.candidates, maxExamples: maxExamples(shown), round, rounds: settings.rounds }, this.dev),
      candidatesSchema,
      (d) => readCandidates(d, settings.candidates),
    );
    ctx.log(`${suite.name}: round ${round}: ${proposals.length} candidate(s); judging them on ${this.split.dev.length} dev items`);
    const scored = await this.scoreOnDev(proposals, log, shown);
    this.updateFront(scored);
    const best = bestOf(scored);
    if (!best || compareObjectives(best.dev.objective, this.state.dev.objective) >= 0) {
      if (best) best.log.reason = `dev: no better than the current rubric (${objectiveText(best.dev.objective)} vs ${objectiveText(this.state.dev.objective)})`;
      log.candidates.forEach((c) => this.reject(c));
      return undefined;
    }
    await this.verifyOnHoldout(best, round);
    // A candidate no better at all on the holdout overfits dev: not one to build on.
    const id = `${best.log.round}.${best.log.index}`;
    if (best.log.decision === 'rejected' && (best.log.holdout?.gain?.delta ?? 0) <= 0) this.front = this.front.filter((e) => e.id !== id);
    this.updateFront([]);
    log.candidates.filter((c) => c.decision === 'rejected').forEach((c) => this.reject(c));
    return undefined;
  }

  /** Add this round's candidates to the Pareto set, drop what the current rubric or another candidate dominates, keep the best few. */
  private updateFront(scored: readonly Scored[]): void {
    const current = marginsByThreshold(this.state.dev.result.thresholds, this.yard.dev);
    const entries = [
      ...this.front,
      ...scored.map((s) => ({ id: `${s.log.round}.${s.log.index}`, rubric: s.judge.rubric, margins: marginsByThreshold(s.dev.result.thresholds, this.yard.dev), objective: s.dev.objective })),
    ]
      // The current rubric is not a candidate; a rubric proposed again counts once (its first time).
      .filter((e, i, all) => e.rubric !== this.state.judge.rubric && all.findIndex((o) => o.rubric === e.rubric) === i);
    this.front = entries
      .filter((e) => !atLeastAsGood(current, e.margins) && !entries.some((o) => o !== e && dominates(o.margins, e.margins)))
      .sort((a, b) => compareObjectives(a.objective, b.objective))
      .slice(0, PARETO_MAX);
  }

  /** The Pareto set, each with the thresholds it is best on among them. */
  private promising(): { id: string; rubric: string; bestOn: string[] }[] {
    return this.front.map((e) => ({
      id: e.id,
      rubric: e.rubric,
      bestOn: [...e.margins].filter(([key, v]) => this.front.every((o) => (o.margins.get(key) ?? -Infinity) <= v + 1e-9)).map(([key]) => key),
    }));
  }

  /** Each proposal as a judge, scored on the dev items (through the cache). */
  private async scoreOnDev(proposals: { rubric: string; examples: string[]; rationale: string }[], log: RoundLog, shown: ShownItem[]): Promise<Scored[]> {
    const current = this.state.judge;
    const scored: Scored[] = [];
    for (const [index, p] of proposals.entries()) {
      // Few-shot anchors only from the dev items shown this round, labeled by the humans.
      // (A multi-criteria judge's examples need every criterion's label: the humans give this view's only.)
      const named = current.criteria ? [] : p.examples.filter((id) => log.shown.includes(id) && this.dev.has(id)).map((id) => shown.find((s) => s.item.id === id)!);
      const set = this.ctx.settings.fewShot === 'balanced' ? balanceFewShot(named, shown, maxExamples(shown)) : named;
      const usable = set.map((s) => s.item.id);
      const examples = set.map(exampleOf);
      const judge: ResolvedJudge = { ...current, rubric: p.rubric.trim() + '\n', examples: usable.length > 0 ? examples : current.examples };
      const entry: CandidateLog = { round: log.round, index: index + 1, rubric: judge.rubric, examples: usable, rationale: p.rationale, ignoredExamples: p.examples.filter((id) => !usable.includes(id)), exampleSet: judge.examples, decision: 'rejected', reason: '' };
      log.candidates.push(entry);
      const devEval = await this.evaluate(judge, 'dev');
      entry.dev = summarize(devEval);
      if (devEval.result.status === 'error') {
        entry.reason = `dev: ${devEval.result.message ?? 'items could not be judged'}`;
        continue;
      }
      this.countDisagreements(devEval.result);
      this.noteNewErrors(entry, devEval.result);
      const degenerate = degenerateJudge(devEval.result);
      if (degenerate) {
        entry.reason = `dev: degenerate: ${degenerate}`;
        continue;
      }
      scored.push({ log: entry, judge, dev: devEval });
    }
    return scored;
  }

  /** A rejected candidate, for the next rounds' prompts: its rubric, why, and what it broke (GEPA's reflection on a candidate's own errors). */
  private reject(c: CandidateLog): void {
    this.rejected.push({ rubric: c.rubric, reason: c.reason, broke: this.broke.get(c) ?? [] });
  }

  /** The dev items the candidate judged wrong that the current rubric judged right. */
  private noteNewErrors(entry: CandidateLog, result: SuiteResult): void {
    const before = new Map(this.state.dev.result.items.map((r) => [r.item.id, r]));
    const broke = result.items.filter((r) => {
      const was = before.get(r.item.id);
      return r.human !== null && r.verdict.status === 'ok' && r.verdict.label !== r.human && was?.verdict.status === 'ok' && was.verdict.label === r.human;
    });
    entry.newErrors = broke.map((r) => r.item.id);
    this.broke.set(entry, broke.slice(0, MAX_BROKEN_SHOWN).map((r) => shownOf({ item: r.item, human: r.human!, judge: r.verdict.label, reason: r.verdict.reason, humanNotes: humanNotes(r.item) })));
  }

  private countDisagreements(result: SuiteResult): void {
    for (const r of result.items) {
      if (r.verdict.status !== 'ok' || r.human === null) continue;
      const seen = this.disagreements.get(r.item.id) ?? { item: r.item, candidates: 0, against: 0 };
      seen.candidates++;
      if (r.verdict.label !== r.human) seen.against++;
      this.disagreements.set(r.item.id, seen);
    }
  }

  /** Dev items every candidate (two or more) disagreed with, whose human label comes with no note or rationale. */
  private labelsToRecheck(): string[] {
    return [...this.disagreements.values()]
      .filter((d) => d.candidates >= 2 && d.against === d.candidates && !d.item.notes && !d.item.anchor?.rationale && !d.item.fields.annotator_notes)
      .map((d) => d.item.id)
      .sort();
  }

  /** The dev winner on the holdout: accepted (it becomes the current rubric) or rejected, with the reason. */
  private async verifyOnHoldout(best: Scored, round: number): Promise<void> {
    const { suite } = this;
    this.ctx.log(`${suite.name}: round ${round}: candidate ${best.log.index} is best on dev; verifying on ${this.split.holdout.length} holdout items`);
    const holdout = await this.evaluate(best.judge, 'holdout');
    const verdict = this.acceptance(best.dev, holdout);
    best.log.holdout = { ...summarize(holdout), deltas: verdict.deltas };
    if (verdict.gain) best.log.holdout.gain = { gauge: this.gauge.text, ...verdict.gain };
    best.log.reason = verdict.reason;
    if (verdict.ok) {
      best.log.decision = 'accepted';
      this.accepted = true;
      this.state = { judge: best.judge, dev: best.dev, holdout };
    }
  }

  /** A judge on one side of the split, through runSuites and the cache; counted against the budget. */
  private async evaluate(judge: ResolvedJudge, side: 'dev' | 'holdout'): Promise<Evaluated> {
    const { ctx, suite, calls } = this;
    const { budget } = ctx;
    if (budget.left <= 0) throw new BudgetExhausted(`before judging the ${side} items`);
    const items = side === 'dev' ? this.split.dev : this.split.holdout;
    const s: ResolvedSuite = { ...suite, name: `${suite.name} (${side})`, judge, items };
    const usdLeft = budget.usdLeft;
    let outcome;
    try {
      outcome = await runSuites([s], { ...ctx.run, reporters: [], bail: false, ...(usdLeft !== undefined ? { maxCost: usdLeft } : {}) });
    } catch (err) {
      // The pre-run estimate of the uncached calls exceeds what is left of --max-cost.
      if (err instanceof OverBudgetError) throw new BudgetExhausted(`--max-cost: judging the ${side} items would exceed it`);
      throw err;
    }
    const { results, stats } = outcome;
    budget.used += stats.calls;
    budget.usd += stats.spent?.usd ?? 0;
    calls.judge += stats.calls;
    calls.judgeCached += stats.cached;
    if (stats.spent) sumSpend(this.judgeSpent, stats.spent);
    const result = results[0]!;
    if (stats.cancelled || ctx.run.signal.aborted) throw new Interrupted();
    if (stats.stoppedByBudget) throw new BudgetExhausted(`--max-cost reached while judging the ${side} items`);
    return this.scored(result, side, judge);
  }

  /** A result with its objective under the current focus. */
  private scored(result: SuiteResult, side: 'dev' | 'holdout', judge: ResolvedJudge): Evaluated {
    return { result, objective: objectiveOf(result.thresholds, this.focus, rubricLength(judge), this.yard[side]) };
  }

  /**
   * The holdout decides: a candidate is rejected if it could not be judged, is degenerate, or
   * leaves a threshold further from met; else it must pass the holdout test (acceptance.ts).
   */
  private acceptance(dev: Evaluated, holdout: Evaluated): ReturnType<typeof decideOnHoldout> {
    const { suite, state } = this;
    if (holdout.result.status === 'error') return { ok: false, reason: `holdout: ${holdout.result.message ?? 'items could not be judged'}`, deltas: {} };
    const degenerate = degenerateJudge(holdout.result);
    if (degenerate) return { ok: false, reason: `holdout: degenerate: ${degenerate}`, deltas: {} };
    if (!noWorse(holdout.objective, state.holdout.objective)) {
      return { ok: false, reason: `holdout: thresholds further from met (${objectiveText(state.holdout.objective)} -> ${objectiveText(holdout.objective)})`, deltas: {} };
    }
    const afterById = new Map(holdout.result.items.map((r) => [r.item.id, r]));
    const pairs = { human: [] as Label[], before: [] as Label[], after: [] as Label[] };
    for (const b of state.holdout.result.items) {
      const a = afterById.get(b.item.id);
      if (!a || b.human === null || b.verdict.status !== 'ok' || a.verdict.status !== 'ok') continue;
      pairs.human.push(b.human);
      pairs.before.push(b.verdict.label!);
      pairs.after.push(a.verdict.label!);
    }
    const decision = decideOnHoldout(pairs, {
      scale: suite.judge.scale,
      gauge: this.gauge,
      vetoMetrics: suite.thresholds.map((t) => t.metric),
      confidence: this.ctx.settings.confidence,
      consultations: this.ctx.settings.rounds,
      bootstrap: suite.bootstrap,
    });
    if (decision.ok) decision.reason = `dev ${objectiveText(state.dev.objective)} -> ${objectiveText(dev.objective)}; ${decision.reason}`;
    else if (decision.gain && compareObjectives(dev.objective, state.dev.objective) < 0) decision.reason += ' although dev improved: it does not generalize';
    return decision;
  }

  report(before: OptimizationReport['before'], stop: string): OptimizationReport {
    const { suite, ctx, state, accepted, split } = this;
    this.calls.optimizer = ctx.model.calls;
    this.calls.optimizerCached = ctx.model.cached;
    return {
      suite: suite.name,
      judge: suite.judge.id,
      judgeFile: suite.judge.file,
      judgeSha256: ctx.judgeSha256,
      optimizer: ctx.model.label,
      split: { seed: suite.split.seed, holdoutShare: suite.split.holdout, dev: split.dev.length, holdout: split.holdout.length, byLabel: splitCounts(split, (item: Item) => humanLabel(suite, item)) },
      rounds: this.rounds,
      before,
      after: accepted ? { dev: summarize(state.dev), holdout: summarize(state.holdout) } : null,
      accepted,
      stop,
      rubric: { before: suite.judge.rubric, after: accepted ? state.judge.rubric : null },
      examples: { before: suite.judge.examples, after: accepted ? state.judge.examples : null },
      calls: this.calls,
      spent: { optimizer: { ...ctx.model.spent }, judge: { ...this.judgeSpent } },
      recheck: this.labelsToRecheck(),
      pareto: this.promising().map(({ id, bestOn }) => ({ id, bestOn })),
      written: false,
    };
  }
}

/**
 * Why a judge's verdicts on one side of the split are degenerate, or undefined. A judge that
 * gives (nearly) one answer to everything — when the humans do not — or that agrees with the
 * humans no better than chance is never accepted, whatever its shortfall: a constant judge
 * meets an error-rate ceiling for free.
 */
export function degenerateJudge(result: SuiteResult): string | undefined {
  const scored = result.items.filter((r) => r.verdict.status === 'ok' && r.human !== null);
  if (scored.length === 0) return undefined;
  const share = (labels: Label[]) => {
    const counts = new Map<Label, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    const [top, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    return { top, share: n / labels.length };
  };
  const judge = share(scored.map((r) => r.verdict.label!));
  const humansOfTop = scored.filter((r) => r.human === judge.top).length / scored.length;
  if (judge.share >= 0.95 && humansOfTop <= 0.85) {
    return `its verdicts are nearly constant (${(judge.share * 100).toFixed(0)}% ${judge.top}, where the humans say ${judge.top} for ${(humansOfTop * 100).toFixed(0)}%)`;
  }
  const name = result.suite.judge.scale.kind === 'ordinal' ? 'kappa_quadratic' : 'kappa';
  const agreement = result.metrics[name]?.value;
  if (agreement !== null && agreement !== undefined && agreement <= 0) return `its chance-corrected agreement with the humans is ${agreement.toFixed(3)} (${name} <= 0)`;
  return undefined;
}

/** The best candidate on dev; the others are told what beat them. */
function bestOf(scored: Scored[]): Scored | undefined {
  scored.sort((a, b) => compareObjectives(a.dev.objective, b.dev.objective));
  const best = scored[0];
  for (const other of scored.slice(1)) other.log.reason = `dev: ranked below candidate ${best!.log.round}.${best!.log.index} (${objectiveText(other.dev.objective)} vs ${objectiveText(best!.dev.objective)})`;
  return best;
}

function shownOf(m: ShownItem | Misalignment): ShownItem {
  const s: ShownItem = { item: m.item, human: m.human, judge: m.judge, reason: m.reason, humanNotes: m.humanNotes };
  if (m.kind) s.kind = m.kind;
  return s;
}

function exampleOf(s: ShownItem): FewShotExample {
  const fields = Object.fromEntries(Object.entries(s.item.fields).filter(([k]) => k !== 'annotator_notes'));
  const ex: FewShotExample = { fields, verdict: s.human };
  const why = s.item.notes ?? s.item.anchor?.rationale;
  if (why) ex.reason = why;
  return ex;
}

function rubricLength(judge: ResolvedJudge): number {
  return judge.rubric.length + judge.examples.reduce((a, ex) => a + JSON.stringify(ex).length, 0);
}

function passes(e: Evaluated): boolean {
  return e.result.thresholds.every(allowsPass);
}

function objectiveText(o: Objective): string {
  return `${o.violation > 0 ? `constraints ${o.violation.toFixed(3)} over, ` : ''}shortfall ${o.shortfall.toFixed(3)}, ${o.failing} failing`;
}

function summarize(e: Evaluated): SideSummary {
  const r = e.result;
  const names = new Set([...r.thresholds.filter((t) => !t.slice).map((t) => t.metric), 'kappa', 'accuracy']);
  const metrics: Record<string, SideMetric> = {};
  for (const name of names) {
    const m: MetricValue | undefined = r.metrics[name];
    if (m) metrics[name] = { value: m.value, ci: m.ci ?? null };
  }
  return {
    items: r.items.length,
    thresholds: r.thresholds.map((t) => ({ key: thresholdKey(t), status: t.status, actual: t.actual, estimate: t.estimate, ci: t.ci })),
    metrics,
    objective: e.objective,
  };
}
