// Resolve a suite file: its judge, its items and its thresholds.
import { dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { readBaseline } from '../assert/baseline.js';
import { readHistory } from '../history/history.js';
import { DEFAULT_BOOTSTRAP } from '../metrics/bootstrap.js';
import { DEFAULT_CALIBRATION } from '../metrics/calibration.js';
import { metricNamesFor } from '../metrics/index.js';
import type { Item, ResolvedSuite, Scale, ThresholdSpec } from '../types.js';
import { readRows, type Row } from './data-files.js';
import { buildItems } from './items.js';
import { loadJudgeFile, resolveJudge } from './load-judge.js';
import { suiteSchema, THRESHOLD_PATTERN, type SuiteFile } from './schemas.js';
import { normalizeLabel } from './scale.js';
import { describeValue, parseYamlFile, validate, type YamlSource } from './yaml-source.js';

/**
 * What `annotate` needs of a suite: its name, the judge's scale and the items file — read
 * without validating the items, which may not be labeled yet.
 */
export function loadSuiteForLabeling(file: string): { name: string; scale: Scale; itemsFile: string | null } {
  const src = parseYamlFile(file, 'suite file');
  const s = validate(suiteSchema, src.value, src.locate, 'suite');
  const dir = dirname(file);
  const judge =
    typeof s.judge === 'string' ? loadJudgeFile(resolve(dir, s.judge), src.locate(['judge'])) : resolveJudge(s.judge, file, (p) => src.locate(['judge', ...p]));
  return { name: s.suite, scale: judge.scale, itemsFile: typeof s.items === 'string' ? resolve(dir, s.items) : null };
}

/** Below this many scored items a threshold reports insufficient evidence (suite option `min_items`). */
export const DEFAULT_MIN_ITEMS = 10;

/** --optimize: 30% of the items are held out to verify a rewrite (the 70/30). */
export const DEFAULT_SPLIT = { holdout: 0.3, seed: 0 };

export function loadSuite(file: string): ResolvedSuite {
  const src = parseYamlFile(file, 'suite file');
  const s = validate(suiteSchema, src.value, src.locate, 'suite');
  const dir = dirname(file);

  const judge =
    typeof s.judge === 'string'
      ? loadJudgeFile(resolve(dir, s.judge), src.locate(['judge']))
      : resolveJudge(s.judge, file, (p) => src.locate(['judge', ...p]));

  const aggregation = checkAggregation(s, src, judge.scale);
  const rows: Row[] =
    typeof s.items === 'string'
      ? readRows(resolve(dir, s.items), 'items file', src.locate(['items']))
      : s.items.map((value, i) => {
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            throw new ConfigError('expected each item to be a mapping', src.locate(['items', i]));
          }
          return { value: value as Record<string, unknown>, locate: (p: readonly PropertyKey[]) => src.locate(['items', i, ...p]) };
        });
  const items = buildItems(rows, judge.scale);
  if (items.length === 0) throw new ConfigError('the suite has no items', src.locate(['items']));

  const unlabeled = s.unlabeled === undefined ? undefined : loadUnlabeled(s.unlabeled, src, dir, judge.scale);
  const baseline = readBaseline(file);
  const history = readHistory(file);
  const dependencies = [file, judge.file, typeof s.items === 'string' ? resolve(dir, s.items) : undefined, judge.path, s.unlabeled && 'verdicts' in s.unlabeled ? resolve(dir, s.unlabeled.verdicts) : undefined];
  return {
    dependencies: [...new Set(dependencies.filter((d): d is string => d !== undefined))],
    ...(unlabeled ? { unlabeled } : {}),
    ...(baseline ? { baseline } : {}),
    ...(history.length ? { history } : {}),
    ...(s.rationale_embedding ? { rationaleEmbedding: s.rationale_embedding } : {}),
    name: s.suite,
    file,
    judge,
    items,
    thresholds: [...parseThresholds(s.thresholds ?? {}, ['thresholds'], src, judge.scale), ...parseDrift(s, src, judge.scale)],
    slices: parseSlices(s, src, judge.scale, items),
    skipWithoutKey: s.skip_without_key ?? false,
    minItems: s.min_items ?? DEFAULT_MIN_ITEMS,
    split: { holdout: s.split?.holdout ?? DEFAULT_SPLIT.holdout, seed: s.split?.seed ?? DEFAULT_SPLIT.seed },
    aggregation,
    bootstrap: { ...DEFAULT_BOOTSTRAP, ...s.bootstrap },
    calibration: { ...DEFAULT_CALIBRATION, ...s.calibration },
    altTest: {
      epsilon: s.alt_test?.epsilon ?? 0.2,
      q: s.alt_test?.q ?? 0.05,
      minInstances: s.alt_test?.min_instances ?? 30,
      multiplicative: s.alt_test?.multiplicative ?? false,
      // Numeric scales compare by distance, the others by agreement (the authors' defaults).
      scoring: s.alt_test?.scoring ?? (judge.scale.kind === 'ordinal' ? 'neg_rmse' : 'accuracy'),
    },
  };
}

/** The judge's pass count on unlabeled outputs: given, or counted from a verdicts file. */
function loadUnlabeled(u: NonNullable<SuiteFile['unlabeled']>, src: YamlSource, dir: string, scale: Scale): { passed: number; total: number } {
  if (scale.kind !== 'binary') throw new ConfigError(`unlabeled (for corrected_pass_rate) needs a binary judge; this judge's scale is ${scale.kind}`, src.locate(['unlabeled']));
  if (!('verdicts' in u)) return u;
  let passed = 0;
  const rows = readRows(resolve(dir, u.verdicts), 'unlabeled verdicts file', src.locate(['unlabeled', 'verdicts']));
  for (const row of rows) {
    const v = normalizeLabel(scale, row.value.verdict);
    if (!v.ok) throw new ConfigError(`verdict ${describeValue(row.value.verdict)}: expected ${v.expected}`, row.locate(['verdict']));
    if (v.label === 'pass') passed++;
  }
  return { passed, total: rows.length };
}

function checkAggregation(s: SuiteFile, src: YamlSource, scale: Scale): ResolvedSuite['aggregation'] {
  const a = s.aggregation ?? 'majority';
  if ((a === 'mean' || a === 'median') && scale.kind !== 'ordinal') {
    throw new ConfigError(`aggregation ${a} needs an ordinal scale; this judge's scale is ${scale.kind} (use majority or individual_average)`, src.locate(['aggregation']));
  }
  return a;
}

/** Default runs a drift check averages over. */
export const DEFAULT_DRIFT_WINDOW = 5;

function parseDrift(s: SuiteFile, src: YamlSource, scale: Scale): ThresholdSpec[] {
  if (s.drift === undefined) return [];
  const list = Array.isArray(s.drift) ? s.drift : [s.drift];
  const valid = metricNamesFor(scale);
  return list.map((d, i) => {
    const at = Array.isArray(s.drift) ? ['drift', i] : ['drift'];
    if (!valid.includes(d.metric)) throw new ConfigError(`drift: unknown metric "${d.metric}" for a ${scale.kind} judge; valid metrics: ${valid.join(', ')}`, src.locate([...at, 'metric']));
    return { metric: d.metric, op: 'drift', target: d.max_drop, on: 'estimate', window: d.window ?? DEFAULT_DRIFT_WINDOW, source: src.locate(at) };
  });
}

function parseSlices(s: SuiteFile, src: YamlSource, scale: Scale, items: Item[]): Record<string, ThresholdSpec[]> {
  const tags = [...new Set(items.flatMap((i) => i.tags ?? []))].sort();
  const out: Record<string, ThresholdSpec[]> = {};
  for (const [tag, thresholds] of Object.entries(s.slices ?? {})) {
    if (!tags.includes(tag)) {
      throw new ConfigError(`slice "${tag}": no item has this tag (tags in use: ${tags.length ? tags.join(', ') : 'none'})`, src.locateKey(['slices', tag]));
    }
    out[tag] = parseThresholds(thresholds, ['slices', tag], src, scale);
  }
  return out;
}

function parseThresholds(thresholds: NonNullable<SuiteFile['thresholds']>, at: string[], src: YamlSource, scale: Scale): ThresholdSpec[] {
  const valid = metricNamesFor(scale);
  const specs: ThresholdSpec[] = [];
  for (const [metric, spec] of Object.entries(thresholds)) {
    const source = src.locate([...at, metric]);
    if (!valid.includes(metric)) {
      throw new ConfigError(`unknown metric "${metric}" for a ${scale.kind} judge; valid metrics: ${valid.join(', ')}`, source);
    }
    if (typeof spec === 'string') {
      const m = THRESHOLD_PATTERN.exec(spec)!;
      specs.push({ metric, op: m[1] as '>=' | '<=', target: Number(m[2]), on: 'estimate', source });
    } else {
      const on = spec.on ?? 'estimate';
      if (spec.min !== undefined) specs.push({ metric, op: '>=', target: spec.min, on, source });
      if (spec.max !== undefined) specs.push({ metric, op: '<=', target: spec.max, on, source });
      if (spec.max_drop !== undefined) specs.push({ metric, op: 'max_drop', target: spec.max_drop, on: 'estimate', source });
    }
  }
  return specs;
}
