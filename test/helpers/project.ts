// Temp projects for end-to-end tests: judges/, calibration-suites/, data files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
