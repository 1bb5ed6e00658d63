// The JSON reporter. Its shape is a stable interface (README "JSON report"): extend, never rename.
import { relativeTo } from '../errors.js';
import { emitJsonReport } from './output.js';
import type { OptimizationReport } from '../types.js';
import { comparisonsOf } from './format.js';
import type { CalibrationReport, ClassScore, Flip, JudgeComparison, Label, MetricValue, Reporter, RunStats, Spend, SuiteResult } from '../types.js';

export interface JsonReport {
  success: boolean;
  suites: JsonSuite[];
  stats: { calls: number; local: number; cached: number; errors: number; durationMs: number; cancelled: boolean; spent: Spend | null; saved: Spend | null };
  /** Judges compared on the same items (`judges:`, `--judge-model`): one entry per suite compared. */
  comparisons: JudgeComparison[];
}

export interface JsonSuite {
  file: string;
  name: string;
  judge: string;
  provider: string;
  model: string | null;
  status: SuiteResult['status'];
  message?: string;
  /** Items no annotator has labeled yet: not judged, not in the metrics. */
  unlabeled_items?: number;
  /** This suite's model calls in this run: tokens and USD (null when unpriced). */
  spent: Spend | null;
  metrics: Record<string, { value: number | null; n: number; reason?: string; ci: [number, number] | null }>;
  thresholds: {
    metric: string;
    op: string;
    target: number;
    on: string;
    actual: number | null;
    estimate: number | null;
    ci: [number, number] | null;
    status: string;
    n: number;
    reason?: string;
    slice?: string;
    /** With a baseline: its value, the change (now − then) and the change's paired interval. */
    baseline?: number;
    delta?: number;
    delta_ci?: [number, number] | null;
    /** `drift`: the runs whose mean is the baseline. */
    window?: number;
    /** Reported, not gating (a drift check with no history yet). */
    advisory?: boolean;
    line: number;
  }[];
  slices: Record<string, { metrics: Record<string, { value: number | null; n: number; reason?: string; ci: [number, number] | null }> }>;
  confusion: { labels: Label[]; counts: number[][] };
  classes: ClassScore[];
  calibration: CalibrationReport | null;
  alt_test: SuiteResult['altTest'];
  items: {
    id: string;
    human: Label | null;
    labels: Record<string, Label>;
    judge: Label | null;
    outcome: string;
    reason: string;
    notes?: string;
    /** Calibration-session metadata: agreed label, rationale, edge case, origin. */
    anchor?: { consensus?: Label; rationale?: string; edgeCase?: string; origin?: string };
    confidence?: number;
    cached: boolean;
    error?: string;
    /** The judge's answer as it came, when it could not be read. */
    raw?: string;
    rationale_similarity?: number;
    /** Cosine of the embeddings of the judge's reason and the human note (rationale_embedding). */
    rationale_semantic_similarity?: number;
    /** With `samples: k`: every sample's label and the share disagreeing with the verdict. */
    samples?: (Label | null)[];
    flip_rate?: number;
  }[];
  /** --optimize: rounds, themes, candidates and the before/after (README "--optimize"). */
  optimization?: OptimizationReport;
  optimization_note?: string;
  /** A suite that decided early: how many of its items were judged, at which look. */
  early_stop?: { judged: number; of: number; look: number; looks: number; confidence: number };
  /** With a baseline: the items whose verdict changed since it, now-wrong first. */
  flips?: { id: string; human: Label; before: Label; after: Label; kind: Flip['kind']; reason_before?: string; reason_after?: string }[];
}

export function toJsonReport(results: SuiteResult[], stats: RunStats, cwd: string): JsonReport {
  return {
    success: !stats.cancelled && results.every((r) => r.status === 'passed' || r.status === 'skipped'),
    suites: results.map((r) => {
      const s: JsonSuite = {
        file: relativeTo(cwd, r.suite.file),
        name: r.suite.name,
        judge: r.suite.judge.id,
        provider: r.suite.judge.provider,
        model: r.suite.judge.model ?? null,
        status: r.status,
        spent: r.spent ?? null,
        metrics: jsonMetrics(r.metrics),
        thresholds: r.thresholds.map((t) => ({
          metric: t.metric,
          op: t.op,
          target: t.target,
          on: t.on,
          actual: t.actual,
          estimate: t.estimate,
          ci: t.ci,
          status: t.status,
          n: t.n,
          ...(t.reason ? { reason: t.reason } : {}),
          ...(t.slice !== undefined ? { slice: t.slice } : {}),
          ...(t.baseline !== undefined ? { baseline: t.baseline, delta: t.delta!, delta_ci: t.deltaCi ?? null } : {}),
          ...(t.window !== undefined ? { window: t.window } : {}),
          ...(t.advisory ? { advisory: true } : {}),
          line: t.source.line,
        })),
        confusion: r.confusion,
        classes: r.classes,
        slices: Object.fromEntries(Object.entries(r.slices).map(([tag, sl]) => [tag, { metrics: jsonMetrics(sl.metrics) }])),
        calibration: r.calibration,
        alt_test: r.altTest,
        items: r.items.map((i) => ({
          id: i.item.id,
          human: i.human,
          labels: i.item.labels,
          judge: i.verdict.label,
          outcome: i.outcome,
          reason: i.verdict.reason,
          ...(i.item.notes !== undefined ? { notes: i.item.notes } : {}),
          ...(i.item.anchor ? { anchor: i.item.anchor } : {}),
          ...(i.verdict.confidence !== undefined ? { confidence: i.verdict.confidence } : {}),
          cached: i.verdict.cached,
          ...(i.verdict.error ? { error: i.verdict.error } : {}),
          ...(i.verdict.status === 'unparseable' && i.verdict.raw !== undefined ? { raw: i.verdict.raw } : {}),
          ...(i.rationaleSimilarity !== undefined ? { rationale_similarity: i.rationaleSimilarity } : {}),
          ...(i.rationaleSemanticSimilarity !== undefined ? { rationale_semantic_similarity: i.rationaleSemanticSimilarity } : {}),
          ...(i.verdict.samples ? { samples: i.verdict.samples, flip_rate: i.verdict.flipRate! } : {}),
        })),
      };
      if (r.message) s.message = r.message;
      if (r.suite.unlabeledItems) s.unlabeled_items = r.suite.unlabeledItems;
      if (r.optimization) s.optimization = relativeOptimization(r.optimization, cwd);
      if (r.optimizationNote) s.optimization_note = r.optimizationNote;
      if (r.suite.earlyStop?.outcome) s.early_stop = { ...r.suite.earlyStop.outcome, looks: r.suite.earlyStop.looks, confidence: r.suite.earlyStop.confidence };
      if (r.flips) {
        s.flips = r.flips.map((f) => ({ id: f.id, human: f.human, before: f.before, after: f.after, kind: f.kind, ...(f.reasonBefore !== undefined ? { reason_before: f.reasonBefore } : {}), ...(f.reasonAfter !== undefined ? { reason_after: f.reasonAfter } : {}) }));
      }
      return s;
    }),
    stats: {
      calls: stats.calls,
      local: stats.local,
      cached: stats.cached,
      errors: stats.errors,
      durationMs: Math.round(stats.durationMs),
      cancelled: stats.cancelled,
      spent: stats.spent ?? null,
      saved: stats.saved ?? null,
    },
    comparisons: comparisonsOf(results).map((c) => ({ ...c, file: relativeTo(cwd, c.file) })),
  };
}

function jsonMetrics(metrics: Record<string, MetricValue>) {
  return Object.fromEntries(Object.entries(metrics).map(([k, m]) => [k, { ...m, ci: m.ci ?? null }]));
}

export class JsonReporter implements Reporter {
  constructor(private readonly opts: { cwd: string; outputFile?: string; out?: NodeJS.WritableStream }) {}

  onRunDone(results: SuiteResult[], stats: RunStats): void {
    emitJsonReport(this.opts, toJsonReport(results, stats, this.opts.cwd), 'json');
  }
}

/** The optimization log with the paths as the user sees them. */
export function relativeOptimization(o: OptimizationReport, cwd: string): OptimizationReport {
  return { ...o, judgeFile: relativeTo(cwd, o.judgeFile), ...(o.logFile ? { logFile: relativeTo(cwd, o.logFile) } : {}) };
}
