// Prompt rendering, verdict parsing and retry timing: the judge stage's pure parts.
import { describe, expect, it } from 'vitest';
import { parseVerdict } from '../src/judge/parse-verdict.js';
import { checkTemplateFields, renderMessages, systemPrompt, templateFields } from '../src/judge/prompt.js';
import { ProviderCallError, retryAfterFromHeaders } from '../src/providers/provider.js';
import { retryDelay } from '../src/judge/retry.js';
import { ConfigError } from '../src/errors.js';
import type { Item, ResolvedJudge, Scale } from '../src/types.js';

const binary: Scale = { kind: 'binary' };
const ordinal: Scale = { kind: 'ordinal', min: 1, max: 5 };

describe('parseVerdict', () => {
  it('reads plain JSON, a ```json fence, and JSON embedded in prose', () => {
    expect(parseVerdict(binary, { text: '{"reason":"ok","verdict":"pass"}' })).toEqual({ ok: true, label: 'pass', reason: 'ok' });
    expect(parseVerdict(binary, { text: 'Sure!\n```json\n{"reason": "wrong year", "verdict": "FAIL"}\n```' })).toEqual({ ok: true, label: 'fail', reason: 'wrong year' });
    expect(parseVerdict(ordinal, { text: 'My grade: {"reason": "uses {braces} in text", "verdict": 4} done' })).toEqual({ ok: true, label: 4, reason: 'uses {braces} in text' });
  });

  it('prefers the structured answer, and keeps a valid confidence', () => {
    expect(parseVerdict(binary, { text: 'ignored', data: { verdict: true, reason: 'r', confidence: 0.8 } })).toEqual({ ok: true, label: 'pass', reason: 'r', confidence: 0.8 });
    expect(parseVerdict(binary, { text: '', data: { verdict: 'pass', confidence: 3 } })).toEqual({ ok: true, label: 'pass', reason: '' });
  });

  it('accepts a bare label only when it is exactly on the scale', () => {
    expect(parseVerdict(binary, { text: 'Pass.' })).toMatchObject({ ok: true, label: 'pass' });
    expect(parseVerdict(ordinal, { text: ' 3 ' })).toMatchObject({ ok: true, label: 3 });
    expect(parseVerdict(binary, { text: 'I would pass this one' })).toEqual({ ok: false, problem: 'no JSON object in the answer' });
  });

  it('never turns an unreadable answer into pass or fail', () => {
    expect(parseVerdict(binary, { text: '' })).toEqual({ ok: false, problem: 'empty answer' });
    expect(parseVerdict(binary, { text: '{"reason":"x"}' })).toEqual({ ok: false, problem: 'the JSON has no "verdict"' });
    expect(parseVerdict(ordinal, { text: '{"verdict": 4.5}' })).toEqual({ ok: false, problem: 'verdict 4.5 is not an integer from 1 to 5' });
    expect(parseVerdict(binary, { text: '{"verdict": "maybe"}' })).toMatchObject({ ok: false });
    expect(parseVerdict(binary, { text: '[1,2]', data: [1, 2] })).toEqual({ ok: false, problem: 'the answer is not a JSON object' });
  });
});

const judge = (over: Partial<ResolvedJudge> = {}): ResolvedJudge => ({
  id: 'j',
  provider: 'openai',
  model: 'm',
  rubric: 'Pass correct answers.',
  examples: [],
  scale: binary,
  responseFormat: 'json_schema',
  samples: 1,
  limits: {},
  file: '/p/judges/j.yaml',
  ...over,
});
const item = (id: string, fields: Record<string, unknown>): Item => ({ id, fields, labels: { human: 'pass' }, source: { file: '/p/s.yaml', line: 7, column: 5 } });

describe('prompt rendering', () => {
  it('keeps the rubric, scale and examples in a byte-stable system prompt; the item goes last', () => {
    const j = judge({ examples: [{ fields: { input: 'Capital of France?', output: 'Lyon' }, verdict: 'fail', reason: 'wrong city' }] });
    const a = renderMessages(j, item('a', { input: 'Q1', output: 'A1' }));
    const b = renderMessages(j, item('b', { input: 'Q2', output: 'A2', expected: 'E2' }));
    expect(a[0]).toEqual(b[0]);
    expect(a[0]!.content).toContain('Pass correct answers.');
    expect(a[0]!.content).toContain('"pass" or "fail"');
    expect(a[0]!.content).toContain('Answer: {"reason":"wrong city","verdict":"fail"}');
    expect(a[1]).toEqual({ role: 'user', content: '<input>\nQ1\n</input>\n<output>\nA1\n</output>' });
    expect(b[1]!.content).toContain('<expected>\nE2\n</expected>');
  });

  it('fills a custom template with any item field', () => {
    const j = judge({ template: 'Q: {{input}}\nA: {{ output }}\nLang: {{lang}} ({{id}})' });
    expect(templateFields(j.template!)).toEqual(['input', 'output', 'lang', 'id']);
    expect(renderMessages(j, item('x', { input: 'hi', output: 'hello', lang: 'en' }))[1]!.content).toBe('Q: hi\nA: hello\nLang: en (x)');
  });

  it('rejects, before any call, an item without a field the template uses', () => {
    const j = judge({ template: '{{input}} / {{lang}}' });
    expect(() => checkTemplateFields(j, [item('ok', { input: 'a', lang: 'en' }), item('bad', { input: 'b' })])).toThrow(ConfigError);
    try {
      checkTemplateFields(j, [item('bad', { input: 'b' })]);
    } catch (e) {
      expect((e as ConfigError).format('/p')).toBe('s.yaml:7:5: item "bad" has no field "lang", which the template of judge "j" uses');
    }
  });

  it('describes ordinal and categorical scales', () => {
    expect(systemPrompt(judge({ scale: ordinal }))).toContain('an integer from 1 to 5');
    expect(systemPrompt(judge({ scale: { kind: 'categorical', labels: ['a', 'b'] } }))).toContain('one of "a", "b"');
  });
});

describe('retry timing', () => {
  const policy = { retries: 4, rateLimitRetries: 12, baseMs: 500, capMs: 20_000, maxRetryAfterMs: 120_000 };
  it('honours retry-after-ms, retry-after seconds and HTTP dates', () => {
    const h = (o: Record<string, string>) => (n: string) => o[n];
    expect(retryAfterFromHeaders(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterFromHeaders(h({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterFromHeaders(h({ 'retry-after': 'Mon, 23 Nov 2026 10:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterFromHeaders(h({}))).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped; a too-long retry-after is not waited for', () => {
    const err = new ProviderCallError('x', true, 500);
    expect(retryDelay(err, 0, policy, () => 1)).toBe(500);
    expect(retryDelay(err, 3, policy, () => 1)).toBe(4000);
    expect(retryDelay(err, 10, policy, () => 1)).toBe(20_000);
    expect(retryDelay(err, 3, policy, () => 0.25)).toBe(1000);
    expect(retryDelay(new ProviderCallError('x', true, 429, 700), 3, policy)).toBe(700);
    expect(retryDelay(new ProviderCallError('x', true, 429, 600_000), 0, policy)).toBeUndefined();
  });
});
