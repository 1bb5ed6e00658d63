// `judge-test import`: a spreadsheet export becomes a suite's items file, or nothing is written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

describe('judge-test import', () => {
  it('maps columns to item fields and writes the data file a suite can use', async () => {
    const dir = makeProject({
      'export.csv': 'ticket,question,answer,verdict_ann,verdict_bob,comment\nT1,"Capital of France?",Paris.,pass,pass,\nT2,"Capital of Australia?",Sydney.,fail,fail,"Canberra, not Sydney"\n',
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: ./data/support.jsonl\nmin_items: 1\n',
      'calibration-suites/j.js': 'export default () => "pass";\n',
    });
    const r = await runCli(['import', 'export.csv', '--suite', 'support', '--id', 'ticket', '--input', 'question', '--output', 'answer', '--labels', 'verdict_ann,verdict_bob', '--notes', 'comment'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote 2 items to calibration-suites\/data\/support\.jsonl/);
    const rows = readFileSync(join(dir, 'calibration-suites/data/support.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows).toEqual([
      { id: 'T1', input: 'Capital of France?', output: 'Paris.', labels: { verdict_ann: 'pass', verdict_bob: 'pass' } },
      { id: 'T2', input: 'Capital of Australia?', output: 'Sydney.', notes: 'Canberra, not Sydney', labels: { verdict_ann: 'fail', verdict_bob: 'fail' } },
    ]);
    expect((await runCli([], { cwd: dir })).code).toBe(0); // the suite reads it
    const again = await runCli(['import', 'export.csv', '--suite', 'support', '--id', 'ticket', '--output', 'answer', '--label', 'verdict_ann'], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists; nothing was written/);
  });

  it('a column named that the file does not have is an error listing the columns it has', async () => {
    const dir = makeProject({ 'export.csv': 'ticket,question,answer,verdict\nT1,"Capital of France?",Paris.,pass\n' });
    const r = await runCli(['import', 'export.csv', '--suite', 'support', '--id', 'ticket', '--input', 'questoin', '--output', 'answer', '--label', 'verdict'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: export.csv: import: no column "questoin" (--input); the columns are: ticket, question, answer, verdict');
    expect(existsSync(join(dir, 'calibration-suites/data/support.jsonl'))).toBe(false);
    const labels = await runCli(['import', 'export.csv', '--suite', 'support', '--id', 'ticket', '--output', 'answer', '--labels', 'verdict,verdcit'], { cwd: dir });
    expect(labels.stderr.trim()).toBe('judge-test: export.csv: import: no column "verdcit" (--labels); the columns are: ticket, question, answer, verdict');
  });

  it('reports duplicates and missing fields, and writes nothing', async () => {
    const dir = makeProject({ 'rows.jsonl': '{"id":"a","output":"x","label":"pass"}\n{"id":"a","output":"y","label":"fail"}\n{"id":"b","output":"z"}\n' });
    const r = await runCli(['import', 'rows.jsonl', '--suite', 'rows'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: rows.jsonl: import: 2 problem(s), nothing written: line 2: duplicate id "a" (first at line 1); line 3: no label (column "label")');
    expect(existsSync(join(dir, 'calibration-suites/data/rows.jsonl'))).toBe(false);
  });

  it('imports outputs nobody has labeled yet, for annotate', async () => {
    const dir = makeProject({ 'logs.jsonl': '{"id":"a","output":"x"}\n{"id":"b","output":"y"}\n' });
    const r = await runCli(['import', 'logs.jsonl', '--suite', 'logs'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Wrote 2 unlabeled items to calibration-suites\/data\/logs\.jsonl\n.*judge-test annotate/);
    expect(readFileSync(join(dir, 'calibration-suites/data/logs.jsonl'), 'utf8')).toBe('{"id":"a","output":"x","labels":{}}\n{"id":"b","output":"y","labels":{}}\n');
  });
});
