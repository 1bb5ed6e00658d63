// `annotate` on files people share: two annotators at once lose nothing, Ctrl-C keeps the
// label just given, and rows nobody touched keep their bytes. Driven through pipes.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const SUITE = 'suite: answers\njudge:\n  id: j\n  provider: module\n  path: ./j.mjs\n  scale: binary\nitems: ./data/items.jsonl\n';

/** `judge-test annotate` as `annotator`, answered line by line through its stdin. */
function session(dir: string, annotator: string) {
  const child = spawn(process.execPath, [BIN, 'annotate', 'answers', '--annotator', annotator], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  let from = 0;
  return {
    /** Wait for the pattern in what was printed since the last wait. */
    async waitFor(pattern: RegExp) {
      for (let i = 0; i < 400 && !pattern.test(out.slice(from)); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out.slice(from)).toMatch(pattern);
      from = out.length;
    },
    answer: (line: string) => child.stdin.write(line + '\n'),
    interrupt: () => child.kill('SIGINT'),
    closed: () => new Promise<number | null>((r) => child.on('close', r)),
    output: () => out,
  };
}

function project(rows: string[]) {
  return makeProject({ 'calibration-suites/answers.yaml': SUITE, 'calibration-suites/j.mjs': 'export default () => "pass";\n', 'calibration-suites/data/items.jsonl': rows.join('\n') + '\n' });
}

const lines = (dir: string) => readFileSync(join(dir, 'calibration-suites/data/items.jsonl'), 'utf8').trim().split('\n');

describe('annotate on a shared file', () => {
  it('two annotators at once: both labels and the note survive', async () => {
    const dir = project(['{"id":"i0","output":"Paris."}', '{"id":"i1","output":"Sydney."}']);
    const a = session(dir, 'ann');
    await a.waitFor(/1\/2 · i0[\s\S]*label \(p = pass, f = fail; s, b, q\) >/);
    // Meanwhile bob, in another terminal, labels i0 with a note and quits.
    const b = session(dir, 'bob');
    await b.waitFor(/1\/2 · i0[\s\S]*label .*>/);
    b.answer('f');
    await b.waitFor(/note \(enter for none\) >/);
    b.answer('bob thinks it is wrong');
    await b.waitFor(/2\/2 · i1/);
    b.answer('q');
    expect(await b.closed()).toBe(0);
    // ann labels i0 only now.
    a.answer('p');
    await a.waitFor(/note \(enter for none\) >/);
    a.answer('');
    await a.waitFor(/2\/2 · i1/);
    a.answer('q');
    expect(await a.closed()).toBe(0);
    expect(JSON.parse(lines(dir)[0]!)).toEqual({ id: 'i0', output: 'Paris.', labels: { bob: 'fail', ann: 'pass' }, annotator_notes: { bob: 'bob thinks it is wrong' } });
  });

  it('Ctrl-C at the note prompt keeps the label just given', async () => {
    const dir = project(['{"id":"i0","output":"Paris."}']);
    const a = session(dir, 'ann');
    await a.waitFor(/label .*>/);
    a.answer('p');
    await a.waitFor(/note \(enter for none\) >/);
    a.interrupt();
    expect(await a.closed()).toBe(130);
    expect(a.output()).toContain('Stopped: every answer so far is saved');
    expect(JSON.parse(lines(dir)[0]!)).toMatchObject({ id: 'i0', labels: { ann: 'pass' } });
  });

  it('rows nobody touched keep their bytes (a 20-digit id is not rounded)', async () => {
    const untouched = ['{"id":12345678901234567891,"output":"big id","labels":{"x":"pass"}}', '{ "id": "spaced",  "output": "kept as written", "labels": {"x": "fail"} }'];
    const dir = project([untouched[0]!, '{"id":"i1","output":"label me"}', untouched[1]!]);
    const a = session(dir, 'ann');
    await a.waitFor(/1\/3 · \d+[\s\S]*label .*>/);
    a.answer('s');
    await a.waitFor(/2\/3 · i1[\s\S]*label .*>/);
    a.answer('p');
    await a.waitFor(/note \(enter for none\) >/);
    a.answer('');
    await a.waitFor(/3\/3 · spaced/);
    a.answer('q');
    expect(await a.closed()).toBe(0);
    const after = lines(dir);
    expect(after[0]).toBe(untouched[0]);
    expect(after[2]).toBe(untouched[1]);
    expect(JSON.parse(after[1]!)).toEqual({ id: 'i1', output: 'label me', labels: { ann: 'pass' } });
  });
});
