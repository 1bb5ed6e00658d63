// `judge-test/vitest`: calibration suites as Vitest tests — a `describe` per suite, a `test` per
// threshold, failing with the console reporter's message — so results show in Vitest's
// reporters, `vitest --ui` and the VS Code extension; and matchers for hand-written tests.
// Vitest is an optional peer dependency: only this entry point imports it.
import { resolve } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { allowsPass } from './assert/thresholds.js';
import { findSuiteFiles } from './config/discover.js';
import { loadSuitesReportingErrors } from './config/load-suite.js';
import { formatThreshold } from './report/format.js';
import { defaultRunOptions, runSuites, type RunOptions } from './run/run-suites.js';
import type { MetricValue, ResolvedSuite, SuiteResult, ThresholdSpec } from './types.js';

export interface SuiteTestOptions {
  /** The project's root (default: the current directory). */
  cwd?: string;
  /** Where the suites are (default: calibration-suites). */
  dir?: string;
  /** Suite file filters, as on the command line. */
  filters?: string[];
  /** Run options beyond the defaults (cache folder, concurrency, offline, …). */
  run?: Partial<RunOptions>;
  /** A suite's judging may take a while: the hook's timeout in ms (default 10 minutes). */
  timeoutMs?: number;
}

/** "kappa >= 0.6", "[safety] fp_rate <= 0.05", "kappa max_drop 0.05": a threshold's test name. */
function title(t: Pick<ThresholdSpec, 'metric' | 'op' | 'target' | 'on'> & { slice?: string }): string {
  return `${t.slice ? `[${t.slice}] ` : ''}${t.metric} ${t.op} ${t.target}${t.on && t.on !== 'estimate' ? ` (${t.on})` : ''}`;
}

/**
 * Register the suites as Vitest tests: one `describe` per suite file and suite, one `test` per
 * threshold. Each file's suites are judged once, in a `beforeAll` (cached verdicts make it
 * quick). A suite file that cannot be loaded is a failing test naming the problem; a suite
 * skipped for want of a key skips its tests.
 */
export function describeSuites(options: SuiteTestOptions = {}): void {
  const cwd = options.cwd ?? process.cwd();
  const files = findSuiteFiles(cwd, options.dir ?? 'calibration-suites', options.filters ?? []);
  for (const file of files) {
    const { suites, errors } = loadSuitesReportingErrors([file], cwd);
    describe(file.startsWith(cwd) ? file.slice(cwd.length + 1) : file, () => {
      if (errors.length > 0) {
        test('load the suite file', () => {
          throw new Error(errors.map((e) => e.format(cwd)).join('\n'));
        });
        return;
      }
      const results = new Map<ResolvedSuite, SuiteResult>();
      beforeAll(async () => {
        const outcome = await runSuites(suites, defaultRunOptions({ cwd, cacheDir: resolve(cwd, '.judge-cache'), ...options.run }));
        suites.forEach((s, i) => results.set(s, outcome.results[i]!));
      }, options.timeoutMs ?? 600_000);
      for (const suite of suites) {
        describe(suite.name, () => {
          const specs = [...suite.thresholds, ...Object.entries(suite.slices).flatMap(([slice, ts]) => ts.map((t) => ({ ...t, slice })))];
          if (specs.length === 0) {
            test('judges every item', (ctx) => {
              const r = results.get(suite)!;
              if (r.status === 'skipped') ctx.skip();
              if (r.status === 'error') throw new Error(r.message ?? 'error');
            });
          }
          for (const spec of specs) {
            test(title(spec), (ctx) => {
              const r = results.get(suite)!;
              if (r.status === 'skipped') ctx.skip();
              if (r.status === 'error') throw new Error(r.message ?? 'error');
              const t = r.thresholds.find((o) => o.metric === spec.metric && o.op === spec.op && o.target === spec.target && o.slice === ('slice' in spec ? spec.slice : undefined));
              if (!t) throw new Error(`${title(spec)}: not checked`);
              if (!allowsPass(t)) throw new Error(formatThreshold(t));
            });
          }
        });
      }
    });
  }
}

/** Judge one suite file (the first suite in it, or the one named `name`) and return its result, for hand-written tests. */
export async function runSuite(file: string, options: { cwd?: string; name?: string; run?: Partial<RunOptions> } = {}): Promise<SuiteResult> {
  const cwd = options.cwd ?? process.cwd();
  const { suites, errors } = loadSuitesReportingErrors([resolve(cwd, file)], cwd);
  if (errors.length > 0) throw new Error(errors.map((e) => e.format(cwd)).join('\n'));
  const outcome = await runSuites(suites, defaultRunOptions({ cwd, cacheDir: resolve(cwd, '.judge-cache'), ...options.run }));
  const result = options.name === undefined ? outcome.results[0] : outcome.results.find((r) => r.suite.name === options.name);
  if (!result) throw new Error(`no suite named "${options.name}" in ${file}`);
  return result;
}

function valueOf(received: unknown): number | null {
  if (typeof received === 'number') return received;
  const m = received as MetricValue | undefined;
  return m && typeof m === 'object' && 'value' in m ? m.value : null;
}

expect.extend({
  /** Every threshold of the suite allows it to pass; the failures are listed as the console prints them. */
  toMeetThresholds(received: SuiteResult) {
    const failing = received.thresholds.filter((t) => !allowsPass(t));
    const pass = received.status === 'passed' && failing.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? `expected suite "${received.suite.name}" not to meet its thresholds`
          : `suite "${received.suite.name}" is ${received.status}${received.message ? `: ${received.message}` : ''}${failing.length ? `\n${failing.map((t) => `  ✗ ${formatThreshold(t)}`).join('\n')}` : ''}`,
    };
  },
  /** A metric (a number or a MetricValue) is at least `floor`; undefined never is. */
  toBeAtLeast(received: number | MetricValue, floor: number) {
    const v = valueOf(received);
    const pass = v !== null && v >= floor;
    return { pass, message: () => `expected ${v === null ? 'an undefined metric' : v.toFixed(3)} ${pass ? 'to be below' : 'to be at least'} ${floor}` };
  },
  /** A metric (a number or a MetricValue) is at most `ceiling`; undefined never is. */
  toBeAtMost(received: number | MetricValue, ceiling: number) {
    const v = valueOf(received);
    const pass = v !== null && v <= ceiling;
    return { pass, message: () => `expected ${v === null ? 'an undefined metric' : v.toFixed(3)} ${pass ? 'to be above' : 'to be at most'} ${ceiling}` };
  },
});

declare module 'vitest' {
  interface Assertion<T> {
    toMeetThresholds(): T;
    toBeAtLeast(floor: number): T;
    toBeAtMost(ceiling: number): T;
  }
}
