// Bad input: one clear line naming file, line and what was expected, and exit 2. A suite file
// that cannot be loaded is also reported as errored (the other suites run); a run-level error runs nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { binaryItems, makeProject, openaiJudge } from './helpers/project.js';

const RECORDED = 'id: rec\nprovider: recorded\npath: ./verdicts.jsonl\nscale: binary\n';
const VERDICTS = '{"id":"a","verdict":"pass"}\n{"id":"b","verdict":"fail"}\n';
const ITEMS = '{"id":"a","label":"pass"}\n{"id":"b","label":"fail"}\n';

function suite(body: string, extra: Record<string, string> = {}) {
  return makeProject({ 'judges/rec.yaml': RECORDED, 'judges/verdicts.jsonl': VERDICTS, 'calibration-suites/data/items.jsonl': ITEMS, 'calibration-suites/s.yaml': body, ...extra });
}

async function expectConfigError(dir: string, pattern: RegExp, env: Record<string, string> = {}, args: string[] = []) {
  const r = await runCli([...args, '--reporter', 'default', '--reporter', 'junit', '--outputFile.junit', 'junit.xml'], { cwd: dir, env });
  expect(r.code, r.stdout + r.stderr).toBe(2);
  expect(r.stdout).toBe(''); // nothing ran
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(existsSync(join(dir, 'junit.xml'))).toBe(false); // no half-written report
  return lines[0]!;
}

/**
 * A suite file that cannot be loaded: the same one line on stderr and exit 2, and the suite
 * reported as errored in the reports (the console, a whole JUnit file with an <error>).
 */
async function expectLoadError(dir: string, pattern: RegExp) {
  const r = await runCli(['--reporter', 'default', '--reporter', 'junit', '--outputFile.junit', 'junit.xml'], { cwd: dir });
  expect(r.code, r.stdout + r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  const message = lines[0]!.replace(/^judge-test: /, '');
  expect(r.stdout).toContain('could not be loaded');
  expect(r.stdout).toContain(message);
  const xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  expect(xml).toMatch(/<testcase classname="calibration-suites\/s" name="load the suite file"[^>]*>\s*<error message="[^"]+" type="ConfigError"/);
  expect(xml.trimEnd().endsWith('</testsuites>')).toBe(true);
  return lines[0]!;
}

const GOOD = 'suite: s\njudge: ../judges/rec.yaml\nitems: ./data/items.jsonl\nmin_items: 1\nthresholds:\n  kappa: ">= 0.5"\n';

describe('bad input', () => {
  it('a valid suite runs (the baseline the cases below break)', async () => {
    const r = await runCli([], { cwd: suite(GOOD) });
    expect(r.code, r.stderr).toBe(0);
  });

  it('broken YAML', async () => {
    const dir = suite('suite: s\njudge: ../judges/rec.yaml\nitems: [unclosed\n');
    await expectLoadError(dir, /^judge-test: calibration-suites\/s\.yaml:\d+:\d+: invalid YAML: Flow sequence .* must .* end with a \]$/);
  });

  it('unknown metric, listing the valid ones', async () => {
    const dir = suite(GOOD.replace('kappa: ">= 0.5"', 'kappa: ">= 0.5"\n  kapa: ">= 0.5"'));
    await expectLoadError(dir, /^judge-test: calibration-suites\/s\.yaml:7:\d+: unknown metric "kapa" for a binary judge; valid metrics: accuracy, balanced_accuracy, precision, recall, f1, fp_rate, fn_rate, kappa, mcc, ac1, base_rate, baseline_accuracy, unparseable_rate, corrected_pass_rate, human_fleiss_kappa, fleiss_kappa_with_judge, human_krippendorff_alpha_nominal, krippendorff_alpha_nominal_with_judge, human_agreement, judge_agreement, judge_to_human_ratio, ece, mce, brier, judge_length_correlation, human_length_correlation, length_bias, rationale_similarity, rationale_semantic_similarity, self_consistency, alt_test_winning_rate, alt_test_advantage_probability, alt_test_passed$/);
  });

  it('a threshold that is not a comparison', async () => {
    const dir = suite(GOOD.replace('">= 0.5"', '"about 0.5"'));
    await expectLoadError(dir, /s\.yaml:6:\d+: thresholds\.kappa: expected ">= x", "<= y" or \{min: x, max: y, on: estimate \| ci_low \| ci_high, max_drop: d\}, found "about 0\.5"/);
  });

  it('duplicate item ids', async () => {
    const dir = suite(GOOD, { 'calibration-suites/data/items.jsonl': ITEMS + '{"id":"a","label":"fail"}\n' });
    await expectLoadError(dir, /calibration-suites\/data\/items\.jsonl:3:1: duplicate item id "a" \(first defined at line 1\)/);
  });

  it('a label outside the scale', async () => {
    const dir = suite(GOOD, { 'calibration-suites/data/items.jsonl': '{"id":"a","label":"pass"}\n{"id":"b","label":"maybe"}\n' });
    await expectLoadError(dir, /items\.jsonl:2:1: item "b": label "maybe" is not on the judge's scale: expected pass\/fail/);
  });

  it('an ordinal label outside min..max, in an inline item', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: { ordinal: { min: 1, max: 5 } }\nitems:\n  - id: x\n    label: 7\n',
      'calibration-suites/j.js': 'export default () => 3;\n',
    });
    await expectLoadError(dir, /s\.yaml:9:12: item "x": label 7 is not on the judge's scale: expected an integer from 1 to 5/);
  });

  it('a missing data file', async () => {
    const dir = suite(GOOD.replace('items.jsonl', 'nope.jsonl'));
    await expectLoadError(dir, /calibration-suites\/s\.yaml:3:8: cannot read items file .*nope\.jsonl: no such file/);
  });

  it('a missing judge file', async () => {
    const dir = suite(GOOD.replace('rec.yaml', 'gone.yaml'));
    await expectLoadError(dir, /s\.yaml:2:8: cannot read judge file .*gone\.yaml: no such file/);
  });

  it('an unknown field in a judge (a typo) and a wrong provider', async () => {
    const typo = suite(GOOD, { 'judges/rec.yaml': RECORDED + 'temprature: 0\n' });
    await expectLoadError(typo, /judges\/rec\.yaml:1:1: judge: unknown field 'temprature'/);
    const provider = suite(GOOD, { 'judges/rec.yaml': RECORDED.replace('recorded', 'openia') });
    await expectLoadError(provider, /judges\/rec\.yaml:2:11: provider: .*"openai".*found "openia"/);
  });

  it('an item with both label and labels', async () => {
    const dir = suite(GOOD, { 'calibration-suites/data/items.jsonl': '{"id":"a","label":"pass","labels":{"ann":"fail"}}\n' });
    await expectLoadError(dir, /items\.jsonl:1:1: item: expected at most one of label \(one human\) or labels \(annotator: label\), found a mapping with id, label, labels$/);
  });

  it('an item whose label or id is of no kind allowed says which kinds are', async () => {
    const nullLabel = suite(GOOD, { 'calibration-suites/data/items.jsonl': '{"id":"a","label":"pass"}\n{"id":"b","label":null}\n' });
    await expectLoadError(nullLabel, /items\.jsonl:2:1: label: expected text, a number, true or false, or a mapping, found null$/);
    const listId = suite(GOOD, { 'calibration-suites/data/items.jsonl': '{"id":["a"],"label":"pass"}\n' });
    await expectLoadError(listId, /items\.jsonl:1:1: id: expected text or a number, found a list$/);
  });

  it('an unlabeled-verdicts file (corrected_pass_rate) with a row without an id, or an id twice', async () => {
    const withUnlabeled = GOOD + 'unlabeled: {verdicts: ./data/prod.jsonl}\n';
    const noId = suite(withUnlabeled, { 'calibration-suites/data/prod.jsonl': '{"id":"p1","verdict":"pass"}\n{"verdict":"fail"}\n' });
    await expectLoadError(noId, /^judge-test: calibration-suites\/data\/prod\.jsonl:2:1: id: expected the item id \(a string or number\), found nothing$/);
    const twice = suite(withUnlabeled, { 'calibration-suites/data/prod.jsonl': '{"id":"p1","verdict":"pass"}\n{"id":"p2","verdict":"fail"}\n{"id":"p1","verdict":"pass"}\n' });
    await expectLoadError(twice, /^judge-test: calibration-suites\/data\/prod\.jsonl:3:\d+: duplicate unlabeled verdict for item "p1" \(first at line 1\)$/);
  });

  it('a recorded verdicts file missing an item', async () => {
    const dir = suite(GOOD, { 'judges/verdicts.jsonl': '{"id":"a","verdict":"pass"}\n' });
    await expectConfigError(dir, /verdicts\.jsonl has no recorded verdict for 1 item\(s\): "b"/);
  });

  it('a missing API key, before any call', async () => {
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': binaryItems([{ id: 'a', human: 'pass', judge: 'pass' }]),
    });
    await expectConfigError(dir, /^judge-test: set OPENAI_API_KEY, or OPENAI_BASE_URL .*: 1 item\(s\) are not cached, first: suite "s" \(calibration-suites\/s\.yaml\), judge "sim-judge", item "a"$/);
    await expectConfigError(dir, /^judge-test: --offline: no cached verdict for 1 item\(s\), first: suite "s"/, { OPENAI_API_KEY: 'sk-x-123456789' }, ['--offline']);
  });

  it('an unknown flag or reporter, and no suites', async () => {
    const dir = suite(GOOD);
    const flag = await runCli(['--wat'], { cwd: dir });
    expect(flag.code).toBe(2);
    expect(flag.stderr.trim()).toBe('judge-test: unknown option --wat (see judge-test --help)');
    const rep = await runCli(['--reporter', 'xml'], { cwd: dir });
    expect(rep.code).toBe(2);
    expect(rep.stderr.trim()).toBe('judge-test: unknown reporter "xml"; valid reporters: default, verbose, junit, json, github, markdown, html, blob');
    const none = await runCli(['zzz'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe('judge-test: no suites found under calibration-suites/ (filters: zzz)');
  });

  it('CSV items with several annotators, and a CSV error position', async () => {
    const csv = 'id,input,labels.ann1,labels.ann2,labels.ann3,notes\na,"q, with comma",pass,pass,fail,\nb,q2,fail,fail,,only two labelled\n';
    const ok = suite(GOOD.replace('items.jsonl', 'items.csv'), { 'calibration-suites/data/items.csv': csv });
    const r = await runCli(['--reporter', 'json'], { cwd: ok });
    expect(r.code, r.stderr).toBe(0);
    const items = JSON.parse(r.stdout).suites[0].items;
    expect(items.map((i: { id: string; human: string; labels: object }) => [i.id, i.human, i.labels])).toEqual([
      ['a', 'pass', { ann1: 'pass', ann2: 'pass', ann3: 'fail' }],
      ['b', 'fail', { ann1: 'fail', ann2: 'fail' }],
    ]);
    const bad = suite(GOOD.replace('items.jsonl', 'items.csv'), { 'calibration-suites/data/items.csv': csv.replace('b,q2,fail,fail', 'b,q2,fail,nah') });
    await expectLoadError(bad, /items\.csv:3:4: item "b": label "nah" is not on the judge's scale/);
  });
});

describe('--help and --version', () => {
  it('list every flag and print the version', async () => {
    const help = await runCli(['--help'], { cwd: '/' });
    expect(help.code).toBe(0);
    for (const flag of ['-t, --testNamePattern', '--reporter', '--outputFile', '--bail', '--concurrency', '--no-cache', '--offline', '--timeout', '--retries', '--dir', '--cache-dir', '--config', '-u, --update', '--changed', '--shard', '--merge-reports', '-w, --watch', '--max-cost']) {
      expect(help.stdout).toContain(flag);
    }
    const version = await runCli(['--version'], { cwd: '/' });
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('validation messages say what was expected and what was found', () => {
  const judgeInline = (extra: string) => `suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\n${extra}items: [{id: a, label: pass}]\n`;
  it.each([
    ['an empty suite file', '', /s\.yaml:1:1: expected a suite, found an empty document$/],
    ['a wrong type', judgeInline('  temperature: hot\n'), /s\.yaml:7:16: temperature: expected a number, found "hot"$/],
    ['thresholds as a list', judgeInline('').replace('items:', 'thresholds: [kappa]\nitems:'), /s\.yaml:7:13: thresholds: expected a mapping, found a list$/],
    ['a bad scale', judgeInline('').replace('scale: binary', 'scale: trinary'), /s\.yaml:6:10: scale: expected binary, \{ordinal: \{min, max\}\}, \{categorical: \[label, \.\.\.\]\} or pairwise, found "trinary"$/],
  ])('%s', async (_name, body, pattern) => {
    const dir = makeProject({ 'calibration-suites/s.yaml': body, 'calibration-suites/j.js': 'export default () => "pass";\n' });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(pattern);
  });
});

describe('judge-test.config.mjs', () => {
  const files = (config: string) => ({
    'judge-test.config.mjs': config,
    'suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: [{id: a, label: pass}]\nmin_items: 1\nthresholds:\n  accuracy: ">= 1"\n',
    'suites/j.js': 'export default () => "pass";\n',
  });

  it('sets the suites folder, reporters and output files; flags win over it', async () => {
    const dir = makeProject(files(`export default { dir: 'suites', reporters: ['json'], outputFile: { json: 'out/report.json' } };\n`));
    const r = await runCli([], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')).suites[0].name).toBe('s');
    const flags = await runCli(['--reporter', 'default'], { cwd: dir });
    expect(flags.stdout).toMatch(/✓ suites\/s\.yaml/);
  });

  it('a bad config is one clear line, exit 2', async () => {
    const dir = makeProject(files(`export default { dir: 'suites', concurrency: 0 };\n`));
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^judge-test: judge-test\.config\.mjs: concurrency: .*>=1/);
    const unknown = await runCli([], { cwd: makeProject(files(`export default { reporter: 'json' };\n`)) });
    expect(unknown.stderr.trim()).toMatch(/^judge-test: judge-test\.config\.mjs: the default export: Unrecognized key: "reporter"$/);
  });
});
