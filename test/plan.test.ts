// judge-test plan: the items each threshold needs, checked by simulation — at the planned size
// the realised interval has the asked half-width and the gate passes with the asked power.
import { describe, expect, it } from 'vitest';
import { bootstrapTableIntervals } from '../src/metrics/bootstrap.js';
import { kappaOf } from '../src/metrics/cohen-kappa.js';
import { accuracyOf } from '../src/metrics/accuracy.js';
import { itemsNeeded } from '../src/metrics/plan.js';
import type { PairTable } from '../src/metrics/pair-table.js';
import { seededRandom } from '../src/metrics/random.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

// The judge now: 200 items, half passed by humans, right on 88% (kappa 0.76).
const NOW: PairTable = { labels: ['pass', 'fail'], counts: [[88, 12], [12, 88]], n: 200 };
const kappa = (t: PairTable) => kappaOf(t);

/** Samples of n items from the current table's cells, as a new labeling round would give. */
function draw(n: number, random: () => number): PairTable {
  const cells = NOW.counts.flat();
  const counts = [[0, 0], [0, 0]];
  for (let i = 0; i < n; i++) {
    let u = random() * NOW.n;
    let c = 0;
    while (u >= cells[c]!) u -= cells[c++]!;
    counts[c >> 1]![c & 1]!++;
  }
  return { labels: NOW.labels, counts, n };
}

describe('plan', () => {
  it('at the planned size, the realised 95% interval of kappa has the asked half-width, and the gate passes with the asked power', () => {
    const plan = itemsNeeded(NOW, kappa, { op: '>=', target: 0.7, on: 'estimate' }, { width: 0.08, power: 0.8, confidence: 0.95, seed: 1 });
    expect(plan.forWidth).toBeGreaterThan(100);
    expect(plan.forPower).toBeGreaterThan(20);
    const random = seededRandom(2024);
    const sims = 300;
    let width = 0;
    let passed = 0;
    for (let s = 0; s < sims; s++) {
      const t = draw(plan.forWidth!, random);
      const ci = bootstrapTableIntervals(t, { kappa }, { resamples: 400, seed: s, confidence: 0.95, method: 'percentile' }).kappa!;
      width += (ci[1] - ci[0]) / 2 / sims;
      if (kappa(draw(plan.forPower!, random)).value! >= 0.7) passed++;
    }
    // The mean realised half-width is the asked 0.08 within 10%; the power 0.8 within simulation error (±0.07).
    expect(width).toBeGreaterThan(0.072);
    expect(width).toBeLessThan(0.088);
    expect(passed / sims).toBeGreaterThan(0.73);
    expect(passed / sims).toBeLessThan(0.87);
  }, 60_000);

  it('needs no power when the judge misses the threshold now, and says why', () => {
    const plan = itemsNeeded(NOW, accuracyOf, { op: '>=', target: 0.95, on: 'estimate' }, { width: 0.05, power: 0.8, confidence: 0.95, seed: 1 });
    expect(plan.forPower).toBeNull();
    expect(plan.why).toBe('the judge does not meet the threshold now: no number of items would show it met');
    expect(plan.forWidth).toBeGreaterThan(100);
  });

  it('prints a table per suite from the cached verdicts, and the same in JSON', async () => {
    const items = Array.from({ length: 60 }, (_, i) => ({ id: `q${i}`, label: i % 2 ? 'fail' : 'pass' }));
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  kappa: ">= 0.6"\n  fp_rate: "<= 0.2"\n',
      'calibration-suites/items.jsonl': items.map((x) => JSON.stringify(x)).join('\n'),
      'calibration-suites/v.jsonl': items.map((x, i) => JSON.stringify({ id: x.id, verdict: i < 6 ? (x.label === 'pass' ? 'fail' : 'pass') : x.label })).join('\n'),
    });
    const r = await runCli(['plan', '--width', '0.1', '--power', '0.9'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ calibration-suites\/s\.yaml > s\n {3}threshold +now \(n\) +items for ±0\.1 +for 90% power +to label\n {3}kappa >= 0\.6 +0\.800 \[[\d.]+, [\d.]+\] \(60\) +\d+ +\d+ +(\d+ more|enough)\n/);
    const json = JSON.parse((await runCli(['plan', '--json'], { cwd: dir })).stdout);
    expect(json).toMatchObject({ width: 0.1, power: 0.8, suites: [{ suite: 's', rows: [{ threshold: 'kappa >= 0.6', now: { n: 60 } }, { threshold: 'fp_rate <= 0.2' }] }] });
    expect(json.suites[0].rows[0].forWidth).toBeGreaterThan(60);
  });
});
