// zod schemas for the files a user writes: judges, suites, items (docs/architecture.md, "Files").
import * as z from 'zod';
import { PROVIDERS } from '../providers/index.js';
import { PROVIDER_NAMES } from '../types.js';

const finite = z.number().refine(Number.isFinite, 'expected a finite number');

export const scaleSchema = z.union(
  [
    z.literal('binary'),
    z.object({ ordinal: z.object({ min: z.number().int(), max: z.number().int() }).strict() }).strict(),
    z.object({ categorical: z.array(z.string().min(1)).min(2) }).strict(),
    z.literal('pairwise'),
    z.object({ pairwise: z.object({ ties: z.boolean().optional() }).strict() }).strict(),
  ],
  { error: 'expected binary, {ordinal: {min, max}}, {categorical: [label, ...]} or pairwise' },
);

export const exampleSchema = z
  .object({ verdict: z.union([z.string(), z.number(), z.boolean(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))]), reason: z.string().optional() })
  .catchall(z.unknown());

export const judgeSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'expected an id of letters, digits, ".", "_" or "-"'),
    provider: z.enum(PROVIDER_NAMES),
    model: z.string().min(1).optional(),
    baseURL: z.url({ error: 'expected a URL such as http://localhost:11434/v1' }).optional(),
    temperature: finite.min(0).max(2).optional(),
    top_p: finite.min(0).max(1).optional(),
    max_tokens: z.number().int().positive().optional(),
    seed: z.number().int().optional(),
    rubric: z.string().min(1).optional(),
    template: z.string().min(1).optional(),
    examples: z.array(exampleSchema).optional(),
    scale: scaleSchema.optional(),
    /** Several named outputs from one call, each with its own scale (instead of `scale`). */
    criteria: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'expected a criterion name of letters, digits, "_" or "-"'), scaleSchema).optional(),
    path: z.string().min(1).optional(),
    response_format: z.enum(['json_schema', 'json_object', 'text']).optional(),
    samples: z.number().int().min(1).max(50).optional(),
    tie: z.enum(['no_consensus', 'fail', 'pass']).optional(),
    concurrency: z.number().int().min(1).optional(),
    rpm: z.number().positive().optional(),
    tpm: z.number().positive().optional(),
    confidence: z.enum(['logprobs', 'verbalized', 'samples']).optional(),
    /** provider: panel — the judges it combines (files or inline), and how. */
    members: z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: 'expected a judge file path or an inline judge' })).min(2, 'expected two or more member judges').optional(),
    combine: z.enum(['majority', 'mean', 'median']).optional(),
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.provider === 'panel') {
      if (!j.members) ctx.addIssue({ code: 'custom', path: ['members'], message: 'expected members: the judges the panel combines' });
      for (const key of ['model', 'rubric', 'path', 'criteria', 'samples', 'examples', 'template'] as const) {
        if (j[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `a panel has no ${key} of its own: its members do` });
      }
      return;
    }
    for (const key of ['members', 'combine'] as const) if (j[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `${key} goes with provider: panel` });
    if (PROVIDERS[j.provider].callsModel) {
      if (!j.model) ctx.addIssue({ code: 'custom', path: ['model'], message: `expected a model name for provider ${j.provider}` });
      if (!j.rubric) ctx.addIssue({ code: 'custom', path: ['rubric'], message: `expected a rubric for provider ${j.provider}` });
    } else if (!j.path) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: `expected a path for provider ${j.provider}` });
    }
    if ((j.scale === undefined) === (j.criteria === undefined)) {
      ctx.addIssue({ code: 'custom', path: j.scale === undefined ? ['scale'] : ['criteria'], message: 'expected exactly one of scale (one output) or criteria (several named outputs, each with a scale)' });
    }
    if (j.criteria && Object.keys(j.criteria).length < 2) ctx.addIssue({ code: 'custom', path: ['criteria'], message: 'expected at least two criteria (one output is `scale`)' });
    if (j.criteria && (j.samples ?? 1) > 1) ctx.addIssue({ code: 'custom', path: ['samples'], message: 'samples > 1 is not supported with criteria yet' });
    if (j.tie && j.tie !== 'no_consensus' && j.scale && typeof j.scale === 'object' && 'categorical' in j.scale) {
      ctx.addIssue({ code: 'custom', path: ['tie'], message: 'expected tie: no_consensus for a categorical scale (its classes have no pass or fail end)' });
    }
    if (j.confidence === 'logprobs' && !PROVIDERS[j.provider].logprobs) {
      const withLogprobs = PROVIDER_NAMES.filter((p) => PROVIDERS[p].logprobs).join(', ');
      ctx.addIssue({ code: 'custom', path: ['confidence'], message: `expected logprobs only with provider ${withLogprobs} (OpenAI-compatible endpoints return top_logprobs)` });
    }
    for (const [path, sc] of [[['scale'], j.scale], ...Object.entries(j.criteria ?? {}).map(([c, v]) => [['criteria', c], v])] as [string[], unknown][]) {
      if (sc && typeof sc === 'object' && 'ordinal' in sc && (sc as { ordinal: { min: number; max: number } }).ordinal.min >= (sc as { ordinal: { min: number; max: number } }).ordinal.max) {
        ctx.addIssue({ code: 'custom', path: [...path, 'ordinal'], message: 'expected min < max' });
      }
    }
  });
export type JudgeFile = z.infer<typeof judgeSchema>;

// Linear on any input: `\d+(?:\.\d*)?` cannot split a run of digits two ways (`\d+\.?\d*` could: 22 s on 100 KB).
export const THRESHOLD_PATTERN = /^\s*(>=|<=)\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*$/;

export const thresholdValueSchema = z.union(
  [
    z.string().regex(THRESHOLD_PATTERN, 'expected ">= x", "<= y" or {min: x, max: y, on: estimate | ci_low | ci_high, max_drop: d}'),
    z
      .object({ min: finite.optional(), max: finite.optional(), on: z.enum(['estimate', 'ci_low', 'ci_high']).optional(), max_drop: finite.min(0).optional() })
      .strict()
      .refine((v) => v.min !== undefined || v.max !== undefined || v.max_drop !== undefined),
  ],
  { error: 'expected ">= x", "<= y" or {min: x, max: y, on: estimate | ci_low | ci_high, max_drop: d}' },
);

const driftSchema = z.object({ metric: z.string().min(1), window: z.number().int().min(1).optional(), max_drop: finite.min(0) }).strict();

export const suiteSchema = z
  .object({
    suite: z.string().min(1),
    judge: z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: 'expected a judge file path or an inline judge' }).optional(),
    /** The suite's own metrics: name -> a module exporting a function over the scored items. */
    metrics: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a metric name of lowercase letters, digits and "_"'), z.string().min(1)).optional(),
    /** Decide early on a big suite: items in a seeded random order, stop at a look once every threshold is settled. */
    early_stop: z.object({ confidence: finite.gt(0.5).lt(1).optional(), looks: z.number().int().min(2).max(20).optional() }).strict().optional(),
    /** A pairwise judge: ask in both orders (default true), and what an answer that flips with the order counts as (default tie). */
    pairwise: z.object({ swap: z.boolean().optional(), inconsistent: z.enum(['tie', 'unparseable']).optional() }).strict().optional(),
    /** Several judges compared on the same items: each runs as its own suite, `<suite> › <judge id>`. */
    judges: z.array(z.union([z.string().min(1), z.record(z.string(), z.unknown())], { error: 'expected a judge file path or an inline judge' })).min(2, 'expected two or more judges to compare (or judge: for one)').optional(),
    items: z.union([z.string().min(1), z.array(z.unknown())], { error: 'expected a data file path (.jsonl, .csv, .yaml) or a list of items' }),
    thresholds: z.record(z.string(), z.union([thresholdValueSchema, z.record(z.string(), thresholdValueSchema)], { error: 'expected ">= x", "<= y", {min, max, on, max_drop}, or (for a criterion of a multi-criteria judge) metric: threshold' })).optional(),
    slices: z.record(z.string(), z.record(z.string(), thresholdValueSchema)).optional(),
    aggregation: z.enum(['majority', 'mean', 'median', 'individual_average']).optional(),
    skip_without_key: z.boolean().optional(),
    split: z.object({ holdout: finite.gt(0).lt(1), seed: z.number().int().optional() }).strict().optional(),
    min_items: z.number().int().min(1).optional(),
    rationale_embedding: z
      .object({ model: z.string().min(1), baseURL: z.url({ error: 'expected a URL such as http://localhost:11434/v1' }).optional() })
      .strict()
      .optional(),
    drift: z
      .union([driftSchema, z.array(driftSchema).min(1)], { error: 'expected {metric, window, max_drop} or a list of them' })
      .optional(),
    alt_test: z
      .object({
        epsilon: finite.min(0).max(1).optional(),
        q: finite.gt(0).lt(1).optional(),
        min_instances: z.number().int().min(2).optional(),
        multiplicative: z.boolean().optional(),
        scoring: z.enum(['accuracy', 'neg_rmse']).optional(),
      })
      .strict()
      .optional(),
    unlabeled: z
      .union([
        z.object({ verdicts: z.string().min(1) }).strict(),
        z.object({ passed: z.number().int().min(0), total: z.number().int().min(1) }).strict().refine((u) => u.passed <= u.total, 'expected passed <= total'),
      ], { error: 'expected {verdicts: path} (the judge\'s verdicts on unlabeled outputs) or {passed, total}' })
      .optional(),
    calibration: z.object({ bins: z.number().int().min(1).max(1000).optional(), strategy: z.enum(['uniform', 'quantile']).optional() }).strict().optional(),
    bootstrap: z
      .object({
        resamples: z.number().int().min(0).max(100_000).optional(),
        seed: z.number().int().optional(),
        confidence: finite.gt(0).lt(1).optional(),
        method: z.enum(['percentile', 'bca']).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((s) => (s.judge === undefined) !== (s.judges === undefined), { message: 'expected judge: (one judge) or judges: (several to compare), not both or neither', path: ['judge'] });
export type SuiteFile = z.infer<typeof suiteSchema>;

const scalarLabel = z.union([z.string(), z.number(), z.boolean()]);
/** One label, or for a multi-criteria judge a label per criterion. */
const labelValue = z.union([scalarLabel, z.record(z.string(), scalarLabel.nullable())]);

export const itemSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()]).transform(String),
    label: labelValue.optional(),
    labels: z.record(z.string(), labelValue.nullable()).optional(),
    notes: z.string().optional(),
    tags: z.array(z.string()).optional(),
    // Anchor metadata, as a calibration session settles it.
    consensus: labelValue.optional(),
    rationale: z.string().optional(),
    edge_case: z.string().optional(),
    origin: z.string().optional(),
  })
  .catchall(z.unknown())
  // Neither is an unlabeled item: left out of the metrics and counted, to label with `annotate`.
  .refine((i) => i.label === undefined || i.labels === undefined, {
    message: 'expected at most one of label (one human) or labels (annotator: label)',
  });
export type ItemRow = z.output<typeof itemSchema>;

/**
 * The common item row checked without zod: an id, one scalar label or annotators' scalar
 * labels, string fields and string tags. Returns what itemSchema would; undefined for any
 * other row, which itemSchema then checks (and explains). Row by row, zod was most of a suite's
 * load (bench/cold-paths.mjs, 2,000 rows cold: 30 → 21 ms; test/item-rows.test.ts holds the two equal).
 */
export function simpleItem(row: unknown): ItemRow | undefined {
  if (!isPlainObject(row)) return undefined;
  const { id, label, labels, consensus, tags } = row;
  if (typeof id === 'string' ? id.length === 0 : !(typeof id === 'number' && Number.isFinite(id))) return undefined;
  if (label !== undefined && !isScalarLabel(label)) return undefined;
  if (labels !== undefined) {
    if (label !== undefined || !isPlainObject(labels)) return undefined;
    for (const v of Object.values(labels)) if (v !== null && !isScalarLabel(v)) return undefined;
  }
  if (consensus !== undefined && !isScalarLabel(consensus)) return undefined;
  for (const field of STRING_FIELDS) if (row[field] !== undefined && typeof row[field] !== 'string') return undefined;
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) return undefined;
  return { ...row, id: String(id) } as ItemRow;
}

const STRING_FIELDS = ['notes', 'rationale', 'edge_case', 'origin'] as const;

function isScalarLabel(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
}

/** A parsed JSON or YAML map; an own "__proto__" key is left to zod. */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return (proto === Object.prototype || proto === null) && !Object.hasOwn(v, '__proto__');
}
