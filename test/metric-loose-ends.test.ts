// Loose ends found while checking the statistics against R and Python: each a rule made
// consistent, with the test that failed before the fix.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOOTSTRAP } from '../src/metrics/bootstrap.js';
import { panelMetrics } from '../src/metrics/human-ceiling.js';
import { iccOf } from '../src/metrics/icc.js';
import { computeMetrics } from '../src/metrics/index.js';
import { pairTable } from '../src/metrics/pair-table.js';
import type { Label } from '../src/types.js';

const noBootstrap = { ...DEFAULT_BOOTSTRAP, resamples: 0 };

describe('agreement with the judge when one person labeled', () => {
  it('computes fleiss_kappa_with_judge and krippendorff_alpha_*_with_judge for human + judge (two raters)', () => {
    const scale = { kind: 'ordinal', min: 1, max: 5 } as const;
    const labels = [1, 2, 3, 4, 5];
    const human = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 3];
    const judge = [1, 3, 3, 4, 4, 3, 2, 5, 5, 2, 3, 4];
    const one = panelMetrics(scale, human.map((h, i) => ({ labels: { ana: h }, judge: judge[i]! })), labels, noBootstrap);
    // The same two raters as two annotators (their validated human-only metrics) give the reference.
    const two = panelMetrics(scale, human.map((h, i) => ({ labels: { ana: h, bo: judge[i]! }, judge: null })), labels, noBootstrap);
    expect(one.fleiss_kappa_with_judge!.value).toBeCloseTo(two.human_fleiss_kappa!.value!, 12);
    for (const l of ['nominal', 'ordinal', 'interval']) expect(one[`krippendorff_alpha_${l}_with_judge`]!.value).toBeCloseTo(two[`human_krippendorff_alpha_${l}`]!.value!, 12);
    expect(one.judge_agreement!.value).toBeCloseTo(two.human_agreement!.value!, 12);
    // What needs two people stays undefined, and says so.
    expect(one.human_fleiss_kappa).toMatchObject({ value: null, reason: 'needs labels from 2 or more annotators' });
    expect(one.judge_to_human_ratio!.value).toBeNull();
  });
});

describe('kappa under a mean or median consensus', () => {
  it('is undefined whenever the consensus is a mean or a median, whether or not a value falls between scale points', () => {
    const scale = { kind: 'ordinal', min: 1, max: 5 } as const;
    const labels: Label[] = [1, 2, 3, 4, 5];
    const onPoints = computeMetrics({ scale, human: [1, 2, 3, 4, 5, 2], judge: [1, 2, 3, 4, 4, 2], answered: 6, unparseable: 0, aggregation: 'mean' }, labels, noBootstrap).metrics;
    const between = computeMetrics({ scale, human: [1, 2.5, 3, 4, 5, 2], judge: [1, 2, 3, 4, 4, 2], answered: 6, unparseable: 0, aggregation: 'mean' }, labels, noBootstrap).metrics;
    for (const m of [onPoints, between]) {
      for (const name of ['kappa', 'kappa_linear', 'kappa_quadratic']) expect(m[name], name).toMatchObject({ value: null });
      expect(m.spearman!.value).not.toBeNull(); // the distance and correlation metrics stay
    }
    expect(onPoints.kappa!.reason).toBe('kappa compares categories: a mean or median consensus is not one; use majority or individual_average aggregation for kappa');
    // Majority: as before.
    expect(computeMetrics({ scale, human: [1, 2, 3, 4, 5, 2], judge: [1, 2, 3, 4, 4, 2], answered: 6, unparseable: 0 }, labels, noBootstrap).metrics.kappa!.value).not.toBeNull();
  });
});

describe('ICC with a constant judge', () => {
  it('is exactly 0, not floating-point noise', () => {
    for (let s = 1; s < 500; s++) {
      let x = s;
      const rnd = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
      const n = 5 + Math.floor(rnd() * 200);
      const human = Array.from({ length: n }, () => 1 + Math.floor(rnd() * 5));
      const c = 1 + Math.floor(rnd() * 5);
      const t = pairTable(human, human.map(() => c), [1, 2, 3, 4, 5]);
      for (const f of ['icc_2_1', 'icc_3_1', 'icc_2_k'] as const) {
        const v = iccOf(t, f).value;
        if (v !== null) expect(v, `seed ${s}, ${f}`).toBe(0);
      }
    }
  });
});
