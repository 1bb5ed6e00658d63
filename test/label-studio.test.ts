// Label Studio round trip: export a suite's items as tasks with a labeling config for its
// scale; import Label Studio's JSON export back, merged by id without losing a label.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelingConfig } from '../src/scaffold/label-studio.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const ITEMS = [
  '{"id": "q1", "input": "Capital of France?", "output": "Paris.", "label": "pass"}',
  '{"id":"q2","input":"Capital of Australia?","output":"Sydney.","labels":{"ana":"fail"}}',
  '{ "id": "q3",   "input": "2+2?", "output": "4", "label": "pass" }',
];

function project() {
  return makeProject({
    'calibration-suites/capitals.yaml': 'suite: capitals\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./data/capitals.jsonl\nmin_items: 2\nthresholds:\n  accuracy: ">= 0.5"\n',
    'calibration-suites/data/capitals.jsonl': ITEMS.join('\n') + '\n',
    'calibration-suites/v.jsonl': ['q1', 'q2', 'q3', 'q4'].map((id) => JSON.stringify({ id, verdict: id === 'q2' ? 'fail' : 'pass' })).join('\n') + '\n',
  });
}

// Label Studio's JSON export format (labelstud.io/guide/export): tasks with data and annotations.
const EXPORT = [
  {
    id: 101,
    data: { id: 'q1', input: 'Capital of France?', output: 'Paris.' },
    annotations: [
      { id: 1, completed_by: 1, was_cancelled: false, result: [{ from_name: 'label', to_name: 'output', type: 'choices', value: { choices: ['pass'] } }] },
      { id: 2, completed_by: { id: 2, email: 'bo@example.com' }, result: [{ from_name: 'label', to_name: 'output', type: 'choices', value: { choices: ['fail'] } }, { from_name: 'notes', to_name: 'output', type: 'textarea', value: { text: ['no source given'] } }] },
      { id: 3, completed_by: 3, was_cancelled: true, result: [{ from_name: 'label', to_name: 'output', type: 'choices', value: { choices: ['fail'] } }] },
    ],
  },
  { id: 102, data: { id: 'q2', input: 'Capital of Australia?', output: 'Sydney.' }, annotations: [{ completed_by: 1, result: [{ from_name: 'label', to_name: 'output', type: 'choices', value: { choices: ['fail'] } }] }] },
  { id: 103, data: { id: 'q4', input: 'Capital of Peru?', output: 'Lima.' }, annotations: [{ completed_by: 1, result: [{ from_name: 'label', to_name: 'output', type: 'choices', value: { choices: ['pass'] } }] }] },
  { id: 104, data: { id: 'q5', input: 'unlabeled' }, annotations: [] },
];

describe('Label Studio', () => {
  it('exports tasks and a labeling config for the scale', async () => {
    const dir = project();
    const r = await runCli(['export', '--format', 'label-studio', 'capitals', '--out', 'ls'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const tasks = JSON.parse(readFileSync(join(dir, 'ls/capitals.tasks.json'), 'utf8'));
    expect(tasks).toEqual([
      { data: { id: 'q1', input: 'Capital of France?', output: 'Paris.' } },
      { data: { id: 'q2', input: 'Capital of Australia?', output: 'Sydney.' } },
      { data: { id: 'q3', input: '2+2?', output: '4' } },
    ]);
    const xml = readFileSync(join(dir, 'ls/capitals.config.xml'), 'utf8');
    expect(xml).toContain('<Text name="output" value="$output"/>');
    expect(xml).toContain('<Choices name="label" toName="output" choice="single" required="true" showInLine="true">\n    <Choice value="pass"/>\n    <Choice value="fail"/>\n  </Choices>');
    expect(xml).toContain('<TextArea name="notes" toName="output"');
    // An ordinal 1-5 scale is a rating; pairs show both outputs and choose A, B or tie; labels are escaped.
    expect(labelingConfig({ kind: 'ordinal', min: 1, max: 5 }, ['output'])).toContain('<Rating name="label" toName="output" maxRating="5" required="true"/>');
    expect(labelingConfig({ kind: 'ordinal', min: 0, max: 2 }, ['output'])).toContain('<Choice value="0"/>');
    const pair = labelingConfig({ kind: 'categorical', labels: ['A', 'B', 'tie'], pairwise: true }, ['input', 'output_a', 'output_b']);
    expect(pair).toContain('<Text name="output_a" value="$output_a"/>');
    expect(pair).toContain('<Choice value="tie"/>');
    expect(labelingConfig({ kind: 'categorical', labels: ['a"<b'] }, ['output'])).toContain('<Choice value="a&quot;&lt;b"/>');
  });

  it('imports an export back: one annotator per user, notes kept, merged by id, untouched rows byte for byte; the suite then runs', async () => {
    const dir = project();
    writeFileSync(join(dir, 'export.json'), JSON.stringify(EXPORT));
    const r = await runCli(['import', '--format', 'label-studio', 'export.json', '--suite', 'capitals'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('Merged 4 annotation(s) into calibration-suites/data/capitals.jsonl: 1 item(s) added, 2 updated');
    const lines = readFileSync(join(dir, 'calibration-suites/data/capitals.jsonl'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4); // q5 has no completed annotation: not added
    expect(JSON.parse(lines[0]!)).toEqual({ id: 'q1', input: 'Capital of France?', output: 'Paris.', labels: { human: 'pass', 'ls-1': 'pass', 'bo@example.com': 'fail' }, annotator_notes: { 'bo@example.com': 'no source given' } });
    expect(JSON.parse(lines[1]!)).toEqual({ id: 'q2', input: 'Capital of Australia?', output: 'Sydney.', labels: { ana: 'fail', 'ls-1': 'fail' } });
    expect(lines[2]).toBe(ITEMS[2]); // nobody annotated q3: its bytes are kept
    expect(JSON.parse(lines[3]!)).toEqual({ id: 'q4', input: 'Capital of Peru?', output: 'Lima.', labels: { 'ls-1': 'pass' } });
    // From the export to a gate: the suite runs on the merged labels.
    const run = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(run.code).toBe(0);
    const s = (JSON.parse(run.stdout) as JsonReport).suites[0]!;
    // q1: the majority of human, ls-1 (pass) and bo (fail).
    expect(s.items.map((i) => [i.id, i.human])).toEqual([['q1', 'pass'], ['q2', 'fail'], ['q3', 'pass'], ['q4', 'pass']]);
  });

  it('a file that is not a Label Studio export changes nothing and is one line, exit 2', async () => {
    const dir = project();
    const before = readFileSync(join(dir, 'calibration-suites/data/capitals.jsonl'), 'utf8');
    for (const [content, pattern] of [
      ['{not json', /^judge-test: export\.json: import: not a Label Studio JSON export: /],
      [JSON.stringify({ tasks: [] }), /^judge-test: export\.json: import: not a Label Studio JSON export \(at the top: /],
      [JSON.stringify([{ data: { id: 'q1' }, annotations: [{ result: [{ from_name: 'label', type: 'choices', value: {} }] }] }]), /^judge-test: export\.json: import: 1 problem\(s\), nothing written: task 1 \(item "q1"\): an annotation without a "label" choice or rating$/],
    ] as const) {
      writeFileSync(join(dir, 'export.json'), content);
      const r = await runCli(['import', '--format', 'label-studio', 'export.json', '--suite', 'capitals'], { cwd: dir });
      expect(r.code, content).toBe(2);
      expect(r.stderr.trim(), content).toMatch(pattern);
      expect(readFileSync(join(dir, 'calibration-suites/data/capitals.jsonl'), 'utf8')).toBe(before);
    }
  });
});
