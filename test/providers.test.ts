// The real openai and @anthropic-ai/sdk clients against the local simulated server.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callJudge, planTask, type CallOptions } from '../src/judge/evaluate-item.js';
import { createProvider } from '../src/providers/index.js';
import type { Item, ResolvedJudge, Scale } from '../src/types.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const FAST_RETRY = { retries: 3, rateLimitRetries: 3, baseMs: 5, capMs: 20, maxRetryAfterMs: 5_000 };

function judge(provider: 'openai' | 'anthropic', scale: Scale = { kind: 'binary' }): ResolvedJudge {
  return {
    id: `sim-${provider}`,
    provider,
    model: 'sim-model',
    baseURL: provider === 'openai' ? sim.openaiBaseURL : sim.anthropicBaseURL,
    temperature: 0,
    rubric: 'Pass correct answers.',
    examples: [],
    scale,
    responseFormat: 'json_schema',
    samples: 1,
    limits: {},
    file: '/virtual/judge.yaml',
  };
}

function item(id: string, output: string): Item {
  return { id, fields: { input: 'q', output }, labels: { human: 'pass' }, source: { file: '/virtual/suite.yaml', line: 1, column: 1 } };
}

async function judgeOne(provider: 'openai' | 'anthropic', output: string, opts: Partial<CallOptions> = {}, scale?: Scale) {
  const j = judge(provider, scale);
  const p = await createProvider({ judge: j, env: provider === 'anthropic' ? { ANTHROPIC_API_KEY: 'sk-ant-test-key-123456' } : {}, timeoutMs: 10_000 });
  let calls = 0;
  const verdict = await callJudge(planTask(j, p, item('i1', output)), {
    retry: FAST_RETRY,
    timeoutMs: 5_000,
    signal: new AbortController().signal,
    onCall: () => calls++,
    ...opts,
  });
  return { verdict, calls };
}

describe.each(['openai', 'anthropic'] as const)('%s provider', (provider) => {
  it('returns the verdict and reason, with usage', async () => {
    const { verdict, calls } = await judgeOne(provider, 'answer [[verdict:fail]]');
    expect(verdict).toMatchObject({ status: 'ok', label: 'fail', reason: 'simulated verdict fail', cached: false });
    expect(verdict.usage!.inputTokens).toBeGreaterThan(0);
    expect(calls).toBe(1);
    const body = sim.calls[0]!.body;
    if (provider === 'openai') {
      expect(body.response_format.type).toBe('json_schema');
      expect(body.temperature).toBe(0);
    } else {
      expect(body.tool_choice).toEqual({ type: 'tool', name: 'record_verdict' });
      expect(body.system[0].cache_control).toEqual({ type: 'ephemeral' });
    }
  });

  it('reports the input tokens the provider served from its prompt cache', async () => {
    const { verdict } = await judgeOne(provider, 'x [[verdict:pass]] [[prompt-cached:50]]');
    expect(verdict.usage!.cachedInputTokens).toBe(50);
    expect(verdict.usage!.inputTokens).toBeGreaterThan(50);
  });

  it('reads an ordinal verdict onto the scale', async () => {
    const { verdict } = await judgeOne(provider, 'x [[verdict:4]]', {}, { kind: 'ordinal', min: 1, max: 5 });
    expect(verdict.label).toBe(4);
  });

  it('a verdict off the scale is unparseable, never pass or fail', async () => {
    const { verdict, calls } = await judgeOne(provider, 'x [[verdict:9]]', {}, { kind: 'ordinal', min: 1, max: 5 });
    expect(verdict.status).toBe('unparseable');
    expect(verdict.label).toBeNull();
    expect(calls).toBe(2); // one repair attempt
  });

  it('repairs a malformed answer once', async () => {
    const { verdict, calls } = await judgeOne(provider, 'x [[malformed-once]] [[verdict:fail]]');
    expect(verdict).toMatchObject({ status: 'ok', label: 'fail' });
    expect(calls).toBe(2);
    expect(sim.calls[1]!.prompt).toContain('could not be read');
  });

  it('counts an answer that stays malformed as unparseable', async () => {
    const { verdict, calls } = await judgeOne(provider, 'x [[malformed]]');
    expect(verdict.status).toBe('unparseable');
    expect(verdict.error).toMatch(/no JSON object/);
    expect(verdict.raw).toContain('probably');
    expect(calls).toBe(2);
  });

  it('retries a 429 after the server-given retry-after', async () => {
    const started = performance.now();
    const waits: number[] = [];
    const { verdict, calls } = await judgeOne(provider, 'x [[429:2]] [[verdict:pass]]', { onRetry: (_t, _e, ms) => waits.push(ms) });
    expect(verdict).toMatchObject({ status: 'ok', label: 'pass' });
    expect(calls).toBe(3);
    expect(waits).toEqual([50, 50]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('retries a 500, and gives up with an error naming judge and item', async () => {
    const ok = await judgeOne(provider, 'x [[500:1]] [[verdict:pass]]');
    expect(ok.verdict.status).toBe('ok');
    expect(ok.calls).toBe(2);
    const bad = await judgeOne(provider, 'x [[500:99]]');
    expect(bad.verdict.status).toBe('error');
    expect(bad.verdict.error).toMatch(new RegExp(`judge "sim-${provider}", item "i1": .*500`));
    expect(bad.calls).toBe(1 + FAST_RETRY.retries);
  });

  it("names the network's reason when the endpoint cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const j = { ...judge(provider), baseURL: provider === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}` };
    const p = await createProvider({ judge: j, env: { ANTHROPIC_API_KEY: 'sk-ant-test-key-123456' }, timeoutMs: 5_000 });
    const v = await callJudge(planTask(j, p, item('i1', 'x')), { retry: { ...FAST_RETRY, retries: 0 }, timeoutMs: 5_000, signal: new AbortController().signal, onCall: () => {} });
    expect(v.status).toBe('error');
    expect(v.error).toContain(`${provider}: cannot reach http://127.0.0.1:${port}`);
    expect(v.error).toMatch(/\(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/);
  });

  it('times out a slow answer and retries it', async () => {
    const { verdict, calls } = await judgeOne(provider, 'x [[slow:400]]', { timeoutMs: 100, retry: { ...FAST_RETRY, retries: 1 } });
    expect(verdict.status).toBe('error');
    expect(verdict.error).toMatch(/no answer within/);
    expect(calls).toBe(2);
  });

  it('stops at once when the run is cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 50);
    await expect(judgeOne(provider, 'x [[slow:2000]]', { signal: controller.signal })).rejects.toThrow();
  });
});

describe('openai structured output', () => {
  it('falls back to plain-text JSON once when the server rejects response_format', async () => {
    const j = judge('openai');
    const warnings: string[] = [];
    const p = await createProvider({ judge: j, env: {}, timeoutMs: 10_000, warn: (m) => warnings.push(m) });
    const opts = { retry: FAST_RETRY, timeoutMs: 5_000, signal: new AbortController().signal, onCall: () => {} };
    const first = await callJudge(planTask(j, p, item('a', 'x [[no-structured]] [[verdict:fail]]')), opts);
    const second = await callJudge(planTask(j, p, item('b', 'y [[no-structured]] [[verdict:pass]]')), opts);
    expect([first.label, second.label]).toEqual(['fail', 'pass']);
    expect(sim.calls.map((c) => [c.status, c.body.response_format?.type ?? 'none'])).toEqual([
      [400, 'json_schema'],
      [200, 'none'],
      [200, 'none'],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/rejected response_format/);
  });
});

describe('secrets', () => {
  it.each(['openai', 'anthropic'] as const)('scrubs a key that %s echoes back in an error', async (provider) => {
    const key = provider === 'openai' ? 'sk-proj-abcdefghijklmnop123456' : 'sk-ant-test-key-123456';
    const j = judge(provider);
    const env = provider === 'openai' ? { OPENAI_API_KEY: key } : { ANTHROPIC_API_KEY: key };
    const p = await createProvider({ judge: j, env, timeoutMs: 10_000 });
    const v = await callJudge(planTask(j, p, item('i', '[[401-echo]]')), { retry: FAST_RETRY, timeoutMs: 5_000, signal: new AbortController().signal, onCall: () => {}, env });
    expect(v.status).toBe('error');
    expect(v.error).toMatch(/HTTP 401: .*Incorrect API key provided: .*\*\*\*/);
    expect(v.error).not.toContain(key);
    expect(sim.calls).toHaveLength(1); // a 401 is not retried
  });

  it('never sends or stores the key anywhere but the auth header', async () => {
    const { verdict } = await judgeOne('anthropic', 'x [[verdict:pass]]');
    expect(JSON.stringify(verdict)).not.toContain('sk-ant-test-key-123456');
    expect(JSON.stringify(sim.calls[0]!.body)).not.toContain('sk-ant-test-key-123456');
  });
});
