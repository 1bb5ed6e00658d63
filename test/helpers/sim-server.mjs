// A local HTTP server speaking the OpenAI chat-completions and Anthropic Messages wire
// formats, so tests (and bench/) drive the real `openai` and `@anthropic-ai/sdk` clients
// over loopback. Its simulated judge is deterministic and scriptable.
//
// The default script reads directives the test puts in an item's text:
//   [[verdict:pass]] / [[verdict:3]]  answer this verdict (else: "pass")
//   [[malformed]]                     answer text that is not JSON (every attempt)
//   [[malformed-once]]                malformed first, a valid answer after the repair prompt
//   [[429:N]]                         the first N attempts get 429 with retry-after-ms: 50
//   [[500:N]]                         the first N attempts get HTTP 500
//   [[slow:MS]]                       wait MS before answering
//   [[truncated]]                     finish_reason "length" / stop_reason "max_tokens"
//   [[no-structured]]                 400 for any request with a response_format (an older server)
//   [[200-echo]]                      a 200 answer whose reason repeats the credentials sent
//   [[200-foreign-key]]               a 200 answer whose reason holds an sk-… key no variable holds
//   [[401-echo]]                      401 whose message echoes the credentials sent (as real APIs half do)
//   [[logprob:0.73]]                  with logprobs requested, the verdict token's probability (default 0.9)
//   [[flip:N]]                        every Nth attempt of this item answers the opposite binary verdict
//   [[step:N]]                        every Nth attempt of this item answers one ordinal point higher
//   [[tokens:N]]                      report N prompt tokens used (default: prompt characters / 4)
//   [[prompt-cached:N]]               report N of them as served from the provider's prompt cache
// POST /v1/embeddings answers with simEmbedding() of each input.
// Plain JS with JSDoc so both vitest tests and the node benchmark scripts can import it.
import { createServer } from 'node:http';

/**
 * @typedef {{ api: 'openai' | 'anthropic', body: any, prompt: string, attempt: number, headers: import('node:http').IncomingHttpHeaders }} SimRequest
 * @typedef {{ status?: number, headers?: Record<string, string>, delayMs?: number, text?: string,
 *             verdict?: unknown, reason?: string, truncated?: boolean, message?: string }} SimReply
 * @typedef {(req: SimRequest) => SimReply} SimScript
 */

/** @type {SimScript} */
export function directiveScript({ prompt, attempt, body, headers }) {
  // A 200 answer whose reason echoes the credentials sent (a proxy or a model repeating its input).
  if (prompt.includes('[[200-echo]]')) {
    return { verdict: 'pass', reason: `authorized as ${headers.authorization ?? headers['x-api-key']}` };
  }
  // A 200 answer that contains a key-shaped string no variable holds.
  if (prompt.includes('[[200-foreign-key]]')) {
    return { verdict: 'pass', reason: 'found sk-proj-Abc123def456ghi789 in the logs' };
  }
  if (prompt.includes('[[401-echo]]')) {
    return { status: 401, message: `Incorrect API key provided: ${headers.authorization ?? headers['x-api-key']}` };
  }
  if (prompt.includes('[[no-structured]]') && body.response_format) {
    return { status: 400, message: `response_format ${body.response_format.type} is not supported by this server` };
  }
  const num = (name) => {
    const m = new RegExp(`\\[\\[${name}:(\\d+)\\]\\]`).exec(prompt);
    return m ? Number(m[1]) : undefined;
  };
  const delayMs = num('slow') ?? 0;
  const n429 = num('429');
  if (n429 !== undefined && attempt < n429) return { status: 429, headers: { 'retry-after-ms': '50' }, delayMs };
  const n500 = num('500');
  if (n500 !== undefined && attempt < n500) return { status: 500, delayMs };
  // The repair prompt is the last user message; a fresh request is the first attempt.
  if (prompt.includes('[[malformed]]') || (prompt.includes('[[malformed-once]]') && !prompt.includes('could not be read'))) {
    return { text: 'I think this one is fine, probably.', delayMs };
  }
  const v = /\[\[verdict:([^\]]+)\]\]/.exec(prompt);
  let raw = v ? v[1] : 'pass';
  const flip = num('flip');
  if (flip !== undefined && attempt % flip === flip - 1) raw = raw === 'pass' ? 'fail' : 'pass';
  // [[step:k]]: an ordinal verdict one point higher on every k-th request of the same prompt.
  const step = num('step');
  if (step !== undefined && attempt % step === step - 1) raw = String(Number(raw) + 1);
  const verdict = /^-?\d+$/.test(raw) ? Number(raw) : raw;
  return { verdict, reason: `simulated verdict ${raw}`, delayMs, truncated: prompt.includes('[[truncated]]') };
}

/**
 * The simulated embedding of a text (POST /v1/embeddings): a bag of its lowercase words,
 * each hashed into one of 64 dimensions, normalized. Texts sharing words point the same way.
 * @param {string} text
 * @returns {number[]}
 */
export function simEmbedding(text) {
  const v = new Array(64).fill(0);
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
    let h = 2166136261;
    for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619) >>> 0;
    v[h % 64] += 1;
  }
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0)) || 1;
  return v.map((x) => x / norm);
}

/**
 * Start the server on 127.0.0.1 (a free port). It never keeps the process alive.
 * `maxConcurrent` makes it answer 429 (retry-after-ms: 100) to calls beyond that many in
 * flight, as a rate-limited API does.
 * @param {SimScript} [script]
 * `batchPolls`: a batch ends at its Nth retrieval (default 1).
 * @param {{ maxConcurrent?: number, batchPolls?: number }} [options]
 */
export async function startSimServer(script = directiveScript, options = {}) {
  let rejected = 0;
  /** 200 answers written to the socket (an event tests can wait on). */
  let answered = 0;
  let url = '';
  /** @type {{ api: string, prompt: string, status: number, body: any }[]} */
  const calls = [];
  /** @type {{ model: string, input: string[], headers: import('node:http').IncomingHttpHeaders }[]} */
  const embeddingCalls = [];
  const attempts = new Map();
  let inFlight = 0;
  let maxInFlight = 0;

  // Batch APIs: OpenAI (files + batches) and Anthropic (message batches). A batch is
  // answered by the same script, and ends after `batchPolls` retrievals.
  /** @type {Map<string, string>} */
  const files = new Map();
  /** @type {{ id: string, api: 'openai' | 'anthropic', requests: { custom_id: string, body: any }[], polls: number, ended: boolean, output?: string, errors?: string }[]} */
  const batches = [];
  const now = () => Math.floor(Date.now() / 1000);
  const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const answerOf = (api, body) => {
    const prompt = promptOf(api, body);
    const key = firstUserText(api, body);
    const attempt = attempts.get(key) ?? 0;
    attempts.set(key, attempt + 1);
    const reply = script({ api, body, prompt, attempt, headers: {} });
    calls.push({ api, prompt, status: reply.status ?? 200, body, batch: true });
    if ((reply.status ?? 200) !== 200) return { status: reply.status, message: reply.message ?? `simulated ${reply.status}` };
    const text = reply.text ?? JSON.stringify({ reason: reply.reason ?? '', verdict: reply.verdict });
    return { status: 200, body: api === 'openai' ? openaiResponse(body, text, reply) : anthropicResponse(body, text, reply) };
  };
  const finishBatch = (b) => {
    b.ended = true;
    const out = [];
    const errs = [];
    for (const r of b.requests) {
      const a = answerOf(b.api, r.body);
      if (b.api === 'openai') {
        if (a.status === 200) out.push({ id: `resp_${r.custom_id.slice(0, 8)}`, custom_id: r.custom_id, response: { status_code: 200, request_id: 'req', body: a.body }, error: null });
        else errs.push({ id: `resp_${r.custom_id.slice(0, 8)}`, custom_id: r.custom_id, response: { status_code: a.status, request_id: 'req', body: { error: { message: a.message } } }, error: null });
      } else {
        out.push(a.status === 200 ? { custom_id: r.custom_id, result: { type: 'succeeded', message: a.body } } : { custom_id: r.custom_id, result: { type: 'errored', error: { type: 'error', error: { type: 'api_error', message: a.message } } } });
      }
    }
    b.output = out.map((l) => JSON.stringify(l)).join('\n') + (out.length ? '\n' : '');
    b.errors = errs.map((l) => JSON.stringify(l)).join('\n') + (errs.length ? '\n' : '');
    if (b.api === 'openai') {
      files.set(`file-out-${b.id}`, b.output);
      if (errs.length) files.set(`file-err-${b.id}`, b.errors);
    }
  };
  const openaiBatch = (b) => {
    const done = b.ended;
    const failed = done ? b.errors.split('\n').filter(Boolean).length : 0;
    return {
      id: b.id, object: 'batch', endpoint: '/v1/chat/completions', errors: null, input_file_id: `file-in-${b.id}`, completion_window: '24h',
      status: done ? 'completed' : 'in_progress', output_file_id: done ? `file-out-${b.id}` : null, error_file_id: done && failed ? `file-err-${b.id}` : null,
      created_at: now(), request_counts: { total: b.requests.length, completed: done ? b.requests.length - failed : 0, failed }, metadata: b.metadata ?? null,
    };
  };
  const anthropicBatch = (b) => {
    const lines = b.ended ? b.output.split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
    const succeeded = lines.filter((l) => l.result.type === 'succeeded').length;
    return {
      id: b.id, type: 'message_batch', processing_status: b.ended ? 'ended' : 'in_progress',
      request_counts: { processing: b.ended ? 0 : b.requests.length, succeeded, errored: lines.length - succeeded, canceled: 0, expired: 0 },
      ended_at: b.ended ? new Date().toISOString() : null, created_at: new Date().toISOString(), expires_at: new Date(Date.now() + 86400000).toISOString(),
      archived_at: null, cancel_initiated_at: null, results_url: b.ended ? `${url}/v1/messages/batches/${b.id}/results` : null,
    };
  };
  const poll = (b) => {
    b.polls++;
    if (!b.ended && b.polls >= (options.batchPolls ?? 1)) finishBatch(b);
  };
  /** Handles the batch routes; false for any other request. */
  const batchRoute = (req, res, data) => {
    const path = (req.url ?? '').split('?')[0];
    let m;
    if (req.method === 'POST' && path === '/v1/files') {
      const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
      const b = boundary?.[1] ?? boundary?.[2];
      const part = data.split(`--${b}`).find((p) => /name="file"/.test(p)) ?? '';
      const content = part.slice(part.indexOf('\r\n\r\n') + 4).replace(/\r\n$/, '');
      const id = `file-in-pending-${files.size}`;
      files.set(id, content);
      json(res, 200, { id, object: 'file', bytes: content.length, created_at: now(), filename: 'batch.jsonl', purpose: 'batch', status: 'processed' });
      return true;
    }
    if (req.method === 'GET' && (m = /^\/v1\/files\/([^/]+)\/content$/.exec(path))) {
      const content = files.get(m[1]);
      if (content === undefined) json(res, 404, { error: { message: 'no such file' } });
      else res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(content);
      return true;
    }
    if (req.method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse(data);
      const lines = (files.get(body.input_file_id) ?? '').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const b = { id: `batch_${batches.length + 1}`, api: 'openai', requests: lines.map((l) => ({ custom_id: l.custom_id, body: l.body })), polls: 0, ended: false, metadata: body.metadata };
      batches.push(b);
      json(res, 200, openaiBatch(b));
      return true;
    }
    if (req.method === 'GET' && path === '/v1/batches') {
      const data = batches.filter((b) => b.api === 'openai').reverse().map(openaiBatch);
      json(res, 200, { object: 'list', data, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null, has_more: false });
      return true;
    }
    if (req.method === 'GET' && (m = /^\/v1\/batches\/([^/]+)$/.exec(path))) {
      const b = batches.find((x) => x.id === m[1]);
      if (!b) json(res, 404, { error: { message: 'no such batch' } });
      else {
        poll(b);
        json(res, 200, openaiBatch(b));
      }
      return true;
    }
    if (req.method === 'POST' && path === '/v1/messages/batches') {
      const body = JSON.parse(data);
      const b = { id: `msgbatch_${batches.length + 1}`, api: 'anthropic', requests: body.requests.map((r) => ({ custom_id: r.custom_id, body: r.params })), polls: 0, ended: false };
      batches.push(b);
      json(res, 200, anthropicBatch(b));
      return true;
    }
    if (req.method === 'GET' && (m = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path))) {
      const b = batches.find((x) => x.id === m[1]);
      res.writeHead(200, { 'content-type': 'application/binary' }).end(b?.output ?? '');
      return true;
    }
    if (req.method === 'GET' && (m = /^\/v1\/messages\/batches\/([^/]+)$/.exec(path))) {
      const b = batches.find((x) => x.id === m[1]);
      if (!b) json(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'no such batch' } });
      else {
        poll(b);
        json(res, 200, anthropicBatch(b));
      }
      return true;
    }
    return false;
  };

  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      if (batchRoute(req, res, data)) return;
      if (req.method === 'POST' && req.url?.endsWith('/embeddings')) {
        const body = JSON.parse(data);
        const inputs = Array.isArray(body.input) ? body.input : [body.input];
        embeddingCalls.push({ model: body.model, input: inputs, headers: req.headers });
        const out = { object: 'list', model: body.model, data: inputs.map((t, index) => ({ object: 'embedding', index, embedding: simEmbedding(String(t)) })), usage: { prompt_tokens: inputs.join(' ').length, total_tokens: inputs.join(' ').length } };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(out));
        return;
      }
      // Azure OpenAI puts the deployment in the path and the API version in the query.
      const pathname = (req.url ?? '').split('?')[0];
      // Anthropic on Bedrock (/model/<id>/invoke) and on Vertex (…/models/<id>:rawPredict) speak the Messages format.
      const api = pathname.endsWith('/chat/completions') ? 'openai' : pathname.endsWith('/messages') || pathname.endsWith('/invoke') || pathname.endsWith(':rawPredict') ? 'anthropic' : null;
      if (req.method !== 'POST' || !api) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      if (options.maxConcurrent !== undefined && inFlight >= options.maxConcurrent) {
        rejected++;
        const err = api === 'openai' ? { error: { message: 'rate limited', type: 'rate_limit' } } : { type: 'error', error: { type: 'rate_limit_error', message: 'rate limited' } };
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '100' }).end(JSON.stringify(err));
        return;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        const body = JSON.parse(data);
        const prompt = promptOf(api, body);
        // Attempts are counted per conversation start, so "fail N times then succeed" works per item.
        const key = firstUserText(api, body);
        const attempt = attempts.get(key) ?? 0;
        attempts.set(key, attempt + 1);
        const reply = script({ api, body, prompt, attempt, headers: req.headers, url: req.url });
        const status = reply.status ?? 200;
        // Recorded on arrival, so a slow answer still in flight lands before a reset().
        calls.push({ api, prompt, status, body, url: req.url, headers: req.headers });
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (status !== 200) {
          const err = api === 'openai'
            ? { error: { message: reply.message ?? `simulated ${status}`, type: 'sim_error' } }
            : { type: 'error', error: { type: status === 429 ? 'rate_limit_error' : 'api_error', message: reply.message ?? `simulated ${status}` } };
          res.writeHead(status, { 'content-type': 'application/json', ...(reply.headers ?? {}) }).end(JSON.stringify(err));
          return;
        }
        const text = reply.text ?? JSON.stringify({ reason: reply.reason ?? '', verdict: reply.verdict });
        const out = api === 'openai' ? openaiResponse(body, text, reply) : anthropicResponse(body, text, reply);
        res.writeHead(200, { 'content-type': 'application/json', ...(reply.headers ?? {}) }).end(JSON.stringify(out), () => answered++);
      } catch (e) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: String(e) } }));
      } finally {
        inFlight--;
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  url = `http://127.0.0.1:${port}`;
  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    calls,
    embeddingCalls,
    /** Batches created (OpenAI and Anthropic), in order. */
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
    /** 200 answers sent so far. */
    get answered() {
      return answered;
    },
    /** Calls refused with 429 for exceeding maxConcurrent. */
    get rejected() {
      return rejected;
    },
    reset() {
      calls.length = 0;
      embeddingCalls.length = 0;
      batches.length = 0;
      attempts.clear();
      maxInFlight = 0;
      rejected = 0;
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined)).closeAllConnections()),
  };
}

function promptOf(api, body) {
  const parts = (body.messages ?? []).map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
  if (api === 'anthropic' && body.system) parts.unshift(typeof body.system === 'string' ? body.system : body.system.map((b) => b.text).join('\n'));
  return parts.join('\n');
}

function firstUserText(api, body) {
  const first = (body.messages ?? []).find((m) => m.role === 'user');
  return `${api}:${body.model}:${typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content)}`;
}

function openaiResponse(body, text, reply) {
  return {
    id: 'chatcmpl-sim',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: body.logprobs ? logprobsFor(text, body) : null, finish_reason: reply.truncated ? 'length' : 'stop' }],
    usage: { prompt_tokens: promptTokens(body), completion_tokens: Math.ceil(text.length / 4), total_tokens: 0, ...promptCached(body, 'openai') },
  };
}

function promptTokens(body) {
  const text = JSON.stringify(body.messages);
  const scripted = /\[\[tokens:(\d+)\]\]/.exec(text);
  return scripted ? Number(scripted[1]) : Math.ceil(text.length / 4);
}

function promptCached(body, api) {
  const m = /\[\[prompt-cached:(\d+)\]\]/.exec(JSON.stringify(body.messages));
  if (!m) return {};
  return api === 'openai' ? { prompt_tokens_details: { cached_tokens: Number(m[1]) } } : { cache_read_input_tokens: Number(m[1]) };
}

/** Three tokens: up to the verdict value, the value (with the scripted probability), the rest. */
function logprobsFor(text, body) {
  const prompt = (body.messages ?? []).map((m) => m.content).join('\n');
  const p = Number(/\[\[logprob:([0-9.]+)\]\]/.exec(prompt)?.[1] ?? 0.9);
  const m = /"verdict"\s*:\s*"?/.exec(text);
  const at = m ? m.index + m[0].length : 0;
  const value = /^[^",}]+/.exec(text.slice(at))?.[0] ?? '';
  const tokens = [text.slice(0, at), value, text.slice(at + value.length)].filter((t) => t.length > 0);
  return { content: tokens.map((token) => ({ token, logprob: token === value ? Math.log(p) : 0, bytes: null, top_logprobs: [] })), refusal: null };
}

function anthropicResponse(body, text, reply) {
  let input;
  try {
    input = JSON.parse(text);
  } catch {
    input = undefined;
  }
  const content = input && body.tools?.length ? [{ type: 'tool_use', id: 'toolu_sim', name: body.tools[0].name, input }] : [{ type: 'text', text }];
  return {
    id: 'msg_sim',
    type: 'message',
    role: 'assistant',
    model: body.model,
    content,
    stop_reason: reply.truncated ? 'max_tokens' : input ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: promptTokens(body), output_tokens: Math.ceil(text.length / 4), ...promptCached(body, 'anthropic') },
  };
}
