// The cache key's serialization must never change: committed caches are keyed by it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { cacheKey, cacheKeyMaker, stableStringify } from '../src/cache/key.js';
import { planTask } from '../src/judge/evaluate-item.js';
import { renderMessages } from '../src/judge/prompt.js';
import { answerSchema } from '../src/providers/answer-schema.js';
import { createProvider } from '../src/providers/index.js';
import type { Item, ResolvedJudge } from '../src/types.js';

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

// Each thing that can change an answer is part of the key: changing it alone misses the cache.
// (Each test fails if its component is dropped from the key.)
describe('what a verdict\'s cache key covers', () => {
  const item: Item = { id: 'q1', fields: { input: 'Capital of France?', output: 'Paris.' }, labels: { human: 'pass' }, source: { file: 's.yaml', line: 1, column: 1 } };
  const judge: ResolvedJudge = { id: 'j', provider: 'openai', model: 'gpt-4o-mini', temperature: 0, rubric: 'Pass correct answers.', examples: [], scale: { kind: 'binary' }, limits: {}, samples: 1, responseFormat: 'json_schema', file: '/p/judges/j.yaml' };
  const keyOf = async (j: ResolvedJudge, env: NodeJS.ProcessEnv = {}) => planTask(j, await createProvider({ judge: j, env, timeoutMs: 1000 }), item).keys[0]!;
  let base: string;
  beforeAll(async () => {
    base = await keyOf(judge);
  });

  it('the same judge and item give the same key', async () => {
    expect(await keyOf({ ...judge })).toBe(base);
  });
  it('the model', async () => expect(await keyOf({ ...judge, model: 'gpt-4o' })).not.toBe(base));
  it('the temperature', async () => expect(await keyOf({ ...judge, temperature: 0.7 })).not.toBe(base));
  it('top_p', async () => expect(await keyOf({ ...judge, topP: 0.9 })).not.toBe(base));
  it('max_tokens', async () => expect(await keyOf({ ...judge, maxTokens: 50 })).not.toBe(base));
  it('the seed', async () => expect(await keyOf({ ...judge, seed: 7 })).not.toBe(base));
  it('the answer format', async () => expect(await keyOf({ ...judge, responseFormat: 'text' })).not.toBe(base));
  it('logprobs', async () => expect(await keyOf({ ...judge, confidence: 'logprobs' })).not.toBe(base));
  it('the rubric (the rendered messages)', async () => expect(await keyOf({ ...judge, rubric: 'Pass only correct answers.' })).not.toBe(base));
  it('the item', async () => {
    const other = planTask(judge, await createProvider({ judge, env: {}, timeoutMs: 1000 }), { ...item, fields: { ...item.fields, output: 'Lyon.' } }).keys[0];
    expect(other).not.toBe(base);
  });
  it('the scale (the answer\'s schema)', async () => expect(await keyOf({ ...judge, scale: { kind: 'categorical', labels: ['pass', 'fail', 'unsure'] } })).not.toBe(base));
  it('the provider', async () => expect(await keyOf({ ...judge, provider: 'anthropic' }, { ANTHROPIC_API_KEY: 'x' })).not.toBe(base));
  it('the sample index', async () => {
    const two = planTask({ ...judge, samples: 2 }, await createProvider({ judge, env: {}, timeoutMs: 1000 }), item).keys;
    expect(two[0]).toBe(base);
    expect(two[1]).not.toBe(base);
  });

  it('the endpoint: another base URL is another cache; the default endpoint keeps its keys', async () => {
    const local = await keyOf({ ...judge, baseURL: 'http://localhost:11434/v1' });
    expect(local).not.toBe(base);
    // The same endpoint named by the variable, with a trailing slash or credentials, is the same.
    expect(await keyOf(judge, { OPENAI_BASE_URL: 'http://localhost:11434/v1/' })).toBe(local);
    expect(await keyOf({ ...judge, baseURL: 'http://user:secret@LOCALHOST:11434/v1' })).toBe(local);
    expect(await keyOf({ ...judge, baseURL: 'http://localhost:8080/v1' })).not.toBe(local);
    // OpenAI's own endpoint, named or not, is the default: the key made before endpoints were keyed.
    expect(await keyOf({ ...judge, baseURL: 'https://api.openai.com/v1' })).toBe(base);
    expect(base).toBe(cacheKeyMaker({ provider: 'openai', model: 'gpt-4o-mini', params: { temperature: 0, format: 'json_schema' }, schema: answerSchema(judge), identity: '' })(renderMessages(judge, item), 0));
  });

  it('a code judge\'s source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'judge-test-key-'));
    try {
      const file = join(dir, 'j.mjs');
      const code: ResolvedJudge = { ...judge, provider: 'module', path: file };
      writeFileSync(file, 'export const cache = true;\nexport default () => "pass";\n');
      const before = await keyOf(code);
      writeFileSync(file, 'export const cache = true;\nexport default () => "fail";\n');
      expect(await keyOf(code)).not.toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
