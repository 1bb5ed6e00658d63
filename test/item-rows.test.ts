// Item rows are checked by a plain function for the common shape and by zod for the rest: the
// two must agree on every row (same accept, same value, the item's other fields in the same order).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemSchema, simpleItem } from '../src/config/schemas.js';

const KNOWN = ['id', 'label', 'labels', 'notes', 'tags', 'consensus', 'rationale', 'edge_case', 'origin'];

// Values of every kind a field may hold in a JSON or YAML row, the awkward ones included.
const anyValue = fc.oneof(
  fc.string(),
  fc.constantFrom('', 'pass', 'fail', '3'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY, 1e308),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.dictionary(fc.string({ maxLength: 3 }), fc.string(), { maxKeys: 2 })), { maxKeys: 3 }),
);
// Mostly what the field should hold, sometimes anything.
const mostly = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: anyValue, weight: 1 });
const scalar = fc.oneof(fc.constantFrom('pass', 'fail'), fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.double());
const row = fc
  .record(
    {
      id: mostly(fc.oneof(fc.string({ minLength: 1 }), fc.integer(), fc.double())),
      label: mostly(scalar),
      labels: mostly(fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(scalar, fc.constant(null)), { maxKeys: 3 })),
      notes: mostly(fc.string()),
      tags: mostly(fc.array(fc.string(), { maxLength: 3 })),
      consensus: mostly(scalar),
      rationale: mostly(fc.string()),
      edge_case: mostly(fc.string()),
      origin: mostly(fc.string()),
    },
    { requiredKeys: [] },
  )
  .chain((known) => fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((extra) => ({ ...extra, ...known })))
  .chain((r: Record<string, unknown>) => fc.shuffledSubarray(Object.keys(r), { minLength: Object.keys(r).length }).map((order) => Object.fromEntries(order.map((k) => [k, r[k]]))));

const others = (v: Record<string, unknown>) => Object.keys(v).filter((k) => !KNOWN.includes(k));

describe('item rows', () => {
  it('the plain check and zod agree on every row', () => {
    let fast = 0;
    fc.assert(
      fc.property(row, fc.boolean(), (r, viaJson) => {
        // Through JSON as a JSONL row is (NaN and Infinity become null there), or as built (a YAML row).
        const value: unknown = viaJson ? JSON.parse(JSON.stringify(r)) : r;
        const byZod = itemSchema.safeParse(value);
        const quick = simpleItem(value);
        if (quick === undefined) return;
        fast++;
        expect(byZod.success).toBe(true);
        expect(quick).toEqual(byZod.data);
        expect(others(quick)).toEqual(others(byZod.data as Record<string, unknown>));
      }),
      { numRuns: 3000 },
    );
    // The plain check is not a path nothing takes.
    expect(fast).toBeGreaterThan(100);
  });

  it('takes the common rows itself and leaves everything else to zod', () => {
    expect(simpleItem({ id: 'q1', input: 'x', output: 'y', label: 'pass' })).toEqual({ id: 'q1', input: 'x', output: 'y', label: 'pass' });
    expect(simpleItem({ id: 7, labels: { ann: 3, bob: null }, tags: ['a'], notes: 'n' })).toEqual({ id: '7', labels: { ann: 3, bob: null }, tags: ['a'], notes: 'n' });
    for (const hard of [
      { id: '', label: 'pass' },
      { id: 'a', label: 'pass', labels: { x: 'pass' } },
      { id: 'a', label: { quality: 'pass' } }, // a label per criterion: zod's
      { id: 'a', labels: { x: { quality: 'pass' } } },
      { id: 'a', notes: null },
      { id: Number.POSITIVE_INFINITY },
      JSON.parse('{"id": "a", "__proto__": {"label": "pass"}}') as unknown,
      null,
      ['id', 'a'],
    ]) {
      expect(simpleItem(hard)).toBeUndefined();
    }
  });
});
