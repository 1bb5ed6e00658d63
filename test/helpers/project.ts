// Temp projects for end-to-end tests: judges/, calibration-suites/, data files.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Create a project from a map of relative path -> file content. */
export function makeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'judge-test-'));
  made.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

/** JSONL item rows whose output carries a simulated-judge directive. */
export function binaryItems(rows: { id: string; human: 'pass' | 'fail'; judge: string; notes?: string }[]): string {
  return rows
    .map((r) => JSON.stringify({ id: r.id, input: `question ${r.id}`, output: `answer ${r.id} [[verdict:${r.judge}]]`, label: r.human, ...(r.notes ? { notes: r.notes } : {}) }))
    .join('\n') + '\n';
}

export function openaiJudge(extra = ''): string {
  return `id: sim-judge\nprovider: openai\nmodel: sim-model\ntemperature: 0\nscale: binary\nrubric: |\n  Pass correct answers.\n${extra}`;
}

/** A suite file judged by recorded verdicts (`<name>.v.jsonl` beside it) on the shared `items.jsonl`. */
export function recordedSuite(name: string, thresholds: string, extra = ''): string {
  return `suite: ${name}\njudge:\n  id: ${name}\n  provider: recorded\n  path: ./${name}.v.jsonl\n  scale: binary\nitems: ./items.jsonl\n${extra}thresholds:\n${thresholds}`;
}

/** Recorded binary verdicts for `items`, the first `wrong` of them flipped against the human label. */
export function recordedVerdicts(items: readonly { id: string; label: string }[], wrong: number, reason?: (i: number) => string): string {
  return items.map((it, i) => JSON.stringify({ id: it.id, verdict: i < wrong ? (it.label === 'pass' ? 'fail' : 'pass') : it.label, ...(reason ? { reason: reason(i) } : {}) })).join('\n');
}

/** Resolves once `ready()` holds (checked every 10 ms): for tests that must act at a point of a run, not after a guessed sleep. */
export async function waitUntil(ready: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The lines of a JSONL file so far (none when it does not exist yet): complete lines only. */
export function jsonlLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
}
