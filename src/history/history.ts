// Run history, like a control chart for judges: each run appends a line per suite to
// <suite>.history.jsonl (beside the suite; small, append-only, committable with
// merge=union). A line is written only when something moved since the suite's last line —
// its metrics, judge, model, rubric or items — so a cached re-run adds nothing.
import { execFileSync } from 'node:child_process';
import { createHash, hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stableStringify } from '../cache/key.js';
import { appendLine } from '../io/atomic-write.js';
import type { HistoryEntry, ResolvedSuite, SuiteResult } from '../types.js';

/** Runs a drift check averages over, unless the suite says. */
export const DEFAULT_DRIFT_WINDOW = 5;

export function historyFile(suiteFile: string): string {
  return suiteFile.replace(/\.ya?ml$/i, '') + '.history.jsonl';
}

/** The suite's history, oldest first; torn or foreign lines are skipped. */
export function readHistory(suiteFile: string): HistoryEntry[] {
  const file = historyFile(suiteFile);
  if (!existsSync(file)) return [];
  const out: HistoryEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as HistoryEntry;
      if (typeof e.time === 'string' && e.metrics && typeof e.metrics === 'object') out.push(e);
    } catch {
      // A torn last line (a killed run) or a merge leftover: not history.
    }
  }
  return out;
}

const short = (value: unknown) => hash('sha256', stableStringify(value), 'hex').slice(0, 12);

export function rubricHash(suite: ResolvedSuite): string {
  const j = suite.judge;
  return short({ rubric: j.rubric, template: j.template, examples: j.examples, scale: j.scale, path: j.path ? j.path.split('/').pop() : undefined });
}

/**
 * The items' hash, fed one item at a time: the same bytes as hashing the whole list's stable
 * JSON (so earlier history lines still match), without building a string of every item.
 */
export function itemsHash(suite: ResolvedSuite): string {
  const h = createHash('sha256');
  h.update('[');
  suite.items.forEach((i, index) => h.update((index ? ',' : '') + stableStringify([i.id, i.fields, i.labels, i.anchor?.consensus])));
  h.update(']');
  return h.digest('hex').slice(0, 12);
}

export function entryFor(result: SuiteResult, commit: string | null, time = new Date()): HistoryEntry {
  const metrics: Record<string, number> = {};
  for (const [name, m] of Object.entries(result.metrics).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (m.value !== null && Number.isFinite(m.value)) metrics[name] = Math.round(m.value * 1e6) / 1e6;
  }
  return {
    time: time.toISOString(),
    suite: result.suite.name,
    judge: result.suite.judge.id,
    model: result.suite.judge.model ?? null,
    rubric: rubricHash(result.suite),
    items: itemsHash(result.suite),
    commit,
    status: result.status,
    n: result.items.length,
    metrics,
  };
}

/** Did anything a trend shows change between two entries? (Time and commit alone do not count.) */
export function sameRun(a: HistoryEntry, b: HistoryEntry): boolean {
  return a.judge === b.judge && a.model === b.model && a.rubric === b.rubric && a.items === b.items && a.status === b.status && stableStringify(a.metrics) === stableStringify(b.metrics);
}

/**
 * Append this run's line for each finished suite (passed or failed) whose figures moved
 * since its last line. Returns the files written.
 */
export function appendHistory(results: readonly SuiteResult[], now = new Date()): string[] {
  const written: string[] = [];
  const commits = new Map<string, string | null>();
  for (const r of results) {
    if (r.status !== 'passed' && r.status !== 'failed') continue;
    const dir = dirname(r.suite.file);
    if (!commits.has(dir)) commits.set(dir, gitCommit(dir));
    const entry = entryFor(r, commits.get(dir)!, now);
    // The suite's own lines, read when it was loaded: no second read at the end of a run.
    const last = r.suite.history?.at(-1);
    if (last && sameRun(last, entry)) continue;
    // One write of one line: concurrent runs append whole lines.
    appendLine(historyFile(r.suite.file), JSON.stringify(entry));
    written.push(historyFile(r.suite.file));
  }
  return written;
}

function gitCommit(dir: string): string | null {
  // Spawning git costs ~10 ms: only inside a work tree (a .git folder or file up the tree).
  let d = resolve(dir);
  while (!existsSync(join(d, '.git'))) {
    const up = dirname(d);
    if (up === d) return null;
    d = up;
  }
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: dir, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).toString().trim() || null;
  } catch {
    return null;
  }
}

export interface Drift {
  /** The mean of the metric over the last `window` runs in the history. */
  mean: number;
  /** Runs the mean is over (fewer than `window`: not enough history yet). */
  runs: number;
}

/** The rolling mean a drift check compares this run with. */
export function rollingMean(history: readonly HistoryEntry[], metric: string, window: number): Drift {
  const values = history.map((e) => e.metrics[metric]).filter((v): v is number => typeof v === 'number').slice(-window);
  return { mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN, runs: values.length };
}
