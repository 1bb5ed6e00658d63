// `judge-test agreement [filters]`: the calibration-session view of each suite's human
// labels — before a judge is measured, how well do the people agree?
import { findSuiteFiles } from '../config/discover.js';
import { loadSuite, loadSuiteForLabeling } from '../config/load-suite.js';
import { ConfigError, relativeTo } from '../errors.js';
import { scaleLabels } from '../scale/scale.js';
import { annotatorReport } from '../metrics/annotators.js';
import { panelMetrics } from '../metrics/human-ceiling.js';
import { DEFAULT_BOOTSTRAP } from '../metrics/bootstrap.js';
import { formatMetric, labelText, plural } from '../report/format.js';
import { suitesDir } from '../settings/settings.js';
import type { ResolvedSuite } from '../types.js';
import type { CliArgs } from './args.js';
import { EXIT } from './exit.js';

export default async function agreementCommand(args: CliArgs, cwd: string): Promise<number> {
  const files = findSuiteFiles(cwd, suitesDir(args, {}), args.filters);
  if (args.resolve) {
    const { resolveDisputes } = await import('../scaffold/annotate.js');
    for (const f of files) {
      const suite = loadSuiteForLabeling(f);
      if (!suite.itemsFile) throw new ConfigError('agreement --resolve: the suite lists its items inline; move them to a .jsonl file', { file: f });
      await resolveDisputes(suite, suite.itemsFile, { input: process.stdin, output: process.stdout }, cwd);
    }
    return EXIT.ok;
  }
  for (const f of files) process.stdout.write(agreementText(loadSuite(f), relativeTo(cwd, f)) + '\n');
  return EXIT.ok;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(0)}%`);

export function agreementText(suite: ResolvedSuite, file: string, top = 10): string {
  const labels = scaleLabels(suite.judge.scale);
  const ordinal = suite.judge.scale.kind === 'ordinal';
  const panel = panelMetrics(suite.judge.scale, suite.items.map((i) => ({ labels: i.labels, judge: null })), labels, DEFAULT_BOOTSTRAP);
  const { annotators, disputed } = annotatorReport(suite.items.map((i) => ({ id: i.id, labels: i.labels })), labels, ordinal);
  const lines = [`${file} > ${suite.name}: ${plural(suite.items.length, 'item')}, ${plural(annotators.length, 'annotator')}`];
  if (annotators.length < 2) return lines.concat('  one annotator: nothing to compare (add labels: {name: label} per item)', '').join('\n');
  const shown = Object.entries(panel).filter(([n, m]) => n.startsWith('human_') && m.value !== null);
  lines.push(`  ${shown.map(([n, m]) => formatMetric(n.replace(/^human_/, ''), m)).join(' · ')}`);
  lines.push('', '  annotator        items  agrees with the rest  kappa vs rest  deviates  first half → second half');
  for (const a of annotators) {
    const flag = a.deviations >= 3 ? '  ← deviates on 3+ items' : '';
    lines.push(`  ${a.annotator.padEnd(16)} ${String(a.items).padStart(5)}  ${pct(a.agreementWithRest).padStart(20)}  ${(a.kappaWithRest.value === null ? '—' : a.kappaWithRest.value.toFixed(3)).padStart(13)}  ${String(a.deviations).padStart(8)}  ${pct(a.firstHalf)} → ${pct(a.secondHalf)}${flag}`);
  }
  if (disputed.length) {
    lines.push('', `  most disputed items (${disputed.length} with any disagreement):`);
    for (const d of disputed.slice(0, top)) {
      lines.push(`    ${d.id}: ${Object.entries(d.labels).map(([a, l]) => `${a} ${labelText(l)}`).join(', ')}`);
    }
  }
  return lines.join('\n') + '\n';
}
