// The --optimize section of the console report: rounds, themes, each candidate's fate,
// the before/after table (dev and holdout, with intervals) and the judge file's diff.
import type { createColors } from 'picocolors';
import type { OptimizationReport, SideSummary } from '../types.js';
import { printable } from '../text/printable.js';
import { formatInterval, formatNumber, plural, searchCostText } from './format.js';

type Colors = ReturnType<typeof createColors>;

export function optimizationLines(o: OptimizationReport, suiteFile: string, pc: Colors, rel: (file: string) => string): string[] {
  const lines = [`     ${pc.bold('Optimize')} ${pc.dim(`judge ${printable(o.judge)} with ${printable(o.optimizer)} · ${o.split.dev} dev / ${o.split.holdout} holdout items (seed ${o.split.seed})`)}`];
  for (const round of o.rounds) {
    const kinds = Object.entries(round.misalignments).map(([k, n]) => `${n} ${k.replace('_', ' ')}`).join(', ');
    lines.push(`       round ${round.round}: ${kinds || 'no misalignments'}`);
    if (round.themes.length > 0) lines.push(`         ${pc.dim('themes:')} ${round.themes.map((t) => `${printable(t.name)} (${t.items.length})`).join(pc.dim(' · '))}`);
    if (round.note) lines.push(`         ${pc.dim(printable(round.note))}`);
    for (const c of round.candidates) {
      const mark = c.decision === 'accepted' ? pc.green('✓') : pc.red('✗');
      lines.push(`         ${mark} candidate ${c.round}.${c.index}: ${c.decision === 'accepted' ? pc.green(printable(c.reason)) : printable(c.reason)}`);
    }
  }
  lines.push(...beforeAfter(o, pc));
  lines.push(`       ${pc.dim(`stopped: ${printable(o.stop)}`)}`);
  lines.push(`       ${pc.dim(`search cost: ${searchCostText(o)}`)}`);
  if (!o.accepted) lines.push(`       ${pc.yellow(`No candidate was accepted: ${rel(o.judgeFile)} is unchanged.`)}`);
  else if (o.written) lines.push(`       ${pc.green(`Rewrote ${rel(o.judgeFile)}`)}`);
  else lines.push(`       ${pc.yellow(`--dry-run: ${rel(o.judgeFile)} is unchanged; this is the change that was accepted:`)}`);
  if (o.diff) lines.push(...diffLines(o.diff, pc));
  if (o.pareto.length > 0) lines.push(`       ${pc.dim(`Pareto set on dev: ${o.pareto.map((p) => `${p.id}${p.bestOn.length ? ` (best on ${printable(p.bestOn.join(', '))})` : ''}`).join(' · ')}`)}`);
  if (o.recheck.length > 0) lines.push(`       ${pc.yellow(`Labels to re-check (every candidate disagrees, no note or rationale): ${printable(o.recheck.join(', '))}`)}`);
  if (o.logFile) lines.push(`       ${pc.dim(`log: ${rel(o.logFile)}`)}`);
  if (o.logFile && !o.written && o.rounds.some((r) => r.candidates.length > 0)) {
    lines.push(`       ${pc.dim(`review the candidates there; write one with: judge-test optimize apply ${printable(rel(suiteFile))} <round.candidate>`)}`);
  }
  return lines;
}

function beforeAfter(o: OptimizationReport, pc: Colors): string[] {
  const metrics = [...new Set([...Object.keys(o.before.dev.metrics), ...Object.keys(o.before.holdout.metrics)])];
  const cell = (side: SideSummary | undefined, m: string) => {
    const v = side?.metrics[m];
    return v ? `${formatNumber(v.value)}${formatInterval(v.ci)}` : '—';
  };
  const rows = metrics.map((m) => [m, cell(o.before.dev, m), cell(o.after?.dev, m), cell(o.before.holdout, m), cell(o.after?.holdout, m)]);
  const head = ['', 'dev before', 'dev after', 'holdout before', 'holdout after'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => `       ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd();
  return [pc.dim(fmt(head)), ...rows.map(fmt), pc.dim(`       (${plural(o.before.dev.items, 'dev item')}, ${plural(o.before.holdout.items, 'holdout item')}${o.after ? '' : '; no rubric accepted'})`)];
}

function diffLines(diff: string, pc: Colors): string[] {
  return diff
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('==='))
    .map((l) => printable(l))
    .map((l) => `       ${l.startsWith('+') && !l.startsWith('+++') ? pc.green(l) : l.startsWith('-') && !l.startsWith('---') ? pc.red(l) : l.startsWith('@@') ? pc.cyan(l) : l}`);
}
