// A suite's own metrics: a module exporting a function over the items, usable in thresholds,
// with an interval, in every report and the baseline; a bad module is one clear line.
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

// 40 items, half passed by humans; the judge misses 4 passes (FN) and lets 2 fails through (FP).
const items = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, output: `answer ${i}`, label: i % 2 ? 'fail' : 'pass' }));
const verdict = (i: number) => (i < 8 && i % 2 === 0 ? 'fail' : i >= 8 && i < 12 && i % 2 === 1 ? 'pass' : items[i]!.label);
// A false negative costs 5, a false positive 1: the mean cost per item.
const COST = `import { defineMetric } from 'judge-test';
export default defineMetric({
  lowerIsBetter: true,
  value: (items) => {
    const scored = items.filter((i) => i.status === 'ok' && i.human !== null);
    if (scored.length === 0) return null;
    const cost = scored.reduce((a, i) => a + (i.human === 'pass' && i.verdict === 'fail' ? 5 : i.human === 'fail' && i.verdict === 'pass' ? 1 : 0), 0);
    return cost / scored.length;
  },
});
`;

function project(metric: string, threshold = '"<= 0.5"') {
  return makeProject({
    'calibration-suites/s.yaml': `suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nmetrics:\n  cost_weighted_error: ./metrics/cost.mjs\nthresholds:\n  cost_weighted_error: ${threshold}\n  kappa: { max_drop: 0.1 }\n`,
    'calibration-suites/metrics/cost.mjs': metric,
    'calibration-suites/items.jsonl': items.map((x) => JSON.stringify(x)).join('\n'),
    'calibration-suites/v.jsonl': items.map((x, i) => JSON.stringify({ id: x.id, verdict: verdict(i) })).join('\n'),
  });
}

describe('custom metrics', () => {
  it('are computed with an interval, gate, and appear in every report and the baseline', async () => {
    const dir = project(COST);
    // The project has judge-test installed, as a user's would: its defineMetric helper is imported by name.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(join(import.meta.dirname, '..'), join(dir, 'node_modules/judge-test'), 'dir');
    const first = await runCli(['--update'], { cwd: dir });
    expect(first.stderr).toContain('Baselines written');
    const baseline = JSON.parse(readFileSync(join(dir, 'calibration-suites/s.baseline.json'), 'utf8'));
    expect(baseline.metrics.cost_weighted_error).toBeCloseTo((4 * 5 + 2) / 40, 12);
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'junit', '--outputFile.junit', 'r.xml'], { cwd: dir });
    expect(r.code).toBe(1); // 0.55 > 0.5
    const s = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    const m = s.metrics.cost_weighted_error!;
    expect(m.value).toBeCloseTo(0.55, 12);
    expect(m.ci![0]).toBeLessThan(0.55);
    expect(m.ci![1]).toBeGreaterThan(0.55);
    expect(s.thresholds[0]).toMatchObject({ metric: 'cost_weighted_error', status: 'failed' });
    expect(r.stdout).toMatch(/✗ cost_weighted_error 0\.550 \[[\d.]+, [\d.]+\] \(target <= 0\.5, n=40; 0\.550 → 0\.550, \+0\.000\)/);
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toContain('name="cost_weighted_error &lt;= 0.5"');
  });

  it('a module that cannot be loaded, exports no function, or throws is one line naming the file, exit 2', async () => {
    const cases: [string, RegExp][] = [
      ['export default 42;\n', /^judge-test: calibration-suites\/metrics\/cost\.mjs: metrics\.cost_weighted_error: expected a default export that is a function of the items, or \{value: function, lowerIsBetter\?: boolean\}$/],
      ['export default () => { throw new Error("no labels"); };\n', /^judge-test: calibration-suites\/metrics\/cost\.mjs: metrics\.cost_weighted_error: the function threw: no labels$/],
      ['export default () => "high";\n', /^judge-test: calibration-suites\/metrics\/cost\.mjs: metrics\.cost_weighted_error: expected a finite number or null, got string$/],
      ['export default (;\n', /^judge-test: calibration-suites\/metrics\/cost\.mjs: metrics\.cost_weighted_error: the module could not be loaded: /],
    ];
    for (const [source, pattern] of cases) {
      const r = await runCli([], { cwd: project(source) });
      expect(r.code, source).toBe(2);
      expect(r.stderr.trim(), source).toMatch(pattern);
    }
    // A name a built-in metric has is refused at load.
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: [{id: a, label: pass}]\nmetrics:\n  kappa: ./k.mjs\n',
      'calibration-suites/v.jsonl': '{"id":"a","verdict":"pass"}\n',
    });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/s\.yaml:\d+:\d+: metrics\.kappa: a built-in metric has this name; give yours another/);
  });
});
