// JUnit XML that strict consumers accept: validated against the JUnit schema with xmllint
// (when installed: `apt-get install libxml2-utils`; CI installs it), and parsed.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const XSD = fileURLToPath(new URL('./fixtures/junit/junit.xsd', import.meta.url));
const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());

const hostile = 'bad ]]> end \u001b[31mred\u001b[0m \u0007bell <tag> & "quote"';
const rows = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, label: i < 6 ? 'pass' : 'fail', verdict: i < 9 ? 'pass' : 'fail' }));
const recorded = (extra: string) =>
  `judge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\n${extra}`;

function project() {
  return makeProject({
    'calibration-suites/failing.yaml': `suite: failing ${hostile.replace(/["\\]/g, '')}\n${recorded('min_items: 5\nthresholds:\n  accuracy: ">= 0.5"\n  fp_rate: "<= 0.2"\n  fn_rate: "<= 0.2"\n')}`,
    'calibration-suites/thin.yaml': `suite: thin evidence\n${recorded('thresholds:\n  fp_rate: "<= 0.2"\n')}`,
    'calibration-suites/live.yaml': `suite: live, skipped\nskip_without_key: true\njudge: ../judges/sim.yaml\nitems: [{id: a, label: pass}]\n`,
    'calibration-suites/broken.yaml': `suite: provider down\njudge: ../judges/down.yaml\nitems: [{id: a, output: "[[500:99]]", label: pass}]\n`,
    // A multi-criteria judge: its criterion views share the threshold names.
    'calibration-suites/two.criteria.yaml': `suite: two criteria\njudge:\n  id: two\n  provider: recorded\n  path: ./two.jsonl\n  criteria: {a: binary, b: binary}\nitems: ./two-items.jsonl\nmin_items: 5\nthresholds:\n  a: {accuracy: ">= 0.5"}\n  b: {accuracy: ">= 0.5"}\n`,
    'calibration-suites/two.jsonl': rows.map((r) => JSON.stringify({ id: r.id, verdict: { a: r.verdict, b: r.verdict } })).join('\n'),
    'calibration-suites/two-items.jsonl': rows.map((r) => JSON.stringify({ id: r.id, label: { a: r.label, b: r.label } })).join('\n'),
    'judges/sim.yaml': openaiJudge(),
    'judges/down.yaml': openaiJudge().replace('id: sim-judge', 'id: down-judge').replace('scale: binary', `scale: binary\nbaseURL: ${sim.openaiBaseURL}`),
    'calibration-suites/items.jsonl': rows.map((r, i) => JSON.stringify({ id: r.id, label: r.label, ...(i === 6 ? { notes: hostile } : {}) })).join('\n'),
    'calibration-suites/v.jsonl': rows.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict, reason: hostile })).join('\n'),
  });
}

describe('junit reporter', () => {
  let dir: string;
  let xml: string;
  beforeAll(async () => {
    dir = project();
    const r = await runCli(['--reporter', 'junit', '--outputFile', 'junit.xml', '--retries', '0'], { cwd: dir });
    expect(r.code).toBe(3); // the provider error wins over the failures
    xml = readFileSync(join(dir, 'junit.xml'), 'utf8');
  });

  it.skipIf(!hasXmllint)('is valid against the JUnit schema (xmllint)', () => {
    const out = execFileSync('xmllint', ['--noout', '--schema', XSD, join(dir, 'junit.xml')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  it('maps failures, insufficient evidence, skipped suites and provider errors', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n) }).parse(xml);
    const suites = doc.testsuites.testsuite as { name: string; testcase: Record<string, unknown>[] }[];
    const byName = (prefix: string) => suites.find((s) => s.name.startsWith(prefix))!;
    expect(doc.testsuites).toMatchObject({ tests: '9', failures: '2', errors: '1' });
    expect(doc.testsuites.skipped).toBeUndefined();
    const failing = byName('failing').testcase;
    expect(failing.map((c) => [c.name, 'failure' in c])).toEqual([
      ['accuracy >= 0.5', false],
      ['fp_rate <= 0.2', true],
      ['fn_rate <= 0.2', false],
    ]);
    // Too little evidence fails the run (exit 1): a failure with the reason, never a skip.
    const thin = byName('thin').testcase[0]!;
    expect(thin).not.toHaveProperty('skipped');
    expect((thin.failure as { message: string; type: string }).message).toMatch(/insufficient evidence: 6 items, the suite needs at least 10/);
    expect((thin.failure as { type: string }).type).toBe('InsufficientEvidence');
    // A skip does not fail the run, and always says why.
    expect((byName('live').testcase[0]!.skipped as { message: string }).message).toMatch(/^set OPENAI_API_KEY/);
    const down = byName('provider down').testcase[0]!;
    expect((down.error as { message: string }).message).toMatch(/judge "down-judge", item "a": openai: HTTP 500/);
  });

  it('gives each test case its own identity: the suite path without .yaml as classname, the criterion in the name', () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const cases = (doc.testsuites.testsuite as { testcase: { classname: string; name: string }[] }[]).flatMap((s) => s.testcase);
    expect(cases.find((c) => c.name.startsWith('fp_rate'))!.classname).toBe('calibration-suites/failing');
    const two = cases.filter((c) => c.classname === 'calibration-suites/two.criteria');
    expect(two.map((c) => c.name)).toEqual(['a › accuracy >= 0.5', 'b › accuracy >= 0.5', 'all criteria › judge every item (no thresholds)']);
    const ids = cases.map((c) => `${c.classname}#${c.name}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('strips ANSI and control characters, and hostile text cannot end a CDATA section early', () => {
    expect(xml).not.toMatch(/\u001b|\u0007/);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const failing = (doc.testsuites.testsuite as { name: string; testcase: { failure?: { '#text': string } }[] }[]).find((s) => s.name.startsWith('failing'))!;
    const body = failing.testcase[1]!.failure!['#text'];
    // Every item line survives whole: "]]>" is spaced out, <tag> and & are text.
    expect(body).toContain('q6: human fail, judge pass — judge: "bad ]] > end red bell <tag> & "quote""');
    expect(body).toContain('q8: human fail, judge pass');
    expect(failing.name).toBe('failing bad ]]> end red bell <tag> & quote');
  });
});
