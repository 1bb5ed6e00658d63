// Baselines: --update records a suite's metrics and verdicts; max_drop fails on a change
// beyond the allowed drop, and every report shows the delta with its paired interval.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

// 60 items, half passed by humans. Version 1 of the judge errs on 6; version 2 on 18.
const items = Array.from({ length: 60 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}`, label: i % 2 ? 'fail' : 'pass' }));
const verdicts = (errors: number) =>
  items.map((it, i) => JSON.stringify({ id: it.id, verdict: i < errors ? (it.label === 'pass' ? 'fail' : 'pass') : it.label })).join('\n');

function project(thresholds: string) {
  return makeProject({
    'calibration-suites/s.yaml': `suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n${thresholds}`,
    'calibration-suites/items.jsonl': items.map((it) => JSON.stringify(it)).join('\n'),
    'calibration-suites/v.jsonl': verdicts(6),
  });
}

describe('baselines', () => {
  it('--update writes a stable baseline; a drop beyond max_drop fails with the delta', async () => {
    const dir = project('  kappa: { min: 0.3, max_drop: 0.05 }\n  accuracy: ">= 0.5"\n');
    const first = await runCli(['--update', '--verbose'], { cwd: dir });
    expect(first.stderr).toContain('Baselines written: calibration-suites/s.baseline.json');
    // Like `vitest -u`: the run that records the baseline passes its max_drop checks.
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/✓ kappa .*\(max_drop 0\.05/);
    const file = join(dir, 'calibration-suites/s.baseline.json');
    const written = readFileSync(file, 'utf8');
    const baseline = JSON.parse(written);
    expect(baseline.metrics.kappa).toBeCloseTo(0.8, 12); // 54/60 right: (0.9 − 0.5) / 0.5
    expect(Object.keys(baseline.verdicts)).toHaveLength(60);
    await runCli(['--update'], { cwd: dir });
    expect(readFileSync(file, 'utf8')).toBe(written); // nothing changed: same bytes

    // The judge gets worse: kappa 0.8 → 0.4.
    writeFileSync(join(dir, 'calibration-suites/v.jsonl'), verdicts(18));
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'junit', '--outputFile.junit', 'j.xml'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ kappa 0\.800 → 0\.400, −0\.400 \[−0\.\d{3}, −0\.\d{3}\], beyond noise \(max_drop 0\.05, n=60\)/);
    expect(r.stdout).toMatch(/✓ kappa 0\.400 \[[\d.]+, [\d.]+\] \(target >= 0\.3, n=60; 0\.800 → 0\.400, −0\.400/);
    const t = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.thresholds.find((x) => x.op === 'max_drop')!;
    expect(t).toMatchObject({ metric: 'kappa', status: 'failed', target: 0.05, baseline: 0.8 });
    expect(t.delta).toBeCloseTo(-0.4, 12);
    expect(t.delta_ci![1]).toBeLessThan(0);
    expect(t.reason).toBe('kappa worsened by 0.400 from its baseline 0.800 (max_drop 0.05): since the baseline 12 item(s) became wrong, 0 right');
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(readFileSync(join(dir, 'j.xml'), 'utf8'));
    const failure = [xml.testsuites.testsuite.testcase].flat().find((c: { name: string }) => c.name.startsWith('kappa max_drop')).failure;
    expect(failure.message).toMatch(/kappa 0\.800 → 0\.400, −0\.400/);
  });

  it('a small change within max_drop passes, and says whether it is beyond noise', async () => {
    const dir = project('  accuracy: { max_drop: 0.05 }\n');
    await runCli(['--update'], { cwd: dir });
    writeFileSync(join(dir, 'calibration-suites/v.jsonl'), verdicts(7)); // one more error: −0.017
    let r = await runCli([], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('accuracy −0.017 (max_drop 0.05)'); // the quiet line
    r = await runCli(['--verbose'], { cwd: dir });
    expect(r.stdout).toMatch(/✓ accuracy 0\.900 → 0\.883, −0\.017 \[−0\.\d{3}, [−+]0\.\d{3}\], (within|beyond) noise \(max_drop 0\.05/);
  });

  it('max_drop without a baseline fails and says how to make one', async () => {
    const r = await runCli(['--reporter', 'json'], { cwd: project('  kappa: { max_drop: 0.05 }\n') });
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as JsonReport).suites[0]!.thresholds[0]!.reason).toBe('kappa has no baseline to compare with: run judge-test --update and commit the baseline file');
  });

  it('a corrupt baseline is a config error', async () => {
    const dir = project('  kappa: { max_drop: 0.05 }\n');
    writeFileSync(join(dir, 'calibration-suites/s.baseline.json'), '{ not json');
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^judge-test: calibration-suites\/s\.baseline\.json: invalid baseline .*judge-test --update$/);
  });

  it('lists the items whose verdict flipped since the baseline in every report, and explains a max_drop failure with them', async () => {
    const dir = project('  kappa: { max_drop: 0.05 }\n');
    // Version 1 errs on q00..q05; its reasons are kept in the baseline.
    const withReasons = (errors: number, from = 0, tag = 'v1') =>
      items.map((it, i) => JSON.stringify({ id: it.id, verdict: i >= from && i < errors ? (it.label === 'pass' ? 'fail' : 'pass') : it.label, reason: `${tag}: item ${i}` })).join('\n');
    writeFileSync(join(dir, 'calibration-suites/v.jsonl'), withReasons(6));
    await runCli(['--update'], { cwd: dir });
    expect(JSON.parse(readFileSync(join(dir, 'calibration-suites/s.baseline.json'), 'utf8')).reasons.q03).toBe('v1: item 3');
    // Version 2 is right on q00..q01 and wrong on q02..q19: 14 now wrong, 2 now right.
    writeFileSync(join(dir, 'calibration-suites/v.jsonl'), withReasons(20, 2, 'v2'));
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'markdown', '--outputFile.markdown', 'r.md', '--reporter', 'html', '--outputFile.html', 'r.html'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('16 flipped since the baseline: 14 now wrong, 2 now right');
    expect(r.stdout).toContain('✗ q06: human pass; was pass, now fail — now: "v2: item 6" — was: "v1: item 6"');
    expect(r.stdout).toContain('✓ q00: human pass; was fail, now pass — now: "v2: item 0" — was: "v1: item 0"');
    expect(r.stdout).toContain('… 9 more: every item is in --reporter html (or json)');
    const suite = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(suite.flips).toHaveLength(16);
    expect(suite.flips![0]).toEqual({ id: 'q06', human: 'pass', before: 'pass', after: 'fail', kind: 'now_wrong', reason_before: 'v1: item 6', reason_after: 'v2: item 6' });
    expect(suite.flips!.filter((f) => f.kind === 'now_right').map((f) => f.id)).toEqual(['q00', 'q01']);
    expect(suite.thresholds[0]!.reason).toMatch(/^kappa worsened by [\d.]+ from its baseline [\d.]+ \(max_drop 0\.05\): since the baseline 14 item\(s\) became wrong, 2 right$/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('<details><summary>🔀 s: 16 flipped since the baseline: 14 now wrong, 2 now right</summary>');
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<h3>Flipped since the baseline</h3>');
    expect(html).toContain('<td>now wrong</td><td>q06</td><td>pass</td><td>pass → fail</td><td>v2: item 6</td><td>v1: item 6</td>');

    // An older baseline, without verdicts or reasons, still gates and lists nothing.
    writeFileSync(join(dir, 'calibration-suites/s.baseline.json'), JSON.stringify({ suite: 's', judge: 'rec', model: null, metrics: { kappa: 0.8 } }));
    const old = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(old.code).toBe(1);
    const oldSuite = (JSON.parse(old.stdout) as JsonReport).suites[0]!;
    expect(oldSuite.flips).toEqual([]);
    expect(oldSuite.thresholds[0]).toMatchObject({ status: 'failed', baseline: 0.8 });
    // A baseline that is not one: one clear line, exit 2.
    writeFileSync(join(dir, 'calibration-suites/s.baseline.json'), JSON.stringify({ suite: 's', judge: 'rec', model: null, metrics: { kappa: 'high' } }));
    const bad = await runCli([], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('judge-test: calibration-suites/s.baseline.json: invalid baseline (metrics.kappa: Invalid input: expected number, received string); fix it or rewrite it with judge-test --update');
  });
});
