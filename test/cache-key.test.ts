// The cache key's serialization must never change: committed caches are keyed by it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cacheKey, cacheKeyMaker, stableStringify } from '../src/cache/key.js';

/** The definition the keys were first made with: JSON.stringify with a key-sorting replacer. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

describe('stableStringify', () => {
  it('is byte-identical to the replacer definition on any JSON-like value', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('0', '1', '10', '9', '01', '-1', '4294967295', '4294967294', '1.5', '__proto__', 'é', 'a'));
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined)),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 5 })),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(stableStringify(v)).toBe(reference(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('handles toJSON, functions and holes as JSON.stringify does', () => {
    const v = { d: new Date(0), f: () => 1, a: [undefined, () => 1, NaN, -0, 1e21], n: { u: undefined } };
    expect(stableStringify(v)).toBe(reference(v));
  });

  it('keeps the keys of existing caches', () => {
    // A key computed before the serializer was rewritten (openai judge, one message).
    const key = cacheKey({ provider: 'openai', model: 'gpt-4o-mini', params: { temperature: 0 }, request: [{ role: 'user', content: 'hi' }], schema: { type: 'object' }, identity: '', sample: 0 });
    expect(key).toBe('5fd46d3099749b667a88bdf7ed21ceb2ab2b095914d157673fd4fbfa8dca7105');
  });

  it('makes the same keys judge by judge as one by one', () => {
    const parts = fc.record({
      provider: fc.constantFrom('openai', 'anthropic', 'module'),
      model: fc.string(),
      params: fc.record({ temperature: fc.option(fc.double({ min: 0, max: 2 }), { nil: undefined }), seed: fc.option(fc.integer(), { nil: undefined }) }),
      request: fc.oneof(fc.jsonValue(), fc.array(fc.record({ role: fc.constantFrom('system', 'user', 'assistant'), content: fc.string() }), { maxLength: 3 })),
      schema: fc.jsonValue(),
      identity: fc.string(),
      sample: fc.nat(5),
    });
    fc.assert(
      fc.property(parts, ({ request, sample, ...fixed }) => {
        expect(cacheKeyMaker(fixed)(request, sample)).toBe(cacheKey({ ...fixed, request, sample }));
      }),
    );
    // One maker over many requests (its memo of repeated message texts must not leak between them).
    const make = cacheKeyMaker({ provider: 'openai', model: 'm', params: {}, schema: {}, identity: '' });
    fc.assert(
      fc.property(fc.array(fc.array(fc.record({ role: fc.constantFrom('system', 'user'), content: fc.constantFrom('a', 'b', 'rubric "x"\n') }), { maxLength: 3 }), { maxLength: 6 }), (requests) => {
        for (const r of requests) expect(make(r, 0)).toBe(cacheKey({ provider: 'openai', model: 'm', params: {}, schema: {}, identity: '', request: r, sample: 0 }));
      }),
    );
  });
});
