// corrected_pass_rate: Rogan–Gladen against R epiR, its bootstrap interval, and the suite option.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { correctedPassRate, roganGladen } from '../src/metrics/corrected-pass-rate.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/rogan-gladen.json', import.meta.url), 'utf8')) as {
  cases: { passed: number; total: number; tpr: number; tnr: number; epiR: number; clipped: number }[];
};

describe('corrected_pass_rate', () => {
  it.each(fixture.cases)('matches epiR::epi.prev for $passed/$total, TPR $tpr, TNR $tnr', ({ passed, total, tpr, tnr, clipped }) => {
    expect(roganGladen(passed / total, tpr, tnr)).toBeCloseTo(clipped, 12);
  });

  it('is undefined when the judge is no better than chance', () => {
    expect(roganGladen(0.5, 0.5, 0.5)).toBeNull();
    const m = correctedPassRate({ tp: 5, fn: 5, tn: 4, fp: 6 }, { passed: 50, total: 100 }, { resamples: 100, seed: 1, confidence: 0.95 });
    expect(m.value).toBeNull();
    expect(m.reason).toMatch(/no better than chance/);
  });

  it('has a reproducible interval around the estimate', () => {
    const anchors = { tp: 90, fn: 10, tn: 95, fp: 5 };
    const a = correctedPassRate(anchors, { passed: 300, total: 1000 }, { resamples: 500, seed: 3, confidence: 0.95 });
    const b = correctedPassRate(anchors, { passed: 300, total: 1000 }, { resamples: 500, seed: 3, confidence: 0.95 });
    expect(a).toEqual(b);
    expect(a.value).toBeCloseTo(0.25 / 0.85, 12);
    expect(a.ci![0]).toBeLessThan(a.value!);
    expect(a.ci![1]).toBeGreaterThan(a.value!);
  });

  it('reads the judge\'s verdicts on unlabeled outputs from a file named in the suite', async () => {
    // Anchors: 20 human passes (judge passes 18), 20 human fails (judge passes 2): TPR 0.9, TNR 0.9.
    const anchors = Array.from({ length: 40 }, (_, i) => ({ id: `a${i}`, label: i < 20 ? 'pass' : 'fail', verdict: i < 18 || (i >= 20 && i < 22) ? 'pass' : 'fail' }));
    const unlabeled = Array.from({ length: 100 }, (_, i) => ({ id: `u${i}`, verdict: i < 60 ? 'pass' : 'fail' }));
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nunlabeled: { verdicts: ./prod.jsonl }\nthresholds:\n  corrected_pass_rate: ">= 0.6"\n',
      'calibration-suites/items.jsonl': anchors.map((a) => JSON.stringify({ id: a.id, label: a.label })).join('\n'),
      'calibration-suites/v.jsonl': anchors.map((a) => JSON.stringify({ id: a.id, verdict: a.verdict })).join('\n'),
      'calibration-suites/prod.jsonl': unlabeled.map((u) => JSON.stringify(u)).join('\n'),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir });
    const m = (JSON.parse(r.stdout) as JsonReport).suites[0]!.metrics.corrected_pass_rate!;
    // (0.6 + 0.9 − 1) / (0.9 + 0.9 − 1) = 0.625
    expect(m.value).toBeCloseTo(0.625, 12);
    expect(m.n).toBe(100);
    expect(m.ci).toHaveLength(2);
    expect(r.code).toBe(0);
  });
});
