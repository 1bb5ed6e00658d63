// The types every part speaks, and nothing else: this file imports nothing (docs/architecture.md).

/** A label normalized to the judge's scale: 'pass' | 'fail' for binary, an integer for ordinal, a class name for categorical. */
export type Label = string | number;

export type Scale =
  | { kind: 'binary' }
  | { kind: 'ordinal'; min: number; max: number }
  /** `pairwise`: which of two outputs is better — labels A, B (and tie); the judge is asked in both orders. */
  | { kind: 'categorical'; labels: string[]; pairwise?: boolean };

/** One message of a chat prompt, as every provider takes it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Where a value came from in a user's file, so errors and reports can point at it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface Item {
  id: string;
  /** Every field of the item other than the label fields (input, output, expected, context, ...). */
  fields: Record<string, unknown>;
  /** Human labels by annotator; a single `label` is stored under the annotator name "human". */
  labels: Record<string, Label>;
  notes?: string;
  tags?: string[];
  /** Anchor metadata from a calibration session: the agreed label (it overrides the aggregation), why, and edge cases. */
  anchor?: { consensus?: Label; rationale?: string; edgeCase?: string; origin?: string };
  source: SourceLocation;
}

export interface FewShotExample {
  fields: Record<string, unknown>;
  verdict: Label;
  /** A multi-criteria judge's example: the label of every criterion (`verdict` is then the first's). */
  verdicts?: Record<string, Label>;
  reason?: string;
}

/** The judge providers; each has its file and its row in the table of src/providers/index.ts. */
export const PROVIDER_NAMES = ['openai', 'azure-openai', 'anthropic', 'anthropic-bedrock', 'anthropic-vertex', 'module', 'recorded', 'panel'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export interface ResolvedJudge {
  id: string;
  provider: ProviderName;
  model?: string;
  baseURL?: string;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  rubric: string;
  template?: string;
  examples: FewShotExample[];
  /** The scale of the verdict (for a multi-criteria judge: of the criterion this view scores). */
  scale: Scale;
  /** A multi-criteria judge: every named output with its scale, all answered by one call. */
  criteria?: { name: string; scale: Scale }[];
  /** A pairwise judge (its scale's `pairwise`): asked in both orders (the suite's `pairwise:`), and what an answer that flips with the order is. */
  pairwise?: { swap: boolean; inconsistent: 'tie' | 'unparseable' };
  /** `provider: panel`: the member judges whose verdicts it combines per item, and how. */
  panel?: { members: ResolvedJudge[]; combine: 'majority' | 'mean' | 'median' };
  /** The criterion a suite view of a multi-criteria judge scores. */
  criterion?: string;
  /** Absolute path of the module or recorded-verdicts file. */
  path?: string;
  /** Limits for this judge's endpoint and model: calls in flight, requests and tokens per minute. */
  limits: { concurrency?: number; rpm?: number; tpm?: number };
  /** Calls per item (`samples: k`); the verdict is their majority (ordinal: rounded mean). */
  samples: number;
  /**
   * A tie among the samples (ordinal: a mean halfway between two points): no verdict
   * (`no_consensus`, the default: a gate must not resolve doubt toward passing), or broken
   * toward `fail` (the lower point) or `pass` (the higher point).
   */
  tie?: 'no_consensus' | 'fail' | 'pass';
  /** Where a verdict's confidence comes from; default: verbalized for one sample, the samples' agreement for several. */
  confidence?: 'logprobs' | 'verbalized' | 'samples';
  /** OpenAI only: ask for a JSON-schema answer (default), any JSON object, or plain text. */
  responseFormat: 'json_schema' | 'json_object' | 'text';
  /** Absolute path of the file that defined the judge (the suite file for an inline judge). */
  file: string;
}

/**
 * `max_drop`: the metric may worsen by at most `target` against the suite's baseline.
 * `drift`: by at most `target` against its rolling mean over the last `window` runs in the history.
 */
export type ThresholdOp = '>=' | '<=' | 'max_drop' | 'drift';

export interface ThresholdSpec {
  metric: string;
  op: ThresholdOp;
  target: number;
  /** What is compared with the target: the point estimate (default) or a bound of its interval. */
  on: 'estimate' | 'ci_low' | 'ci_high';
  /** `drift`: how many past runs the rolling mean is over. */
  window?: number;
  source: SourceLocation;
}

export interface ResolvedSuite {
  name: string;
  /** Absolute path of the suite file. */
  file: string;
  judge: ResolvedJudge;
  items: Item[];
  thresholds: ThresholdSpec[];
  /** Thresholds on the items with a tag: tag -> specs. */
  slices: Record<string, ThresholdSpec[]>;
  /** Skip (not fail) when the judge's provider has no credentials or endpoint configured. */
  skipWithoutKey: boolean;
  /** Fewer scored items than this: thresholds report insufficient evidence, not a pass. */
  minItems: number;
  /** How several annotators' labels are compared with the judge's. */
  aggregation: 'majority' | 'mean' | 'median' | 'individual_average';
  bootstrap: { resamples: number; seed: number; confidence: number; method?: 'percentile' | 'bca' };
  /** Reliability bins for verdict confidences. */
  calibration: { bins: number; strategy: 'uniform' | 'quantile' };
  altTest: { epsilon: number; q: number; minInstances: number; multiplicative: boolean; scoring: 'accuracy' | 'neg_rmse' };
  /** Every file the suite's result depends on (suite, judge, data, module, verdicts): for --changed. */
  dependencies: string[];
  /** How --optimize divides the items: this share goes to the holdout, by a seeded hash of each item. */
  split: { holdout: number; seed: number };
  /** `metrics:` — the suite's own metrics, each a module exporting a function over the scored items (loaded before scoring: `fn`). */
  customMetrics?: CustomMetricSpec[];
  /**
   * `early_stop:` — judge the items in a seeded random order and stop at a look once every
   * threshold is settled; `outcome` is set on the suite a run scored after deciding early.
   */
  earlyStop?: { confidence: number; looks: number; outcome?: { judged: number; of: number; look: number } };
  /** A panel member's suite: the panel's name. Its thresholds are reported, not gated: the panel is what gates. */
  panelMember?: string;
  /** A panel judge's suite: scored from its member judges' suites (`<suite> › <member id>`), item by item. */
  panel?: { members: ResolvedSuite[]; combine: 'majority' | 'mean' | 'median' };
  /** A view of a multi-criteria suite: the criterion it scores, or the combined multilabel / multitask view over `members`. */
  criterion?: string;
  combined?: { members: ResolvedSuite[] };
  /** Where `--update` writes this suite's baseline (a view of a multi-criteria suite has its own). */
  baselineFile?: string;
  /**
   * One judge of several compared on the same items (`judges:` in the suite, or `--judge-model`):
   * the group of variants it belongs to, its name in the comparison, and whether it was made
   * on the command line (then it records no history and no baseline).
   */
  comparison?: { group: string; suite: string; variant: string; adhoc?: boolean };
  /** The embedding model for rationale_semantic_similarity (OpenAI-compatible /v1/embeddings). */
  rationaleEmbedding?: { model: string; baseURL?: string };
  /** Earlier runs' metrics (`<suite>.history.jsonl`), oldest first. */
  history?: HistoryEntry[];
  /** The recorded baseline (`<suite>.baseline.json`), if any. */
  baseline?: Baseline;
  /** `--update`: this run records the baseline, so `max_drop` compares the run with itself (as `vitest -u` passes). */
  recordingBaseline?: boolean;
  /** The judge's verdicts on unlabeled outputs, for corrected_pass_rate (binary judges). */
  unlabeled?: { passed: number; total: number };
  /** Items of the suite no annotator has labeled yet: left out of `items` (and the metrics), counted. */
  unlabeledItems?: number;
  /** The suite file could not be loaded: the run reports it as errored (and exits 2) and runs the others. */
  loadError?: { message: string; at: SourceLocation };
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens the provider served from its prompt cache (when it says). */
  cachedInputTokens?: number;
  /** Milliseconds the provider took to answer (summed over an item's calls); kept in the cache, so a replay still knows it. */
  latencyMs?: number;
}

/** `no_consensus`: the judge's samples tie (`samples: k`) and the judge says not to break ties. */
export type VerdictStatus = 'ok' | 'unparseable' | 'error' | 'no_consensus';

export interface Verdict {
  label: Label | null;
  /** A multi-criteria judge's answer: every criterion's label (`label` is this view's). */
  labels?: Record<string, Label>;
  reason: string;
  confidence?: number;
  raw?: string;
  status: VerdictStatus;
  cached: boolean;
  usage?: Usage;
  /** Why the verdict is unparseable or an error. */
  error?: string;
  /** With `samples: k`: each sample's label (null: unparseable), and the share that disagrees with the verdict. */
  samples?: (Label | null)[];
  flipRate?: number;
  /** A pairwise judge asked in both orders: its answer in each, as given ("A" is the output shown first), and whether they agree once the second is mapped back. */
  orders?: { first: Label | null; swapped: Label | null; consistent: boolean };
}

export type Outcome = 'TP' | 'FP' | 'TN' | 'FN' | 'agree' | 'disagree' | 'unparseable' | 'no_consensus' | 'error';

export interface ItemResult {
  item: Item;
  /** The human consensus label; null when annotators tie. */
  human: Label | null;
  verdict: Verdict;
  outcome: Outcome;
  /** Ratcliff–Obershelp ratio of the judge's reason and the human note, when both exist. */
  rationaleSimilarity?: number;
  /** Cosine of the embeddings of the judge's reason and the human note (suites with rationale_embedding). */
  rationaleSemanticSimilarity?: number;
}

export interface CalibrationReport {
  strategy: 'uniform' | 'quantile';
  /** Non-empty bins: items, their mean confidence, and the share whose verdict was right. */
  bins: { count: number; meanConfidence: number; accuracy: number }[];
  /** The temperature that would minimize NLL; > 1 means the judge is over-confident. */
  temperature: number | null;
}

export interface ClassScore {
  label: Label;
  /** Items the humans gave this label. */
  support: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface MetricValue {
  value: number | null;
  n: number;
  reason?: string;
  /** Bootstrap confidence interval; null when it could not be estimated. */
  ci?: [number, number] | null;
  /** Undefined for lack of data: a threshold on it reports insufficient evidence. */
  insufficient?: boolean;
}

export interface ThresholdOutcome {
  metric: string;
  op: ThresholdOp;
  target: number;
  on: ThresholdSpec['on'];
  /** The compared value: the estimate, or the interval bound named by `on`. */
  actual: number | null;
  estimate: number | null;
  ci: [number, number] | null;
  n: number;
  status: 'passed' | 'failed' | 'insufficient';
  /** Reported but not gating the suite (a drift check with no history yet). */
  advisory?: boolean;
  reason?: string;
  /** The tag whose items this threshold is about (`slices:` in the suite). */
  slice?: string;
  /** `drift`: the runs the rolling mean (in `baseline`) is over. */
  window?: number;
  /** Against the baseline (when the suite has one), or for `drift` the rolling mean: its value, the change, and the change's paired interval. */
  baseline?: number;
  delta?: number;
  deltaCi?: [number, number] | null;
  source: SourceLocation;
}

export type SuiteStatus = 'passed' | 'failed' | 'error' | 'skipped';

/** One item as a custom metric sees it. */
export interface CustomMetricItem {
  id: string;
  /** The humans' label (the suite's aggregation), and every annotator's. */
  human: Label | null;
  labels: Record<string, Label>;
  /** The judge's verdict (null: unparseable, an error, or a tie). */
  verdict: Label | null;
  status: VerdictStatus;
  confidence?: number;
  /** The item's fields: input, output, expected, context, and any other. */
  fields: Record<string, unknown>;
}

/** A custom metric's value over a set of items: a number, or null when it is undefined for them. */
export type CustomMetricFn = (items: readonly CustomMetricItem[]) => number | null;

/** A suite's `metrics:` entry. */
export interface CustomMetricSpec {
  name: string;
  /** The module's absolute path. */
  file: string;
  source: SourceLocation;
  /** Set once the module is loaded. */
  fn?: CustomMetricFn;
  lowerIsBetter?: boolean;
}

/** One judge in a comparison: its thresholded metrics, reliability, and what it costs. */
export interface ComparisonRow {
  variant: string;
  judge: string;
  model: string | null;
  status: SuiteStatus;
  /** Every metric a variant is gated on, with its interval. */
  metrics: Record<string, { value: number | null; ci: [number, number] | null }>;
  unparseableRate: number | null;
  /** Items judged, and the model calls, tokens and USD (null: unpriced) their verdicts took — cached ones too: what the judge costs, not what this run paid. */
  items: number;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  usd: number | null;
  /** Summed provider latency scaled to 1,000 items, one call at a time (null: no latency recorded). */
  latencyPer1000Ms: number | null;
}

/** Judge b against judge a on the items both answered: b − a with a paired bootstrap interval. */
export interface JudgeDifference {
  a: string;
  b: string;
  metric: string;
  delta: number;
  ci: [number, number] | null;
  /** The interval excludes 0. */
  beyondNoise: boolean;
  n: number;
}

/** Several judges on the same anchors (issue: "which judge?"). */
export interface JudgeComparison {
  /** The suite's own name (without the variant). */
  suite: string;
  file: string;
  rows: ComparisonRow[];
  differences: JudgeDifference[];
  /** The agreement metric the Pareto front and the chart use. */
  agreementMetric: string;
  /** The cheapest variant that passes every threshold, or null, and why. */
  recommended: string | null;
  recommendation: string;
  /** Variants no other variant beats on both agreement and cost. */
  front: string[];
}

export interface SuiteResult {
  suite: ResolvedSuite;
  items: ItemResult[];
  metrics: Record<string, MetricValue>;
  /** Count of each class pair, human label first: confusion[human][judge]. */
  confusion: { labels: Label[]; counts: number[][] };
  /** Per-class precision / recall / F1 (binary and categorical scales). */
  classes: ClassScore[];
  /** Reliability diagram and fitted temperature, when verdicts carry confidences. */
  calibration: CalibrationReport | null;
  /** The Alternative Annotator Test, per left-out annotator (null with fewer than 2 annotators). */
  altTest: { annotators: { annotator: string; n: number; advantageProbability: number; pValue: number; rejected: boolean }[] } | null;
  /** Metrics of the items with each tag the suite has `slices:` thresholds for. */
  slices: Record<string, { metrics: Record<string, MetricValue> }>;
  thresholds: ThresholdOutcome[];
  status: SuiteStatus;
  /** Why a suite was skipped or errored. */
  message?: string;
  durationMs: number;
  /** Items whose verdict changed since the suite's baseline (with a baseline only). */
  flips?: Flip[];
  /** A judge compared with others on the same items: the comparison of its group (the same object on every variant). */
  comparison?: JudgeComparison;
  /** This suite's model calls in this run. */
  spent?: Spend;
  /** --optimize: what was tried on this suite's rubric, and what the holdout accepted. */
  optimization?: OptimizationReport;
  /** --optimize: why this failing suite was not optimized. */
  optimizationNote?: string;
}

/** Tokens and their price (null when a model used has no price). */
export interface Spend {
  inputTokens: number;
  outputTokens: number;
  /** Of the input tokens, those the provider's prompt cache served (priced as full input here). */
  cachedInputTokens: number;
  usd: number | null;
}

export interface RunStats {
  /** Calls to a model provider (cacheable providers; a repair attempt counts). */
  calls: number;
  /** Answers read locally without a model: recorded verdicts and uncached code judges. */
  local: number;
  cached: number;
  errors: number;
  durationMs: number;
  cancelled: boolean;
  /** --max-cost was reached mid-run: no further calls were started. */
  stoppedByBudget?: boolean;
  /** --no-cache: no verdict was read from or written to the cache. */
  cacheOff?: boolean;
  /** What this run's model calls used and cost, and what its cached verdicts would have. */
  spent?: Spend;
  saved?: Spend;
}

export interface RunPlan {
  suites: ResolvedSuite[];
  totalItems: number;
}

/** One file per reporter; the runner calls these hooks in order. */
export interface Reporter {
  onRunStart?(plan: RunPlan): void;
  onItemDone?(suite: ResolvedSuite, result: ItemResult): void;
  onSuiteDone?(result: SuiteResult): void;
  onRunDone(results: SuiteResult[], stats: RunStats): Promise<void> | void;
}

// History and baselines (history/): what earlier runs recorded.

export interface HistoryEntry {
  /** ISO time of the run. */
  time: string;
  suite: string;
  judge: string;
  model: string | null;
  /** Short hashes: what the judge was asked (rubric, template, few-shot examples) and what it was asked about (items and labels). */
  rubric: string;
  items: string;
  /** The git commit the run was made at, when the suite is in a git work tree. */
  commit: string | null;
  status: SuiteResult['status'];
  n: number;
  /** Every defined metric, rounded to 6 decimals. */
  metrics: Record<string, number>;
}

export interface Baseline {
  suite: string;
  judge: string;
  model: string | null;
  /** Metric values at the time of --update. */
  metrics: Record<string, number>;
  /** The judge's verdict per item id: the paired comparison's "before" (empty in a baseline written before verdicts were kept). */
  verdicts: Record<string, Label>;
  /** The judge's reason per item id (redacted, clipped), for the items that flip later; absent in older baselines. */
  reasons?: Record<string, string>;
}

/** An item whose verdict changed since the baseline. */
export interface Flip {
  id: string;
  human: Label;
  before: Label;
  after: Label;
  /** now_wrong: the baseline agreed with the humans and this run does not; now_right: the reverse; changed: wrong both times, differently. */
  kind: 'now_wrong' | 'now_right' | 'changed';
  reasonBefore?: string;
  reasonAfter?: string;
}

// --optimize (optimize/): the log of one suite's rubric search, read by the reporters.

export type MisalignmentKind = 'false_positive' | 'false_negative' | 'over_scored' | 'under_scored' | 'confused' | 'unparseable';

export interface Theme {
  name: string;
  description: string;
  /** Ids of the dev items the theme groups. */
  items: string[];
}

export interface Objective {
  /** Summed distance of the constraint thresholds (error rates, drops from the baseline) from being met, in their own units (0: all met). */
  violation: number;
  /** Summed distance of the agreement thresholds from being met, each in units of its chance-to-target span (0: all met). */
  shortfall: number;
  /** Thresholds not passed. */
  failing: number;
  /** Summed margin on the thresholds that failed at the start, in the same units ("maximize kappa subject to fp_rate <= y"). */
  margin: number;
  /** Rubric and few-shot text length: the tie-breaker, shorter wins. */
  length: number;
}

/** A metric on one side of the split, as the before/after table shows it. */
export interface SideMetric {
  value: number | null;
  ci: [number, number] | null;
}

export interface SideSummary {
  items: number;
  thresholds: { key: string; status: ThresholdOutcome['status']; actual: number | null; estimate: number | null; ci: [number, number] | null }[];
  metrics: Record<string, SideMetric>;
  objective: Objective;
}

export interface CandidateLog {
  round: number;
  index: number;
  rubric: string;
  /** Ids of the dev items whose humans' labels are its few-shot examples: those the optimizer named, label-balanced from the shown items unless `optimize.few_shot: as_named`. */
  examples: string[];
  rationale: string;
  /** Example ids the optimizer named that are not in its few-shot set: not dev items it was shown (never used), or balanced away. */
  ignoredExamples: string[];
  /** Dev items it judged wrong that the rubric it was to replace judged right (shown to the optimizer in later rounds). */
  newErrors?: string[];
  /** The candidate judge's few-shot examples: the named items with the humans' labels, or, when it named none, the ones it inherited. `judge-test optimize apply` writes them. */
  exampleSet: FewShotExample[];
  dev?: SideSummary;
  holdout?: SideSummary & {
    deltas: Record<string, { delta: number; ci: [number, number] | null }>;
    /** The holdout test: the gauge's change (after − before), the one-sided p-value of a gain, and the confidence this consultation needed (p <= 1 − confidence). */
    gain?: { gauge: string; delta: number; p: number; confidence: number };
  };
  decision: 'accepted' | 'rejected';
  reason: string;
}

export interface RoundLog {
  round: number;
  misalignments: Partial<Record<MisalignmentKind, number>>;
  themes: Theme[];
  /** Dev item ids the optimizer was shown this round. */
  shown: string[];
  candidates: CandidateLog[];
  /** Why the round produced nothing to try, if so. */
  note?: string;
}

export interface OptimizationReport {
  suite: string;
  judge: string;
  /** The file the judge is defined in (the suite file for an inline judge). */
  judgeFile: string;
  /** SHA-256 of the judge file's text when the search started: `optimize apply` refuses a file changed since. */
  judgeSha256: string;
  optimizer: string;
  split: { seed: number; holdoutShare: number; dev: number; holdout: number; byLabel: Record<string, [number, number]> };
  rounds: RoundLog[];
  before: { dev: SideSummary; holdout: SideSummary };
  /** The accepted rubric's scores; null when no candidate was accepted. */
  after: { dev: SideSummary; holdout: SideSummary } | null;
  accepted: boolean;
  /** Why the loop ended. */
  stop: string;
  rubric: { before: string; after: string | null };
  examples: { before: FewShotExample[]; after: FewShotExample[] | null };
  calls: { optimizer: number; optimizerCached: number; judge: number; judgeCached: number };
  /** What the search's model calls used and cost: the optimizer's, and the judge's on dev and holdout. */
  spent: { optimizer: Spend; judge: Spend };
  /**
   * Dev items every candidate (two or more) judged against the humans, whose label has no
   * note or rationale: labels to re-check (they drift too).
   */
  recheck: string[];
  /** The Pareto set on dev at the end: candidates ("<round>.<index>") none of the others nor the current rubric beats on every threshold, with the thresholds each is best on. */
  pareto: { id: string; bestOn: string[] }[];
  /** Whether the judge file was rewritten (false with --dry-run or when nothing was accepted). */
  written: boolean;
  /** The unified diff of the judge file (also with --dry-run), when a rubric was accepted. */
  diff?: string;
  /** Where this log was written (also with --dry-run: its candidates can be reviewed and applied). */
  logFile?: string;
}
