// Confidence calibration against scikit-learn and SciPy (test/fixtures/metrics/make_calibration_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { brier, ece, fitTemperature, mce, reliabilityBins, type ConfidencePoint } from '../src/metrics/calibration.js';

interface Case {
  name: string;
  confidence: number[];
  correct: boolean[];
  expected: Record<string, unknown> & { brier: number; temperature: number | null };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/metrics/calibration.json', import.meta.url), 'utf8')) as { cases: Case[] };

describe('calibration matches scikit-learn / SciPy', () => {
  for (const c of fixture.cases) {
    const points: ConfidencePoint[] = c.confidence.map((confidence, i) => ({ confidence, correct: c.correct[i]! }));
    it(c.name, () => {
      for (const strategy of ['uniform', 'quantile'] as const) {
        for (const bins of [5, 10]) {
          const want = c.expected[`${strategy}_${bins}`] as { bins: { count: number; meanConfidence: number; accuracy: number }[]; ece: number; mce: number };
          const got = reliabilityBins(points, { bins, strategy });
          expect(got.map((b) => b.count), `${strategy} ${bins}`).toEqual(want.bins.map((b) => b.count));
          got.forEach((b, i) => {
            expect(b.meanConfidence).toBeCloseTo(want.bins[i]!.meanConfidence, 10);
            expect(b.accuracy).toBeCloseTo(want.bins[i]!.accuracy, 10);
          });
          expect(ece(points, { bins, strategy }).value).toBeCloseTo(want.ece, 10);
          expect(mce(points, { bins, strategy }).value).toBeCloseTo(want.mce, 10);
        }
      }
      expect(brier(points).value).toBeCloseTo(c.expected.brier, 12);
      // Two optimizers to their own tolerance: agree to 1e-6.
      expect(fitTemperature(points)).toBeCloseTo(c.expected.temperature!, 6);
    });
  }

  it('says which way the judge is off: T > 1 over-confident, T < 1 under-confident', () => {
    const [over, , under] = fixture.cases;
    expect(over!.expected.temperature).toBeGreaterThan(1);
    expect(under!.expected.temperature).toBeLessThan(1);
  });

  it('is undefined without confidences, and T is null when every verdict is right', () => {
    expect(ece([], { bins: 10, strategy: 'uniform' }).value).toBeNull();
    expect(brier([]).reason).toBe('no verdict carries a confidence');
    expect(fitTemperature([{ confidence: 0.9, correct: true }, { confidence: 0.7, correct: true }])).toBeNull();
  });
});
