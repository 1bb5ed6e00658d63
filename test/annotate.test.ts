// `judge-test annotate` in a real terminal (tmux): blind labeling, every answer saved at
// once, Ctrl-C in the middle loses nothing.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { hasTmux, terminal } from './helpers/terminal.js';
const rows = [
  { id: 'q1', input: 'Capital of France?', output: 'Paris.', labels: { ann: 'pass' } },
  { id: 'q2', input: 'Capital of Australia?', output: 'Sydney.', labels: { ann: 'fail' } },
  { id: 'q3', input: 'Legs on a spider?', output: 'Eight.', labels: { ann: 'pass', bob: 'pass' } },
  { id: 'q4', input: '12 x 12?', output: '124', label: 'fail' },
];

describe.skipIf(!hasTmux)('judge-test annotate in a terminal', () => {
  it('labels blind, saves each answer at once, and keeps them through Ctrl-C', async () => {
    const dir = makeProject({
      'calibration-suites/answers.yaml': 'suite: answers\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: ./data/items.jsonl\n',
      'calibration-suites/j.js': 'export default () => "pass";\n',
      'calibration-suites/data/items.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
    const data = () => readFileSync(join(dir, 'calibration-suites/data/items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const t = terminal(`${process.execPath} ${BIN} annotate answers --annotator bob`, dir);
    try {
      await t.waitFor(/Annotating "answers" as bob: 3 item\(s\) to label/);
      await t.waitFor(/1\/3 · q1[\s\S]*Paris\.[\s\S]*label \(p = pass, f = fail; s, b, q\) >/);
      expect(t.screen()).not.toMatch(/ann/); // blind: nobody else's label is shown
      t.keys('p', 'Enter');
      await t.waitFor(/note \(enter for none\) >/);
      t.keys('correct and direct', 'Enter');
      await t.waitFor(/2\/3 · q2/);
      // Saved already, before the session ends.
      expect(data()[0]).toMatchObject({ id: 'q1', labels: { ann: 'pass', bob: 'pass' }, annotator_notes: { bob: 'correct and direct' } });
      t.keys('x', 'Enter');
      await t.waitFor(/"x" is not one of: p = pass, f = fail/);
      t.keys('s', 'Enter'); // skip q2
      await t.waitFor(/3\/3 · q4/);
      t.keys('f', 'Enter');
      await t.waitFor(/note \(enter for none\) >/);
      t.keys('C-c');
      await t.waitFor(/Stopped: every answer so far is saved/);
    } finally {
      t.close();
    }
    const after = data();
    expect(after).toHaveLength(4);
    expect(after[1]).toEqual(rows[1]); // skipped: untouched
    // Ctrl-C at the note prompt: the label given is saved (no note), nothing torn.
    expect(after[3]).toEqual({ id: 'q4', input: '12 x 12?', output: '124', labels: { human: 'fail', bob: 'fail' } });
  });

  it('agreement --resolve walks the disputed items and records consensus and rationale', async () => {
    const dir = makeProject({
      'calibration-suites/answers.yaml': 'suite: answers\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: ./data/items.jsonl\n',
      'calibration-suites/j.js': 'export default () => "pass";\n',
      'calibration-suites/data/items.jsonl': [
        { id: 'agreed', output: 'Paris.', labels: { ann: 'pass', bob: 'pass' } },
        { id: 'split', output: 'Sydney.', labels: { ann: 'pass', bob: 'fail' }, annotator_notes: { bob: 'Canberra' } },
      ].map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
    const t = terminal(`${process.execPath} ${BIN} agreement answers --resolve`, dir);
    try {
      await t.waitFor(/Resolving "answers": 1 disputed item\(s\)[\s\S]*1\/1 · split[\s\S]*labels: ann pass, bob fail[\s\S]*notes: bob: Canberra[\s\S]*consensus \(p = pass, f = fail; s, q\) >/);
      t.keys('f', 'Enter');
      await t.waitFor(/rationale >/);
      t.keys('Sydney is not the capital', 'Enter');
      await t.waitFor(/Recorded 1 consensus label/);
    } finally {
      t.close();
    }
    const rows = readFileSync(join(dir, 'calibration-suites/data/items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[1]).toMatchObject({ id: 'split', consensus: 'fail', rationale: 'Sydney is not the capital' });
    expect(rows[0]).toEqual({ id: 'agreed', output: 'Paris.', labels: { ann: 'pass', bob: 'pass' } });
  });
});
