// The public API of `judge-test`: what scripts, config files and code judges may import. Each
// name is listed on purpose; everything else under src/ is internal and may change.

// Configuration helpers
import type { JudgeFile } from './config/schemas.js';
import type { UserConfig } from './settings/config-file.js';
import type { CustomMetricFn } from './types.js';

/** Type helper for judge-test.config.{js,mjs,ts}: `export default defineConfig({...})`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Type helper for judges written in code (module judges, scripts). */
export function defineJudge(judge: JudgeFile): JudgeFile {
  return judge;
}

/**
 * Type helper for a suite's own metric (`metrics: {name: ./file.js}` in the suite): a function
 * of the items, or `{value, lowerIsBetter}`. `export default defineMetric((items) => ...)`.
 */
export function defineMetric<M extends CustomMetricFn | { value: CustomMetricFn; lowerIsBetter?: boolean }>(metric: M): M {
  return metric;
}

/** What a custom metric receives (one entry per item) and returns. */
export type { CustomMetricFn, CustomMetricItem } from './types.js';

/** The config file's shape (judge-test.config.*). */
export type { UserConfig } from './settings/config-file.js';
/** A judge file and a suite file as written (before validation fills in defaults). */
export type { JudgeFile, SuiteFile } from './config/schemas.js';
/** What a code judge (`provider: module`) receives and returns. */
export type { ModuleJudgeFn, ModuleJudgeInput } from './providers/module.js';

// Loading suites

/** Resolve one suite file: its judge, items, thresholds, history and baseline (throws ConfigError on bad input). */
export { loadSuite } from './config/load-suite.js';
/** Resolve one judge file. */
export { loadJudgeFile } from './config/load-judge.js';
/** The suite files under a folder whose paths match the filters (as the CLI finds them). */
export { findSuiteFiles } from './config/discover.js';
/** A label as the judge's scale reads it ('pass' | 'fail', an integer, a class name), and a scale's labels in order. */
export { normalizeLabel, scaleLabels } from './scale/scale.js';
/** Bad input in a user's file, with the file and line it points at. */
export { ConfigError } from './errors.js';

// Running

/** Judge, score and report suites, as `judge-test` does; defaultRunOptions fills in what you leave out. */
export { runSuites, defaultRunOptions, type RunOptions, type RunOutcome } from './run/run-suites.js';
/** A reporter by name (`default`, `junit`, `json`, `github`, `markdown`, `html`, `blob`), to pass to runSuites. */
export { createReporter, REPORTER_NAMES, type ReporterContext, type ReporterName } from './report/index.js';
/** The JSON report (the `json` reporter's file) of a run's results. */
export { toJsonReport, type JsonReport } from './report/json.js';
/** The JUnit XML (the `junit` reporter's file) of a run's results. */
export { toJunitXml } from './report/junit.js';

// --optimize

/** Rewrite failing suites' rubrics from their misaligned dev items, accepted only if the holdout confirms. */
export { runOptimize, type OptimizeRunOptions } from './optimize/run-optimize.js';
/** --optimize's search size and optimizer model, and their defaults. */
export { DEFAULT_OPTIMIZE, DEFAULT_MAX_CALLS, type OptimizeSettings, type OptimizerChoice } from './optimize/defaults.js';
/** The dev / holdout split --optimize uses: seeded by item id, stratified by human label. */
export { splitItems } from './optimize/split.js';

// Metrics on plain label arrays (each checked against scikit-learn, SciPy, statsmodels or R)

/** Share of items where judge and human agree. */
export { accuracy } from './metrics/accuracy.js';
/** Share of ordinal items where judge and human differ by at most `tolerance`. */
export { agreementWithin } from './metrics/agreement-within.js';
/** Cohen's kappa, unweighted or linear / quadratic weighted. */
export { cohenKappa, type KappaWeights } from './metrics/cohen-kappa.js';
/** Spearman's rank correlation. */
export { spearman } from './metrics/spearman.js';
/** Mean absolute error between two ordinal label arrays. */
export { meanAbsoluteError } from './metrics/mean-absolute-error.js';
/** Counts of each (human, judge) label pair, and the binary TP / FP / TN / FN counts. */
export { confusionMatrix, binaryCounts, type BinaryCounts, type ConfusionMatrix } from './metrics/confusion-matrix.js';
/** Precision, recall, F1, false-positive and false-negative rates from binary counts. */
export { precision } from './metrics/precision.js';
export { recall } from './metrics/recall.js';
export { f1 } from './metrics/f1.js';
export { fpRate } from './metrics/fp-rate.js';
export { fnRate } from './metrics/fn-rate.js';
/** Agreement among several annotators: Fleiss' kappa and Krippendorff's alpha. */
export { fleissKappa } from './metrics/fleiss-kappa.js';
export { krippendorffAlpha, type AlphaLevel } from './metrics/krippendorff-alpha.js';
/** The most common label, or null on a tie. */
export { majorityLabel } from './metrics/majority.js';
/** Wilson score interval of a proportion k / n. */
export { wilsonInterval } from './metrics/wilson.js';

/** The types every stage speaks: suites, items, verdicts, results, reports. */
export type * from './types.js';
