// Properties every implementation of these statistics must have, on random data (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cohenKappa } from '../src/metrics/cohen-kappa.js';
import { fleissKappa } from '../src/metrics/fleiss-kappa.js';
import { computeMetrics, tableMetrics } from '../src/metrics/index.js';
import { krippendorffAlpha } from '../src/metrics/krippendorff-alpha.js';
import { pairTable } from '../src/metrics/pair-table.js';
import type { Label, Scale } from '../src/types.js';

const CATS = ['a', 'b', 'c'];
const pairs = (labels: readonly Label[], min = 2) =>
  fc.array(fc.tuple(fc.constantFrom(...labels), fc.constantFrom(...labels)), { minLength: min, maxLength: 60 });

const close = (a: number | null, b: number | null) => (a === null ? b === null : b !== null && Math.abs(a - b) < 1e-9);

describe('properties', () => {
  it('kappa (plain and weighted) is symmetric in its two raters', () => {
    fc.assert(
      fc.property(pairs([1, 2, 3, 4, 5]), fc.constantFrom('none', 'linear', 'quadratic'), (ps, w) => {
        const x = ps.map((p) => p[0]);
        const y = ps.map((p) => p[1]);
        return close(cohenKappa(x, y, [1, 2, 3, 4, 5], w as 'none').value, cohenKappa(y, x, [1, 2, 3, 4, 5], w as 'none').value);
      }),
    );
  });

  it('nominal agreement statistics do not change when labels are renamed', () => {
    const rename: Record<string, string> = { a: 'zeta', b: 'alpha', c: 'mu' };
    fc.assert(
      fc.property(pairs(CATS), (ps) => {
        const scale: Scale = { kind: 'categorical', labels: CATS };
        const renamed: Scale = { kind: 'categorical', labels: CATS.map((c) => rename[c]!) };
        const m1 = tableMetrics(scale, pairTable(ps.map((p) => p[0]), ps.map((p) => p[1]), CATS));
        const m2 = tableMetrics(renamed, pairTable(ps.map((p) => rename[p[0]]!), ps.map((p) => rename[p[1]]!), renamed.labels));
        return Object.keys(m1).every((k) => close(m1[k]!.value, m2[k]!.value));
      }),
    );
  });

  it('every defined metric stays in its range, and so does its interval', () => {
    const bounded: Record<string, [number, number]> = {
      accuracy: [0, 1], balanced_accuracy: [0, 1], precision: [0, 1], recall: [0, 1], f1: [0, 1], fp_rate: [0, 1], fn_rate: [0, 1],
      kappa: [-1, 1], mcc: [-1, 1], ac1: [-1, 1], base_rate: [0, 1], baseline_accuracy: [0, 1], unparseable_rate: [0, 1],
    };
    fc.assert(
      fc.property(pairs(['pass', 'fail'], 1), fc.integer({ min: 0, max: 5 }), (ps, unparseable) => {
        const scale: Scale = { kind: 'binary' };
        const { metrics } = computeMetrics(
          { scale, human: ps.map((p) => p[0]), judge: ps.map((p) => p[1]), answered: ps.length + unparseable, unparseable },
          ['pass', 'fail'],
          { resamples: 50, seed: 3, confidence: 0.95 },
        );
        return Object.entries(bounded).every(([name, [lo, hi]]) => {
          const m = metrics[name]!;
          if (m.value === null) return m.reason !== undefined;
          const inRange = (v: number) => v >= lo - 1e-12 && v <= hi + 1e-12;
          return inRange(m.value) && (!m.ci || (inRange(m.ci[0]) && inRange(m.ci[1]) && m.ci[0] <= m.ci[1]));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('perfect agreement gives 1 for kappa, Fleiss and Krippendorff (when defined)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CATS), { minLength: 2, maxLength: 40 }), fc.integer({ min: 2, max: 5 }), (items, raters) => {
        const ratings = items.map((l) => Array.from({ length: raters }, () => l));
        const f = fleissKappa(ratings, CATS).value;
        const a = krippendorffAlpha(ratings, CATS, 'nominal').value;
        const k = cohenKappa(items, items, CATS).value;
        return [f, a, k].every((v) => v === null || Math.abs(v - 1) < 1e-12);
      }),
    );
  });

  it('Fleiss and Krippendorff do not depend on the order of raters or items', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.option(fc.constantFrom(...CATS), { nil: null }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 30 }), (ratings) => {
        const shuffled = [...ratings].reverse().map((row) => [...row].reverse());
        return (
          close(fleissKappa(ratings, CATS).value, fleissKappa(shuffled, CATS).value) &&
          close(krippendorffAlpha(ratings, CATS, 'nominal').value, krippendorffAlpha(shuffled, CATS, 'nominal').value)
        );
      }),
    );
  });
});

// Make sure the property runner itself can fail (guards against a vacuous suite).
describe('fast-check sanity', () => {
  it('finds a counterexample to a false property', () => {
    expect(() => fc.assert(fc.property(fc.integer(), (n) => n < 100))).toThrow();
  });
});
