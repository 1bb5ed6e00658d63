// `judge-test annotate` in a real terminal (tmux): blind labeling, every answer saved at
// once, Ctrl-C in the middle loses nothing.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
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
    const session = `jt-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', session);
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(screen()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(screen()).toMatch(pattern);
    };
    const data = () => readFileSync(join(dir, 'calibration-suites/data/items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', dir, `${process.execPath} ${BIN} annotate answers --annotator bob; sleep 2`);
    try {
      await waitFor(/Annotating "answers" as bob: 3 item\(s\) to label/);
      await waitFor(/1\/3 · q1[\s\S]*Paris\.[\s\S]*label \(p = pass, f = fail; s, b, q\) >/);
      expect(screen()).not.toMatch(/ann/); // blind: nobody else's label is shown
      tmux('send-keys', '-t', session, 'p', 'Enter');
      await waitFor(/note \(enter for none\) >/);
      tmux('send-keys', '-t', session, 'correct and direct', 'Enter');
      await waitFor(/2\/3 · q2/);
      // Saved already, before the session ends.
      expect(data()[0]).toMatchObject({ id: 'q1', labels: { ann: 'pass', bob: 'pass' }, annotator_notes: { bob: 'correct and direct' } });
      tmux('send-keys', '-t', session, 'x', 'Enter');
      await waitFor(/"x" is not one of: p = pass, f = fail/);
      tmux('send-keys', '-t', session, 's', 'Enter'); // skip q2
      await waitFor(/3\/3 · q4/);
      tmux('send-keys', '-t', session, 'f', 'Enter');
      await waitFor(/note \(enter for none\) >/);
      tmux('send-keys', '-t', session, 'C-c');
      await waitFor(/Stopped: every answer so far is saved/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
    const after = data();
    expect(after).toHaveLength(4);
    expect(after[1]).toEqual(rows[1]); // skipped: untouched
    expect(after[3]).toEqual(rows[3]); // Ctrl-C before its note: not saved, not torn
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
    const session = `jtr-${process.pid}-${Date.now()}`;
    const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
    const screen = () => tmux('capture-pane', '-p', '-t', session);
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 100 && !pattern.test(screen()); i++) await new Promise((r) => setTimeout(r, 50));
      expect(screen()).toMatch(pattern);
    };
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', '-c', dir, `${process.execPath} ${BIN} agreement answers --resolve; sleep 2`);
    try {
      await waitFor(/Resolving "answers": 1 disputed item\(s\)[\s\S]*1\/1 · split[\s\S]*labels: ann pass, bob fail[\s\S]*notes: bob: Canberra[\s\S]*consensus \(p = pass, f = fail; s, q\) >/);
      tmux('send-keys', '-t', session, 'f', 'Enter');
      await waitFor(/rationale >/);
      tmux('send-keys', '-t', session, 'Sydney is not the capital', 'Enter');
      await waitFor(/Recorded 1 consensus label/);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
    const rows = readFileSync(join(dir, 'calibration-suites/data/items.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows[1]).toMatchObject({ id: 'split', consensus: 'fail', rationale: 'Sydney is not the capital' });
    expect(rows[0]).toEqual({ id: 'agreed', output: 'Paris.', labels: { ann: 'pass', bob: 'pass' } });
  });
});
