// The providers' fetch (node:http with keep-alive) against local servers: what the SDKs read
// from a fetch must come back as the global fetch would give it.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { answerHeaders, httpFetch } from '../src/providers/http-fetch.js';
import { reuseRequestHeaders } from '../src/providers/reused-headers.js';
import { createProvider } from '../src/providers/index.js';
import type { ResolvedJudge } from '../src/types.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
const connections: number[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => handler(req, body, res));
  });
  server.on('connection', () => connections.push(Date.now()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const echo: Handler = (req, body, res) => {
  res.writeHead(201, 'Made', { 'content-type': 'application/json', 'x-request-id': 'req_1', 'x-ratelimit-remaining-requests': '7' });
  res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
};

describe('httpFetch', () => {
  it('sends method, headers and body, and answers as a Response does', async () => {
    handler = echo;
    const res = await httpFetch(`${base}/v1/x?q=1`, { method: 'POST', headers: new Headers({ Authorization: 'Bearer k', 'Content-Type': 'application/json' }), body: '{"a":"é"}' });
    expect(res.ok).toBe(true);
    expect(res.status).toBe(201);
    expect(res.statusText).toBe('Made');
    expect(res.headers.get('x-request-id')).toBe('req_1');
    expect(res.headers.get('X-RateLimit-Remaining-Requests')).toBe('7');
    const got = (await res.json()) as { method: string; path: string; headers: Record<string, string>; body: string };
    expect(got).toMatchObject({ method: 'POST', path: '/v1/x?q=1', body: '{"a":"é"}' });
    expect(got.headers).toMatchObject({ authorization: 'Bearer k', 'content-type': 'application/json', 'content-length': String(Buffer.byteLength('{"a":"é"}')) });
    // Plain-object and array headers too (the SDKs pass Headers, but fetch takes all three).
    const plain = (await (await httpFetch(`${base}/`, { headers: { 'X-One': '1' } })).json()) as { method: string; headers: Record<string, string> };
    expect(plain.method).toBe('GET');
    expect(plain.headers['x-one']).toBe('1');
    const pairs = (await (await httpFetch(`${base}/`, { headers: [['X-Two', '2']] })).json()) as { headers: Record<string, string> };
    expect(pairs.headers['x-two']).toBe('2');
  });

  it('reports an error status without throwing, with its body readable as text', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429, { 'retry-after': '3', 'content-type': 'application/json' });
      res.end('{"error":{"message":"slow down"}}');
    };
    const res = await httpFetch(`${base}/`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(false);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(await res.text()).toBe('{"error":{"message":"slow down"}}');
    expect(res.bodyUsed).toBe(true);
  });

  it('undoes gzip, deflate and br, as the global fetch does', async () => {
    const text = JSON.stringify({ verdict: 'pass', reason: 'x'.repeat(500) });
    for (const [encoding, encode] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      handler = (_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': encoding });
        res.end(encode(Buffer.from(text)));
      };
      const res = await httpFetch(`${base}/`, { method: 'POST', body: '{}' });
      expect(await res.text(), encoding).toBe(text);
      expect(res.headers.get('content-encoding'), encoding).toBeNull();
    }
  });

  it('keeps the connection alive across calls', async () => {
    handler = echo;
    await httpFetch(`${base}/`, { method: 'POST', body: '{}' });
    const before = connections.length;
    for (let i = 0; i < 5; i++) await (await httpFetch(`${base}/`, { method: 'POST', body: '{}' })).text();
    expect(connections.length).toBe(before);
  });

  it('rejects with an AbortError when aborted before or during the call', async () => {
    handler = (_req, _body, res) => setTimeout(() => res.end('{}'), 2_000).unref();
    const early = new AbortController();
    early.abort();
    await expect(httpFetch(`${base}/`, { signal: early.signal })).rejects.toMatchObject({ name: 'AbortError' });
    const late = new AbortController();
    setTimeout(() => late.abort(), 30);
    const started = Date.now();
    await expect(httpFetch(`${base}/`, { method: 'POST', body: '{}', signal: late.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('fails as the global fetch does when nothing listens: a TypeError with the cause', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = (await httpFetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toBe('fetch failed');
    expect(err.cause.code).toBe('ECONNREFUSED');
  });

  it('follows a redirect as the global fetch does', async () => {
    handler = (req, body, res) => {
      if (req.url === '/old') {
        res.writeHead(307, { location: '/new' });
        res.end();
        return;
      }
      echo(req, body, res);
    };
    const res = await httpFetch(`${base}/old`, { method: 'POST', body: '{"keep":1}' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ method: 'POST', path: '/new', body: '{"keep":1}' });
  });

  it('hands a body that is not a string to the global fetch', async () => {
    handler = echo;
    const res = await httpFetch(`${base}/up`, { method: 'POST', body: new Uint8Array([104, 105]) });
    const got = (await res.json()) as { body: string; headers: Record<string, string> };
    expect(got.body).toBe('hi');
    // Only the global fetch sends Fetch metadata headers.
    expect(got.headers['sec-fetch-mode']).toBe('cors');
  });

  it('is what the openai client reads its answer and its errors from', async () => {
    handler = (req, _body, res) => {
      if (req.headers['x-fail']) {
        res.writeHead(400, { 'content-type': 'application/json', 'x-request-id': 'req_bad' });
        res.end('{"error":{"message":"no such model"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_ok' });
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hi' } }] }));
    };
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, maxRetries: 0, fetch: httpFetch });
    const { data, response } = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'x' }] }).withResponse();
    expect(data.choices[0]!.message.content).toBe('hi');
    expect(response.headers.get('x-request-id')).toBe('req_ok');
    const err = (await client.chat.completions.create({ model: 'm', messages: [] }, { headers: { 'x-fail': '1' } }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toContain('no such model');
    expect(err.requestID).toBe('req_bad');
  });
});

describe('the answer headers', () => {
  it('read as a Headers reads the same raw list: any case, repeats joined, in name order', () => {
    const raw = ['X-Request-Id', 'req_1', 'Content-Type', 'application/json', 'x-ratelimit-remaining-requests', ' 7 ', 'Vary', 'Origin', 'vary', 'Accept', 'Set-Cookie', 'a=1; Path=/', 'set-cookie', 'b=2', 'Content-Length', '12'];
    const ours = answerHeaders(raw);
    const theirs = new Headers();
    for (let i = 0; i < raw.length; i += 2) if (!/^content-length$/i.test(raw[i]!)) theirs.append(raw[i]!, raw[i + 1]!);
    expect(ours.getSetCookie()).toEqual(theirs.getSetCookie());
    for (const name of ['x-request-id', 'X-REQUEST-ID', 'content-type', 'x-ratelimit-remaining-requests', 'vary', 'set-cookie', 'retry-after']) {
      expect(ours.get(name), name).toBe(theirs.get(name));
      expect(ours.has(name), name).toBe(theirs.has(name));
    }
    expect([...ours.entries()]).toEqual([...theirs.entries()]);
    expect([...ours]).toEqual([...theirs]);
    expect([...ours.keys()]).toEqual([...theirs.keys()]);
    expect([...ours.values()]).toEqual([...theirs.values()]);
    const seen: string[] = [];
    ours.forEach((value, name) => seen.push(`${name}=${value}`));
    expect(seen).toEqual([...theirs].map(([n, v]) => `${n}=${v}`));
    // The body is handed over decoded: its length no longer describes it.
    expect(ours.get('content-length')).toBeNull();
    // Read-only, as a fetch Response's headers are; and a Headers to whoever checks.
    expect(() => ours.set('x-request-id', 'forged')).toThrow(TypeError);
    expect(ours.get('x-request-id')).toBe('req_1');
    expect(ours).toBeInstanceOf(Headers);
  });

  it("are listed in the SDK's debug log, with the request's key still masked", async () => {
    handler = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_log', 'x-ratelimit-remaining-requests': '41' });
      res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'hi' } }] }));
    };
    const logged: unknown[][] = [];
    const logger = { debug: (...a: unknown[]) => logged.push(a), info: () => {}, warn: () => {}, error: () => {} };
    const client = new OpenAI({ apiKey: 'sk-logged-key', baseURL: `${base}/v1`, maxRetries: 0, fetch: httpFetch, logger, logLevel: 'debug' });
    reuseRequestHeaders(client);
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: `x${i}` }] });
    const details = (what: string) => logged.filter(([m]) => String(m).endsWith(what)).map(([, d]) => d as { headers: Record<string, string> });
    expect(details('response start')).toHaveLength(2);
    for (const d of details('response start')) expect(d.headers).toMatchObject({ 'x-request-id': 'req_log', 'x-ratelimit-remaining-requests': '41' });
    // The second request's headers are the reused ones: listed too, the key masked.
    for (const d of details('sending request')) expect(d.headers).toMatchObject({ authorization: '***', 'content-type': 'application/json' });
    expect(JSON.stringify(logged)).not.toContain('sk-logged-key');
  });

  it('carry a 429\'s retry-after into the error the provider raises', async () => {
    handler = (_req, _body, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '1500' });
      res.end('{"error":{"message":"slow down"}}');
    };
    const judge: ResolvedJudge = {
      id: 'j', provider: 'openai', model: 'm', baseURL: `${base}/v1`, temperature: 0, rubric: 'r', examples: [],
      scale: { kind: 'binary' }, responseFormat: 'json_schema', samples: 1, limits: {}, file: '/virtual/judge.yaml',
    };
    const p = await createProvider({ judge, env: { OPENAI_API_KEY: 'sk-test' }, timeoutMs: 5_000 });
    const err = await p.complete({ item: { id: 'i', fields: {}, labels: {}, source: { file: 'x', line: 1, column: 1 } }, messages: [{ role: 'user', content: 'x' }], signal: new AbortController().signal }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, retryable: true, retryAfterMs: 1500 });
  });
});

describe('the OpenAI client reusing its request headers', () => {
  const completion = (content: string) => ({ id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }] });
  const wire: { headers: Record<string, unknown>; body: string; path: string | undefined }[] = [];
  const capture: Handler = (req, body, res) => {
    wire.push({ headers: req.headers, body, path: req.url });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(completion('ok')));
  };
  const client = (reuse: boolean) => {
    const c = new OpenAI({ apiKey: 'sk-test', baseURL: `${base}/v1`, maxRetries: 0, timeout: 7_000, fetch: httpFetch });
    if (reuse) reuseRequestHeaders(c);
    return c;
  };
  const params = (i: number) => ({ model: 'm', temperature: 0, messages: [{ role: 'user' as const, content: `item ${i} é` }] });

  it('sends what the SDK itself sends, header for header and byte for byte, and has it build that once', async () => {
    handler = capture;
    wire.length = 0;
    const build = vi.spyOn(OpenAI.prototype, 'buildRequest');
    try {
      const plain = client(false);
      const reusing = client(true);
      for (let i = 0; i < 3; i++) {
        await plain.chat.completions.create(params(i), { signal: new AbortController().signal });
        await reusing.chat.completions.create(params(i), { signal: new AbortController().signal });
      }
      // Three calls of the plain client, one of the reusing client: the SDK built four requests.
      expect(build).toHaveBeenCalledTimes(4);
    } finally {
      build.mockRestore();
    }
    expect(wire).toHaveLength(6);
    for (let i = 0; i < 3; i++) {
      const [sdk, reused] = [wire[2 * i]!, wire[2 * i + 1]!];
      expect(reused.path).toBe(sdk.path);
      expect(reused.body).toBe(sdk.body);
      expect(reused.body).toBe(JSON.stringify(params(i)));
      expect(reused.headers).toEqual(sdk.headers);
    }
    expect(wire[1]!.headers).toMatchObject({ authorization: 'Bearer sk-test', 'content-type': 'application/json', 'x-stainless-retry-count': '0' });
  });

  it('has the SDK build a call with anything more in it: its own headers, another timeout', async () => {
    handler = capture;
    wire.length = 0;
    const reusing = client(true);
    await reusing.chat.completions.create(params(0));
    await reusing.chat.completions.create(params(1), { headers: { 'x-extra': 'yes' } });
    await reusing.chat.completions.create(params(2), { timeout: 3_000 });
    await reusing.chat.completions.create(params(3));
    expect(wire.map((w) => w.headers['x-extra'])).toEqual([undefined, 'yes', undefined, undefined]);
    expect(wire.map((w) => w.headers['x-stainless-timeout'])).toEqual([undefined, undefined, '3', undefined]);
    expect(wire.map((w) => w.body)).toEqual([0, 1, 2, 3].map((i) => JSON.stringify(params(i))));
  });
});

describe('the providers', () => {
  it.each(['openai', 'anthropic'] as const)('%s calls go through it, not the global fetch (which would add sec-fetch-mode)', async (provider) => {
    const seen: Record<string, string | string[] | undefined>[] = [];
    handler = (req, _body, res) => {
      seen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      const answer = { reason: 'ok', verdict: 'pass' };
      res.end(
        JSON.stringify(
          provider === 'openai'
            ? { id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(answer) } }] }
            : { id: 'm', type: 'message', role: 'assistant', model: 'm', stop_reason: 'tool_use', content: [{ type: 'tool_use', id: 't', name: 'record_verdict', input: answer }], usage: { input_tokens: 1, output_tokens: 1 } },
        ),
      );
    };
    const judge: ResolvedJudge = {
      id: 'j', provider, model: 'm', baseURL: provider === 'openai' ? `${base}/v1` : base, temperature: 0, rubric: 'r', examples: [],
      scale: { kind: 'binary' }, responseFormat: 'json_schema', samples: 1, limits: {}, file: '/virtual/judge.yaml',
    };
    const p = await createProvider({ judge, env: { ANTHROPIC_API_KEY: 'sk-ant-test' }, timeoutMs: 5_000 });
    const answer = await p.complete({ item: { id: 'i', fields: {}, labels: {}, source: { file: 'x', line: 1, column: 1 } }, messages: [{ role: 'user', content: 'x' }], signal: new AbortController().signal });
    expect(answer.text).toContain('pass');
    expect(seen).toHaveLength(1);
    expect(seen[0]!['sec-fetch-mode']).toBeUndefined();
  });
});

describe('httpFetch over https', () => {
  // A self-signed certificate for 127.0.0.1 (test/fixtures/tls/README.md): the child process
  // trusts it through NODE_EXTRA_CA_CERTS, as a user behind a corporate CA would.
  const tls = (name: string) => fileURLToPath(new URL(`./fixtures/tls/${name}`, import.meta.url));
  it('calls an https endpoint with the CAs node trusts', async () => {
    const https = createHttpsServer({ key: readFileSync(tls('localhost.key')), cert: readFileSync(tls('localhost.crt')) }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"secure":true}');
    });
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    try {
      const url = `https://127.0.0.1:${(https.address() as AddressInfo).port}/`;
      const module = new URL('../dist/providers/http-fetch.js', import.meta.url).href;
      const script = `const { httpFetch } = await import(${JSON.stringify(module)}); const r = await httpFetch(process.argv[1], { method: 'POST', body: '{}' }); console.log(r.status, await r.text());`;
      const run = (env: NodeJS.ProcessEnv) => promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, url], { env: { PATH: process.env.PATH, ...env } });
      const trusted = await run({ NODE_EXTRA_CA_CERTS: tls('localhost.crt') });
      expect(trusted.stdout.trim()).toBe('200 {"secure":true}');
      // And without that trust the certificate is refused, as it should be.
      await expect(run({})).rejects.toMatchObject({ stderr: expect.stringMatching(/self[- ]signed certificate/i) });
    } finally {
      https.close();
    }
  });
});
