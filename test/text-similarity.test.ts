// rationale_similarity's core against Python's difflib (test/fixtures/text/make_text_fixtures.py).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sequenceRatio } from '../src/metrics/text-similarity.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/text/difflib.json', import.meta.url), 'utf8')) as { pairs: { a: string; b: string; ratio: number }[] };

describe('sequenceRatio matches difflib.SequenceMatcher(None, a, b).ratio()', () => {
  it.each(fixture.pairs.map((p, i) => ({ ...p, i })))('pair $i', ({ a, b, ratio }) => {
    expect(sequenceRatio(a, b)).toBeCloseTo(ratio, 12);
  });
  it('includes pairs long enough for the autojunk rule', () => {
    expect(fixture.pairs.some((p) => Array.from(p.b).length >= 200)).toBe(true);
  });
});
