// `judge-test plan [filters] [--width 0.1] [--power 0.8] [--json]`: how many labeled anchors
// each suite needs — for an interval of the given half-width, and for the given chance that
// the gate shows each threshold met if the judge stays as good as it is now (metrics/plan.ts).
// It reads the verdicts from the cache (no call is made): run the suites once first.
import { findSuiteFiles } from '../config/discover.js';
import { loadSuitesReportingErrors } from '../config/load-suite.js';
import { ConfigError, relativeTo } from '../errors.js';
import { judgeMetricFunctions } from '../metrics/index.js';
import { itemsNeeded } from '../metrics/plan.js';
import { formatInterval, formatNumber } from '../report/format.js';
import { defaultRunOptions, runSuites } from '../run/run-suites.js';
import { loadConfigFile } from '../settings/config-file.js';
import { runSettings, suitesDir } from '../settings/settings.js';
import { printable } from '../text/printable.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

interface PlanRow {
  threshold: string;
  now: { n: number; value: number | null; ci: [number, number] | null };
  forWidth: number | null;
  forPower: number | null;
  toLabel: number | null;
  why?: string;
}

export default async function planCommand(args: CliArgs, cwd: string): Promise<number> {
  const width = args.planWidth ?? 0.1;
  const power = args.planPower ?? 0.8;
  if (!(width > 0 && width < 1)) throw new ConfigError('plan: --width expects a half-width between 0 and 1, e.g. 0.1');
  if (!(power > 0 && power < 1)) throw new ConfigError('plan: --power expects a probability between 0 and 1, e.g. 0.8');
  const config = (await loadConfigFile(cwd, args.config))?.config ?? {};
  const { suites, errors } = loadSuitesReportingErrors(findSuiteFiles(cwd, suitesDir(args, config), args.filters), cwd);
  if (errors.length > 0) throw errors[0]!;
  const out: { suite: string; file: string; status: string; message?: string; rows: PlanRow[] }[] = [];
  // The verdicts as they are: from the cache only, never a call; a suite file at a time, so one
  // with verdicts missing is named and the others are planned.
  const results = [];
  for (const file of [...new Set(suites.map((s) => s.file))]) {
    const ofFile = suites.filter((s) => s.file === file);
    try {
      results.push(...(await runSuites(ofFile, defaultRunOptions({ ...runSettings({ ...args, offline: true }, config, cwd), reporters: [] }))).results);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const s of ofFile) out.push({ suite: s.name, file: relativeTo(cwd, s.file), status: 'not cached', message: `verdicts not cached: run judge-test on it first, so plan can read them (${err.message.split(':')[0]})`, rows: [] });
    }
  }
  for (const r of results) {
    const entry: (typeof out)[number] = { suite: r.suite.name, file: relativeTo(cwd, r.suite.file), status: r.status, rows: [] };
    if (r.status === 'error' || r.status === 'skipped') {
      entry.message = `${r.message ?? r.status}: run judge-test on it first, so plan can read its verdicts from the cache`;
      out.push(entry);
      continue;
    }
    const fns = judgeMetricFunctions(r.suite.judge.scale);
    for (const t of r.thresholds) {
      const fn = fns[t.metric];
      if (t.slice || (t.op !== '>=' && t.op !== '<=') || !fn) continue;
      const need = itemsNeeded({ labels: r.confusion.labels, counts: r.confusion.counts, n: r.confusion.counts.flat().reduce((a, b) => a + b, 0) }, fn, { op: t.op, target: t.target, on: t.on }, { width, power, confidence: r.suite.bootstrap.confidence, seed: r.suite.bootstrap.seed });
      const wanted = Math.max(need.forWidth ?? Infinity, need.forPower ?? 0);
      const n = r.metrics[t.metric]?.n ?? 0;
      // Items to label are whole items (the table's), whatever the metric's own n (fp_rate: the humans' fails).
      const labeled = r.confusion.counts.flat().reduce((a, b) => a + b, 0);
      entry.rows.push({
        threshold: `${t.metric} ${t.op} ${t.target}${t.on === 'estimate' ? '' : ` (${t.on})`}`,
        now: { n, value: t.estimate, ci: t.ci },
        forWidth: need.forWidth,
        forPower: need.forPower,
        toLabel: Number.isFinite(wanted) ? Math.max(0, wanted - labeled) : null,
        ...(need.why ? { why: need.why } : {}),
      });
    }
    out.push(entry);
  }
  if (args.planJson) {
    process.stdout.write(JSON.stringify({ width, power, suites: out }, null, 2) + '\n');
    return EXIT.ok;
  }
  const lines: string[] = [];
  for (const s of out) {
    lines.push(` ${printable(s.file)} > ${printable(s.suite)}`);
    if (s.message) {
      lines.push(`   ${printable(s.message)}`);
      continue;
    }
    const head = ['threshold', 'now (n)', `items for ±${width}`, `for ${Math.round(power * 100)}% power`, 'to label'];
    const rows = s.rows.map((r) => [r.threshold, `${formatNumber(r.now.value)}${formatInterval(r.now.ci)} (${r.now.n})`, r.forWidth === null ? '> 100,000' : String(r.forWidth), r.forPower === null ? '—' : String(r.forPower), r.toLabel === null ? '—' : r.toLabel === 0 ? 'enough' : `${r.toLabel} more`]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmt = (r: string[]) => `   ${r.map((c, i) => printable(c).padEnd(widths[i]!)).join('  ')}`.trimEnd();
    lines.push(fmt(head), ...rows.map(fmt));
    for (const r of s.rows) if (r.why) lines.push(`   ${printable(r.threshold)}: ${printable(r.why)}`);
    if (s.rows.length === 0) lines.push('   no whole-suite threshold on a judge-vs-human metric to plan for');
  }
  lines.push('', ` Simulated from each suite's current judge and labels (400 samples per size); "for power": the chance the gate shows the threshold met if the judge stays as it is.`);
  process.stdout.write(lines.join('\n') + '\n');
  return EXIT.ok;
}
