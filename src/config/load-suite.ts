// Resolve a suite file: its judge, its items and its thresholds.
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { readBaseline, readBaselineFile } from '../history/baseline.js';
import { DEFAULT_DRIFT_WINDOW, readHistory } from '../history/history.js';
import { DEFAULT_BOOTSTRAP } from '../metrics/bootstrap.js';
import { DEFAULT_CALIBRATION } from '../metrics/calibration.js';
import { COMBINED_METRICS, metricNamesFor } from '../metrics/index.js';
import type { CustomMetricSpec, HistoryEntry, Item, ResolvedJudge, ResolvedSuite, Scale, ThresholdSpec } from '../types.js';
import { eachRow, readRows, type Row } from '../io/data-files.js';
import { moduleGraph } from '../providers/module.js';
import { PROVIDERS } from '../providers/index.js';
import { recordedRowSchema } from '../providers/recorded.js';
import { buildItems } from './items.js';
import { loadJudgeFile, resolveJudge } from './load-judge.js';
import { suiteSchema, THRESHOLD_PATTERN, type SuiteFile } from './schemas.js';
import { normalizeLabel } from '../scale/scale.js';
import { describeValue, parseYamlFile, validate, type YamlSource } from '../io/yaml-source.js';

/** A suite file read and validated, with its judge: what every way of loading it starts from. */
interface ParsedSuite {
  file: string;
  dir: string;
  src: YamlSource;
  s: SuiteFile;
  /** The judge (with `judges:`, the first). */
  judge: ResolvedJudge;
  /** `judges:`: every judge to compare; else just the one. */
  judges: ResolvedJudge[];
}

function parseSuite(file: string): ParsedSuite {
  const src = parseYamlFile(file, 'suite file');
  const s = validate(suiteSchema, src.value, src.locate, 'suite');
  const dir = dirname(file);
  const load = (ref: string | Record<string, unknown>, at: (string | number)[]) =>
    typeof ref === 'string' ? loadJudgeFile(resolve(dir, ref), src.locate(at)) : resolveJudge(ref, file, (p) => src.locate([...at, ...p]));
  const judges = (s.judges ? s.judges.map((ref, i) => load(ref, ['judges', i])) : [load(s.judge!, ['judge'])]).map((j) => withPairwise(j, s, src));
  return { file, dir, src, s, judge: judges[0]!, judges };
}

/** A pairwise judge gets the suite's `pairwise:` options: asked in both orders unless it says not to (recorded verdicts have one order). */
function withPairwise(judge: ResolvedJudge, s: SuiteFile, src: YamlSource): ResolvedJudge {
  const pairwise = (j: ResolvedJudge) => j.scale.kind === 'categorical' && j.scale.pairwise === true;
  if (!pairwise(judge) && !judge.panel?.members.some(pairwise)) {
    if (s.pairwise) throw new ConfigError('pairwise: goes with a judge whose scale is pairwise', src.locate(['pairwise']));
    return judge;
  }
  const options = (j: ResolvedJudge): ResolvedJudge => {
    const swap = (s.pairwise?.swap ?? true) && PROVIDERS[j.provider].callsModel;
    if (swap && j.samples > 1) throw new ConfigError(`judge "${j.id}": samples > 1 with a pairwise judge asked in both orders is not supported yet; set pairwise: {swap: false} or samples: 1`, src.locate(['pairwise']));
    return { ...j, pairwise: { swap, inconsistent: s.pairwise?.inconsistent ?? 'tie' } };
  };
  return judge.panel ? { ...judge, panel: { ...judge.panel, members: judge.panel.members.map(options) } } : options(judge);
}

/**
 * What `annotate` needs of a suite: its name, the judge's scale and the items file — read
 * without validating the items, which may not be labeled yet.
 */
export function loadSuiteForLabeling(file: string): { name: string; scale: Scale; itemsFile: string | null; judge: ResolvedJudge } {
  const { s, dir, judge } = parseSuite(file);
  if (judge.criteria) throw new ConfigError(`judge "${judge.id}" has criteria: labeling multi-criteria suites in the terminal is not supported yet`, { file });
  return { name: s.suite, scale: judge.scale, itemsFile: typeof s.items === 'string' ? resolve(dir, s.items) : null, judge };
}

/** Below this many scored items a threshold reports insufficient evidence (suite option `min_items`). */
export const DEFAULT_MIN_ITEMS = 10;

/** --optimize: 30% of the items are held out to verify a rewrite (the 70/30). */
export const DEFAULT_SPLIT = { holdout: 0.3, seed: 0 };

/**
 * A suite file as the suites it runs: itself, or for a multi-criteria judge one view per
 * criterion (`<suite> › <criterion>`, scored on that criterion's scale and thresholds) and
 * a combined view (`<suite> › all criteria`: multilabel and multitask metrics). The views
 * share one call per item.
 */
export function loadSuites(file: string): ResolvedSuite[] {
  const p = parseSuite(file);
  if (p.judges.length > 1) return judgeVariants(p);
  if (p.judge.panel) return panelSuites(p);
  return p.judge.criteria ? criteriaViews(p) : [singleSuite(p)];
}

/**
 * `judges:` — one suite per judge on the same items and thresholds (`<suite> › <judge id>`),
 * each gated, with its own baseline and history; the run compares them side by side.
 */
function judgeVariants(p: ParsedSuite): ResolvedSuite[] {
  const { file, src, s, judges } = p;
  if (judges.some((j) => j.criteria)) throw new ConfigError('judges: comparing multi-criteria judges is not supported yet; compare one criterion at a time', src.locate(['judges']));
  const scale = JSON.stringify(judges[0]!.scale);
  const other = judges.findIndex((j) => JSON.stringify(j.scale) !== scale);
  if (other >= 0) throw new ConfigError(`judges: every judge compared must have the same scale; judge "${judges[other]!.id}" has ${judgeOfKind(judges[other]!.scale)}, judge "${judges[0]!.id}" ${judgeOfKind(judges[0]!.scale)}`, src.locate(['judges', other]));
  const names = variantNames(judges);
  const history = readHistory(file);
  return judges.map((judge, i) => {
    const name = `${s.suite} › ${names[i]}`;
    const baselineFile = file.replace(/\.ya?ml$/i, '') + `.${names[i]!.replace(/[^A-Za-z0-9._-]+/g, '_')}.baseline.json`;
    const baseline = readBaselineFile(baselineFile);
    const { baseline: _own, history: _history, ...base } = singleSuite({ ...p, judge });
    return { ...base, ...(baseline ? { baseline } : {}), ...historyOf(history, name), name, baselineFile, comparison: { group: `${file}#${s.suite}`, suite: s.suite, variant: names[i]! } };
  });
}

/**
 * `provider: panel` — each member as a suite of its own (`<suite> › <member id>`: its metrics
 * beside the panel's, its thresholds reported but not gating), then the panel's suite, scored
 * from the members' verdicts; the run compares them side by side.
 */
function panelSuites(p: ParsedSuite): ResolvedSuite[] {
  const { file, s, judge } = p;
  if (judge.provider === 'panel' && p.judges.length > 1) throw new ConfigError('a panel cannot be one of judges: compare its members instead', { file });
  const members = judge.panel!.members;
  const names = variantNames(members);
  const history = readHistory(file);
  const group = `${file}#${s.suite}`;
  const memberSuites: ResolvedSuite[] = members.map((m, i) => {
    const name = `${s.suite} › ${names[i]}`;
    const { baseline: _b, history: _h, ...base } = singleSuite({ ...p, judge: m });
    return { ...base, ...historyOf(history, name), name, panelMember: s.suite, comparison: { group, suite: s.suite, variant: names[i]! } };
  });
  const own = singleSuite(p);
  return [...memberSuites, { ...own, panel: { members: memberSuites, combine: judge.panel!.combine }, comparison: { group, suite: s.suite, variant: `panel ${judge.id}` } }];
}

/** Each judge's name in a comparison: its id, with the model when two share an id. */
export function variantNames(judges: readonly ResolvedJudge[]): string[] {
  const ids = judges.map((j) => j.id);
  const names = judges.map((j) => (ids.filter((id) => id === j.id).length > 1 ? `${j.id} (${j.model ?? j.provider})` : j.id));
  return names.map((n, i) => (names.indexOf(n) === i ? n : `${n} #${i + 1}`));
}

/**
 * The suites of each file; a file that cannot be loaded becomes one suite carrying its error
 * (reported as errored, like Vitest's file that fails to load), with the errors themselves.
 */
export function loadSuitesReportingErrors(files: readonly string[], cwd: string): { suites: ResolvedSuite[]; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  const suites = files.flatMap((file) => {
    try {
      return loadSuites(file);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      errors.push(err);
      return [unloadableSuite(file, err, cwd)];
    }
  });
  return { suites, errors };
}

/** A stand-in for a suite file that could not be loaded: no judge, no items, its error. */
function unloadableSuite(file: string, err: ConfigError, cwd: string): ResolvedSuite {
  const at = { file: err.location?.file ?? file, line: err.location?.line ?? 1, column: err.location?.column ?? 1 };
  const judge: ResolvedJudge = { id: '', provider: 'recorded', rubric: '', examples: [], scale: { kind: 'binary' }, limits: {}, samples: 1, responseFormat: 'json_schema', file };
  return {
    name: basename(file).replace(/\.ya?ml$/i, ''),
    file,
    judge,
    items: [],
    thresholds: [],
    slices: {},
    skipWithoutKey: false,
    minItems: 0,
    aggregation: 'majority',
    bootstrap: DEFAULT_BOOTSTRAP,
    calibration: DEFAULT_CALIBRATION,
    altTest: { epsilon: 0.2, q: 0.05, minInstances: 30, multiplicative: false, scoring: 'accuracy' },
    dependencies: [file],
    split: DEFAULT_SPLIT,
    loadError: { message: err.format(cwd), at },
  };
}

/** A suite file with a single-output judge (a multi-criteria suite: use loadSuites). */
export function loadSuite(file: string): ResolvedSuite {
  const p = parseSuite(file);
  if (p.judge.criteria) throw new ConfigError(`judge "${p.judge.id}" has criteria: this command does not handle multi-criteria suites yet`, { file });
  return singleSuite(p);
}

/** The item rows, from a data file (read lazily) or inline. */
function suiteRows({ s, src, dir }: ParsedSuite): Iterable<Row> {
  if (typeof s.items === 'string') return eachRow(resolve(dir, s.items), 'items file', src.locate(['items']));
  return s.items.map((value, i) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('expected each item to be a mapping', src.locate(['items', i]));
    }
    return { value: value as Record<string, unknown>, locate: (p: readonly PropertyKey[]) => src.locate(['items', i, ...p]) };
  });
}

/** The settings every suite (and every view of a multi-criteria suite) of a file shares. */
function sharedSettings(p: ParsedSuite, scale: Scale) {
  const { file, dir, s, judge } = p;
  // A code judge's local imports count too: editing a helper changes its verdicts (--changed, --watch).
  const code = judge.provider === 'module' && judge.path ? moduleGraph(judge.path).files.slice(1) : [];
  const dependencies = [file, judge.file, typeof s.items === 'string' ? resolve(dir, s.items) : undefined, judge.path, ...code, ...Object.values(s.metrics ?? {}).map((m) => resolve(dir, m)), s.unlabeled && 'verdicts' in s.unlabeled ? resolve(dir, s.unlabeled.verdicts) : undefined];
  return {
    file,
    dependencies: [...new Set(dependencies.filter((d): d is string => d !== undefined))],
    skipWithoutKey: s.skip_without_key ?? false,
    minItems: s.min_items ?? DEFAULT_MIN_ITEMS,
    split: { holdout: s.split?.holdout ?? DEFAULT_SPLIT.holdout, seed: s.split?.seed ?? DEFAULT_SPLIT.seed },
    bootstrap: { ...DEFAULT_BOOTSTRAP, ...s.bootstrap },
    calibration: { ...DEFAULT_CALIBRATION, ...s.calibration },
    altTest: altTestOptions(s, scale),
    ...(s.rationale_embedding ? { rationaleEmbedding: s.rationale_embedding } : {}),
    ...(s.metrics ? { customMetrics: customMetricSpecs(p, scale) } : {}),
    ...(s.early_stop ? { earlyStop: { confidence: s.early_stop.confidence ?? 0.95, looks: s.early_stop.looks ?? 5 } } : {}),
  };
}

/** `metrics:` — each name must not shadow a built-in metric; its module is loaded before scoring (config/metric-modules.ts). */
function customMetricSpecs({ dir, s, src }: ParsedSuite, scale: Scale): CustomMetricSpec[] {
  const builtIn = new Set(metricNamesFor(scale));
  return Object.entries(s.metrics ?? {}).map(([name, path]) => {
    const source = src.locate(['metrics', name]);
    if (builtIn.has(name)) throw new ConfigError(`metrics.${name}: a built-in metric has this name; give yours another`, source);
    return { name, file: resolve(dir, path), source };
  });
}

/** A suite's own lines of its file's history (the views of a multi-criteria suite share the file). */
function historyOf(entries: readonly HistoryEntry[], name: string) {
  const own = entries.filter((e) => e.suite === name);
  return own.length ? { history: own } : {};
}

function singleSuite(p: ParsedSuite): ResolvedSuite {
  const { file, dir, src, s, judge } = p;
  const aggregation = checkAggregation(s, src, judge.scale);
  const { items, unlabeled: unlabeledItems } = buildItems(suiteRows(p), judge.scale);
  if (items.length + unlabeledItems === 0) throw new ConfigError('the suite has no items', src.locate(['items']));
  const unlabeled = s.unlabeled === undefined ? undefined : loadUnlabeled(s.unlabeled, src, dir, judge.scale);
  const baseline = readBaseline(file);
  return {
    ...sharedSettings(p, judge.scale),
    ...(unlabeled ? { unlabeled } : {}),
    ...(unlabeledItems ? { unlabeledItems } : {}),
    ...(baseline ? { baseline } : {}),
    ...historyOf(readHistory(file), s.suite),
    name: s.suite,
    judge,
    items,
    thresholds: [...parseThresholds(s.thresholds ?? {}, ['thresholds'], src, judge.scale, [...metricNamesFor(judge.scale), ...Object.keys(s.metrics ?? {})]), ...parseDrift(s, src, judge.scale)],
    slices: parseSlices(s, src, judge.scale, items),
    aggregation,
  };
}

function altTestOptions(s: SuiteFile, scale: Scale): ResolvedSuite['altTest'] {
  return {
    epsilon: s.alt_test?.epsilon ?? 0.2,
    q: s.alt_test?.q ?? 0.05,
    minInstances: s.alt_test?.min_instances ?? 30,
    multiplicative: s.alt_test?.multiplicative ?? false,
    // Numeric scales compare by distance, the others by agreement (the authors' defaults).
    scoring: s.alt_test?.scoring ?? (scale.kind === 'ordinal' ? 'neg_rmse' : 'accuracy'),
  };
}

/** The judge's pass count on unlabeled outputs: given, or counted from a verdicts file. */
function loadUnlabeled(u: NonNullable<SuiteFile['unlabeled']>, src: YamlSource, dir: string, scale: Scale): { passed: number; total: number } {
  if (scale.kind !== 'binary') throw new ConfigError(`unlabeled (for corrected_pass_rate) needs a binary judge; this judge's scale is ${scale.kind}`, src.locate(['unlabeled']));
  if (!('verdicts' in u)) return u;
  let passed = 0;
  const rows = readRows(resolve(dir, u.verdicts), 'unlabeled verdicts file', src.locate(['unlabeled', 'verdicts']));
  // Checked like a recorded-verdicts file: every row names its item, once.
  const seen = new Map<string, number>();
  for (const row of rows) {
    const r = validate(recordedRowSchema, row.value, row.locate, 'unlabeled verdict');
    const first = seen.get(r.id);
    if (first !== undefined) throw new ConfigError(`duplicate unlabeled verdict for item "${r.id}" (first at line ${first})`, row.locate(['id']));
    seen.set(r.id, row.locate([]).line);
    const v = normalizeLabel(scale, r.verdict);
    if (!v.ok) throw new ConfigError(`verdict ${describeValue(r.verdict)}: expected ${v.expected}`, row.locate(['verdict']));
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

function parseDrift(s: SuiteFile, src: YamlSource, scale: Scale): ThresholdSpec[] {
  if (s.drift === undefined) return [];
  const list = Array.isArray(s.drift) ? s.drift : [s.drift];
  const valid = metricNamesFor(scale);
  return list.map((d, i) => {
    const at = Array.isArray(s.drift) ? ['drift', i] : ['drift'];
    if (!valid.includes(d.metric)) throw new ConfigError(`drift: unknown metric "${d.metric}" for ${judgeOfKind(scale)}; valid metrics: ${valid.join(', ')}`, src.locate([...at, 'metric']));
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

type ThresholdValue = Exclude<NonNullable<SuiteFile['thresholds']>[string], Record<string, unknown>> | { min?: number; max?: number; on?: 'estimate' | 'ci_low' | 'ci_high'; max_drop?: number };

/** "a binary judge", "an ordinal judge": what a metric name was checked against. */
function judgeOfKind(scale: Scale): string {
  return `${scale.kind === 'ordinal' ? 'an' : 'a'} ${scale.kind} judge`;
}

function parseThresholds(thresholds: Record<string, unknown>, at: string[], src: YamlSource, scale: Scale, valid = metricNamesFor(scale), what = judgeOfKind(scale)): ThresholdSpec[] {
  const specs: ThresholdSpec[] = [];
  for (const [metric, raw] of Object.entries(thresholds)) {
    const source = src.locate([...at, metric]);
    if (!valid.includes(metric)) {
      throw new ConfigError(`unknown metric "${metric}" for ${what}; valid metrics: ${valid.join(', ')}`, source);
    }
    if (raw !== null && typeof raw === 'object' && !['min', 'max', 'on', 'max_drop'].some((k) => k in raw)) {
      throw new ConfigError(`${metric}: expected ">= x", "<= y" or {min, max, on, max_drop}`, source);
    }
    const spec = raw as ThresholdValue;
    if (typeof spec === 'string') {
      const m = THRESHOLD_PATTERN.exec(spec)!;
      specs.push({ metric, op: m[1] as '>=' | '<=', target: Number(m[2]), on: 'estimate', source });
    } else {
      const on = spec.on ?? 'estimate';
      // Each check points at its own key (`min:`, `max:`, `max_drop:`), for annotations and reports.
      const keyOf = (key: string) => src.locateKey([...at, metric, key]);
      if (spec.min !== undefined) specs.push({ metric, op: '>=', target: spec.min, on, source: keyOf('min') });
      if (spec.max !== undefined) specs.push({ metric, op: '<=', target: spec.max, on, source: keyOf('max') });
      if (spec.max_drop !== undefined) specs.push({ metric, op: 'max_drop', target: spec.max_drop, on: 'estimate', source: keyOf('max_drop') });
    }
  }
  return specs;
}

/** The views of a multi-criteria suite: one per criterion, and the combined one. */
function criteriaViews(p: ParsedSuite): ResolvedSuite[] {
  const { file, src, s, judge } = p;
  const criteria = judge.criteria!;
  for (const key of ['slices', 'drift', 'unlabeled'] as const) {
    if (s[key] !== undefined) throw new ConfigError(`${key} is not supported with a multi-criteria judge yet`, src.locateKey([key]));
  }
  if (s.aggregation && s.aggregation !== 'majority') throw new ConfigError('a multi-criteria suite aggregates annotators by majority (mean, median and individual_average are not supported with criteria yet)', src.locate(['aggregation']));
  // Every criterion's view reads the rows again: keep them.
  const rows = [...suiteRows(p)];
  const history = readHistory(file);
  const names = criteria.map((c) => c.name);
  const thresholds = s.thresholds ?? {};
  const views: ResolvedSuite[] = criteria.map((c) => {
    const { items, unlabeled: unlabeledItems } = buildItems(rows, c.scale, c.name);
    if (items.length === 0 && unlabeledItems < rows.length) throw new ConfigError(`criterion "${c.name}": no item has a human label for it`, src.locate(['items']));
    const raw = thresholds[c.name];
    if (raw !== undefined && (raw === null || typeof raw !== 'object' || ['min', 'max', 'on', 'max_drop'].some((k) => k in (raw as object)))) {
      throw new ConfigError(`thresholds.${c.name}: expected the thresholds of criterion "${c.name}" (metric: threshold)`, src.locate(['thresholds', c.name]));
    }
    const name = `${s.suite} › ${c.name}`;
    const baselineFile = file.replace(/\.ya?ml$/i, '') + `.${c.name}.baseline.json`;
    const baseline = readBaselineFile(baselineFile);
    return {
      ...sharedSettings(p, c.scale),
      ...(baseline ? { baseline } : {}),
      ...(unlabeledItems ? { unlabeledItems } : {}),
      ...historyOf(history, name),
      name,
      criterion: c.name,
      judge: { ...judge, scale: c.scale, criterion: c.name },
      items,
      thresholds: raw === undefined ? [] : parseThresholds(raw as Record<string, unknown>, ['thresholds', c.name], src, c.scale, metricNamesFor(c.scale), `criterion "${c.name}" (${judgeOfKind(c.scale).replace(/ judge$/, ' scale')})`),
      slices: {},
      aggregation: 'majority',
      baselineFile,
    };
  });
  const combinedSpecs = Object.fromEntries(Object.entries(thresholds).filter(([k]) => !names.includes(k)));
  const combinedName = `${s.suite} › all criteria`;
  const combined: ResolvedSuite = {
    ...sharedSettings(p, judge.scale),
    ...historyOf(history, combinedName),
    name: combinedName,
    judge,
    items: views[0]!.items,
    combined: { members: views },
    thresholds: parseThresholds(combinedSpecs, ['thresholds'], src, judge.scale, COMBINED_METRICS, `the criteria together (or a criterion: ${names.join(', ')})`),
    slices: {},
    aggregation: 'majority',
  };
  return [...views, combined];
}
