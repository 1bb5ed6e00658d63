// The programmatic API: the same engine the CLI uses, for scripts and Vitest tests.
export { loadSuite } from './config/load-suite.js';
export { loadJudgeFile } from './config/load-judge.js';
export { findSuiteFiles } from './config/discover.js';
export { normalizeLabel, scaleLabels } from './config/scale.js';
export { runSuites, defaultRunOptions, type RunOptions, type RunOutcome } from './run/run-suites.js';
export { createReporter } from './report/index.js';
export { toJsonReport, type JsonReport } from './report/json.js';
export { toJunitXml } from './report/junit.js';
export * from './metrics/index.js';
export { majorityLabel } from './metrics/majority.js';
export { ConfigError } from './errors.js';
export { runOptimize, type OptimizeRunOptions, type OptimizerChoice } from './optimize/run-optimize.js';
export { DEFAULT_OPTIMIZE, type OptimizationReport, type OptimizeSettings } from './optimize/optimize-suite.js';
export { splitItems } from './optimize/split.js';
export type * from './types.js';
export type { ModuleJudgeFn, ModuleJudgeInput } from './judge/providers/module.js';
export type { JudgeFile, SuiteFile } from './config/schemas.js';

export type { UserConfig } from './config/config-file.js';

import type { UserConfig } from './config/config-file.js';
import type { JudgeFile } from './config/schemas.js';
/** Type helper for judge-test.config.{js,mjs,ts}: `export default defineConfig({...})`. */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}

/** Type helper for judges written in code (module judges, scripts). */
export function defineJudge(judge: JudgeFile): JudgeFile {
  return judge;
}
