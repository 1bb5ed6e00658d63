// The console reporter, Vitest-quiet: a passing suite is one line, a failing one expands to
// everything needed to act, the failures are listed again at the end with file:line.
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { makeProject, recordedSuite, recordedVerdicts } from './helpers/project.js';

// 60 items, half passed by humans; the recorded judge errs on the first `errors` (the first half pass -> fail).
const items = Array.from({ length: 60 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}`, output: `answer ${i}`, label: i % 2 ? 'fail' : 'pass', ...(i === 2 ? { notes: 'it cites its source' } : {}) }));
const verdicts = (errors: number) => recordedVerdicts(items, errors, (i) => `reason ${i}`);
const suite = recordedSuite;

describe('the console', () => {
  it('prints a passing suite as one line and a failing one in full, then the failures again with file:line', async () => {
    const dir = makeProject({
      'calibration-suites/good.yaml': suite('good', '  kappa: ">= 0.6"\n  fp_rate: "<= 0.2"\n'),
      'calibration-suites/good.v.jsonl': verdicts(4),
      'calibration-suites/bad.yaml': suite('bad', '  kappa: ">= 0.8"\n  accuracy: ">= 0.7"\n'),
      'calibration-suites/bad.v.jsonl': verdicts(20),
      'calibration-suites/few.yaml': suite('few', '  kappa: ">= 0.5"\n', 'min_items: 100\n'),
      'calibration-suites/few.v.jsonl': verdicts(4),
      'calibration-suites/items.jsonl': items.map((x) => JSON.stringify(x)).join('\n'),
    });
    const r = await runCli(['--no-history'], { cwd: dir });
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    // Passing: one line with the thresholds and their values, items and duration; no metric dump.
    const good = lines.filter((l) => l.includes('good.yaml'));
    expect(good).toHaveLength(1);
    expect(good[0]).toMatch(/^ ✓ calibration-suites\/good\.yaml > good {2}kappa 0\.867 ≥ 0\.6 · fp_rate 0\.067 ≤ 0\.2 {2}60 items \d+ms$/);
    expect(r.stdout).not.toContain('balanced_accuracy');
    // Failing: each threshold with value, interval, target and n; the human ceiling when there is one; the confusion matrix; the items.
    const bad = r.stdout.slice(r.stdout.indexOf(' ✗ calibration-suites/bad.yaml'), r.stdout.indexOf('few.yaml'));
    expect(bad).toMatch(/✗ kappa 0\.333 \[[\d.]+, [\d.]+\] \(target >= 0\.8, n=60\)/);
    expect(bad).toMatch(/✗ accuracy 0\.667 \[[\d.]+, [\d.]+\] \(target >= 0\.7, n=60\)/);
    expect(bad).toContain('Confusion (rows: humans, columns: judge)');
    expect(bad).toMatch(/ {5}pass {4}20 {4}10\n {7}fail {4}10 {4}20\n/);
    expect(bad).toContain('False negatives (judge failed, humans passed) (10)');
    expect(bad).toContain('q02: human pass, judge fail — judge: "reason 2" — notes: "it cites its source"');
    expect(bad).toContain('… 5 more: every item is in --reporter html (or json)');
    // Insufficient evidence shows the value anyway, and n against min_items.
    expect(r.stdout).toMatch(/\? kappa 0\.867 \[[\d.]+, [\d.]+\] \(target >= 0\.5, n=60\): insufficient evidence: 60 items, the suite needs at least 100 \(min_items\)/);
    // The end: the failures again, each at its file:line, then the totals.
    const end = r.stdout.slice(r.stdout.indexOf(' Failed suites'));
    expect(end).toMatch(/^ Failed suites \(2\)\n ✗ calibration-suites\/bad\.yaml:9:10 > bad › kappa 0\.333 [^\n]*\n ✗ calibration-suites\/bad\.yaml:10:13 > bad › accuracy [^\n]*\n \? calibration-suites\/few\.yaml:10:10 > few › kappa 0\.867[^\n]*\n\n Suites {4}1 passed \| 2 failed \(3\)\n/);

    // --verbose: every suite in full, as before.
    const verbose = await runCli(['--no-history', '--verbose'], { cwd: dir });
    expect(verbose.stdout).toMatch(/✓ calibration-suites\/good\.yaml > good \[good · recorded\] 60 items\n {5}✓ kappa 0\.867/);
    expect(verbose.stdout).toContain('balanced_accuracy');
  });

  it('lists a suite that could not be loaded once at the end, its file:line said once', async () => {
    const dir = makeProject({ 'calibration-suites/broken.yaml': 'suite: broken\nitems: [ {id: a, label: pass\nthresholds:\n  kappa: ">= 0.5"\n' });
    const r = await runCli(['--no-history'], { cwd: dir });
    expect(r.code).toBe(2);
    const end = r.stdout.slice(r.stdout.indexOf(' Failed suites'));
    expect(end).toMatch(/^ Failed suites \(1\)\n ✗ calibration-suites\/broken\.yaml > broken: calibration-suites\/broken\.yaml:3:1: invalid YAML: [^\n]+\n\n Suites {4}1 errored \(1\)\n/);
  });

  it('prints the bundled examples in at most 15 lines when they pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jt-examples-'));
    cpSync(join(import.meta.dirname, '..', 'calibration-suites'), join(dir, 'calibration-suites'), { recursive: true });
    cpSync(join(import.meta.dirname, '..', 'judges'), join(dir, 'judges'), { recursive: true });
    const r = await runCli(['--no-history'], { cwd: dir });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(15);
    const suites = lines.filter((l) => /^ [✓↓] /.test(l));
    expect(suites.length).toBe(lines.length - 4); // a line per suite, a blank line and the 3-line summary
  });
});
