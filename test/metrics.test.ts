// Metrics against scikit-learn, SciPy and R psych values (test/fixtures/metrics/make_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scaleLabels } from '../src/scale/scale.js';
import { computeMetrics } from '../src/metrics/index.js';
import { majorityLabel } from '../src/metrics/majority.js';
import { averageRanks } from '../src/metrics/spearman.js';
import type { Label, Scale } from '../src/types.js';

interface Case {
  name: string;
  scale: Scale;
  human: Label[];
  judge: Label[];
  confusion: number[][];
  expected: Record<string, number | null>;
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/metrics.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** A rate's n is its denominator (the items it is about); every other metric's n is all items. */
function expectedN(name: string, c: Case): number {
  const [[tp, fn], [fp, tn]] = c.confusion as [[number, number], [number, number]];
  const rates: Record<string, number> = { precision: tp + fp, recall: tp + fn, fp_rate: fp + tn, fn_rate: fn + tp };
  return c.scale.kind === 'binary' && name in rates ? rates[name]! : c.human.length;
}

describe('metrics match scikit-learn, SciPy and R psych', () => {
  it('has cases for every scale', () => {
    expect(new Set(fixture.cases.map((c) => c.scale.kind))).toEqual(new Set(['binary', 'ordinal', 'categorical']));
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const { metrics, confusion } = computeMetrics(
        { scale: c.scale, human: c.human, judge: c.judge, answered: c.human.length, unparseable: 0 },
        scaleLabels(c.scale),
      );
      expect(confusion.counts).toEqual(c.confusion);
      for (const [name, want] of Object.entries(c.expected)) {
        const got = metrics[name];
        expect(got, name).toBeDefined();
        if (want === null) {
          expect(got!.value, `${name} should be undefined`).toBeNull();
          expect(got!.reason, `${name} needs a reason`).toMatch(/\w/);
        } else {
          expect(got!.value, name).not.toBeNull();
          expect(got!.value!, name).toBeCloseTo(want, 10);
        }
        expect(got!.n).toBe(expectedN(name, c));
      }
    });
  }
});

describe('unparseable_rate', () => {
  it('is unparseable / answered, undefined with no answers', () => {
    const scale: Scale = { kind: 'binary' };
    const m = computeMetrics({ scale, human: ['pass'], judge: ['pass'], answered: 4, unparseable: 1 }, scaleLabels(scale)).metrics;
    expect(m.unparseable_rate).toMatchObject({ value: 0.25, n: 4 });
    const none = computeMetrics({ scale, human: [], judge: [], answered: 0, unparseable: 0 }, scaleLabels(scale)).metrics;
    expect(none.unparseable_rate!.value).toBeNull();
    expect(none.kappa!.value).toBeNull();
    expect(none.accuracy!.value).toBeNull();
  });
});

describe('majorityLabel', () => {
  it('takes the most common label and reports ties as null', () => {
    expect(majorityLabel(['pass', 'pass', 'fail'])).toBe('pass');
    expect(majorityLabel(['pass', 'fail'])).toBeNull();
    expect(majorityLabel([3, 4, 5])).toBeNull();
    expect(majorityLabel([3, 3, 4, 4, 5])).toBeNull();
    expect(majorityLabel([2])).toBe(2);
  });
});

describe('averageRanks', () => {
  it('gives tied values the mean of their positions (scipy.stats.rankdata)', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });
});
