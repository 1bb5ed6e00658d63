// judge-test/vitest: a project's calibration suites as Vitest tests (a describe per suite, a
// test per threshold, the console's failure message) and matchers; run with `vitest run` on a
// fixture project, read from Vitest's JSON report.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, recordedSuite, recordedVerdicts } from './helpers/project.js';

const ROOT = join(import.meta.dirname, '..');
const items = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, output: `answer ${i}`, label: i % 2 ? 'fail' : 'pass' }));
const verdicts = (wrong: number) => recordedVerdicts(items, wrong);
const suite = recordedSuite;

function vitest(cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', cwd, '--reporter=json', '--outputFile=vitest.json'], { cwd, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('judge-test/vitest', () => {
  it('runs the suites as Vitest tests, a test per threshold failing with the console message, and the matchers', async () => {
    const dir = makeProject({
      'calibration-suites/good.yaml': suite('good', '  accuracy: ">= 0.8"\n  kappa: ">= 0.6"\n'),
      'calibration-suites/good.v.jsonl': verdicts(2),
      'calibration-suites/bad.yaml': suite('bad', '  kappa: ">= 0.8"\n'),
      'calibration-suites/bad.v.jsonl': verdicts(6),
      'calibration-suites/items.jsonl': items.map((x) => JSON.stringify(x)).join('\n'),
      'calibration.test.mjs': "import { describeSuites } from 'judge-test/vitest';\ndescribeSuites();\n",
      'matchers.test.mjs': [
        "import { expect, test } from 'vitest';",
        "import { runSuite } from 'judge-test/vitest';",
        "test('good meets its thresholds', async () => {",
        "  const r = await runSuite('calibration-suites/good.yaml');",
        '  expect(r).toMeetThresholds();',
        '  expect(r.metrics.kappa).toBeAtLeast(0.6);',
        '  expect(r.metrics.accuracy.value).toBeAtMost(0.95);',
        '});',
        "test('bad does not', async () => {",
        "  expect(await runSuite('calibration-suites/bad.yaml')).toMeetThresholds();",
        '});',
        '',
      ].join('\n'),
    });
    // The project has judge-test installed, as a user's would.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules/judge-test'), 'dir');
    const r = await vitest(dir);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'vitest.json'), 'utf8')) as { testResults: { name: string; assertionResults: { ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }[] }[] };
    const tests = report.testResults.flatMap((f) => f.assertionResults.map((a) => ({ path: [...a.ancestorTitles, a.title].join(' > '), status: a.status, failure: a.failureMessages.join('\n') })));
    const by = new Map(tests.map((t) => [t.path, t]));
    expect(by.get('calibration-suites/good.yaml > good > accuracy >= 0.8')!.status).toBe('passed');
    expect(by.get('calibration-suites/good.yaml > good > kappa >= 0.6')!.status).toBe('passed');
    const bad = by.get('calibration-suites/bad.yaml > bad > kappa >= 0.8')!;
    expect(bad.status).toBe('failed');
    expect(bad.failure).toMatch(/kappa 0\.400 \[[\d.]+, [\d.]+\] \(target >= 0\.8, n=20\)/);
    expect(by.get('good meets its thresholds')!.status).toBe('passed');
    const m = by.get('bad does not')!;
    expect(m.status).toBe('failed');
    expect(m.failure).toMatch(/suite "bad" is failed\n {2}✗ kappa 0\.400/);
  }, 60_000);
});
