// The `fetch` the judge providers hand to the openai and @anthropic-ai/sdk clients: node:http(s)
// with keep-alive instead of Node's built-in fetch. The SDKs accept any fetch; Node's (undici
// behind the WHATWG streams and Request/Response machinery) costs ≈1 ms of CPU per call,
// which at 64 calls in flight is what keeps the provider waiting (bench/runner.mjs). A judge
// call is one small JSON request and one small JSON answer, read whole: that needs none of it.
// Anything else (a streamed or multipart body, another scheme, a redirect) goes to the global fetch.
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { urlToHttpOptions } from 'node:url';

// node:https (TLS) and node:zlib are loaded when first needed: a local http endpoint (Ollama,
// vLLM, the benchmarks' server) needs neither, and each costs milliseconds before the first call.
const require = createRequire(import.meta.url);
const https = () => require('node:https') as typeof import('node:https');
const zlib = () => require('node:zlib') as typeof import('node:zlib');

// One pool per process and scheme, as the global fetch has, with the options of node's own
// global agent: idle sockets close after 5 s (sooner when the server's keep-alive header says
// so) and are unref'd meanwhile, so they never keep a finished run alive.
const pool = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;
const httpAgent = new http.Agent(pool);
let httpsAgent: import('node:https').Agent | undefined;

export const httpFetch: typeof fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : undefined;
  const body = init?.body;
  const scheme = url?.startsWith('http://') ? 'http' : url?.startsWith('https://') ? 'https' : undefined;
  if (!url || !scheme || (body !== undefined && body !== null && typeof body !== 'string')) return fetch(input, init);
  return send(url, scheme, init ?? {}, body ?? undefined);
};

function send(url: string, scheme: 'http' | 'https', init: RequestInit, body: string | undefined): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const headers = plainHeaders(init.headers);
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const options = { ...target(url), method: init.method ?? 'GET', headers };
    const req = scheme === 'http' ? http.request({ ...options, agent: httpAgent }) : https().request({ ...options, agent: (httpsAgent ??= new (https().Agent)(pool)) });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    req.on('error', (err) => {
      done();
      // As the global fetch does: a network failure is a TypeError with the cause attached.
      reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }));
    });
    req.on('response', (res) => {
      // A redirect (a proxy's, say) is rare: the global fetch follows it as the spec says.
      if (res.statusCode !== undefined && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location) {
        res.resume();
        done();
        resolve(fetch(url, init));
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (err) => {
        done();
        reject(err.name === 'AbortError' ? err : new TypeError('fetch failed', { cause: err }));
      });
      res.on('end', () => {
        done();
        try {
          resolve(answer(url, res, decode(Buffer.concat(chunks), res.headers['content-encoding'])));
        } catch (err) {
          reject(new TypeError('fetch failed', { cause: err }));
        }
      });
    });
    req.end(body);
  });
}

/**
 * A URL as request options, parsed once: a judge calls the same URL all run, and node:http
 * would parse it again for every call. Node's own conversion, so the two cannot differ.
 */
const targets = new Map<string, http.RequestOptions>();
function target(url: string): http.RequestOptions {
  let options = targets.get(url);
  if (!options) {
    // A few URLs per run; the bound only keeps an odd caller (a URL per call) from growing it.
    if (targets.size >= 64) targets.clear();
    options = urlToHttpOptions(new URL(url));
    targets.set(url, options);
  }
  return options;
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (headers instanceof Headers) headers.forEach((value, name) => (out[name] = value));
  else if (Array.isArray(headers)) for (const [name, value] of headers as [string, string][]) out[name.toLowerCase()] = value;
  else for (const [name, value] of Object.entries(headers as Record<string, string>)) out[name.toLowerCase()] = value;
  return out;
}

/** The global fetch undoes gzip, deflate and br: so must this one (a proxy may compress). */
function decode(bytes: Buffer, encoding: string | undefined): Buffer {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib().gunzipSync(bytes);
    case 'deflate':
      return zlib().inflateSync(bytes);
    case 'br':
      return zlib().brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

function answer(url: string, res: http.IncomingMessage, bytes: Buffer): Response {
  return new BufferedResponse(url, res.statusCode ?? 0, res.statusMessage ?? '', answerHeaders(res.rawHeaders), bytes) as unknown as Response;
}

/**
 * The answer's headers, read-only: a Headers to whoever checks (the SDKs' debug logs list
 * them when they meet one), over a plain map. A WHATWG Headers checks and sorts every name and
 * value as it is added: for the fifteen or so headers of each real API answer, per call, for
 * the two or three an SDK reads. The class is made at the first answer: `Headers` loads undici,
 * which a run that calls nothing never needs.
 */
export function answerHeaders(raw: readonly string[]): Headers {
  AnswerHeaders ??= answerHeadersClass();
  return new AnswerHeaders(raw);
}

let AnswerHeaders: (new (raw: readonly string[]) => Headers) | undefined;

function answerHeadersClass(): new (raw: readonly string[]) => Headers {
  // Typed apart from Headers: the DOM typings declare its methods as properties, which a
  // subclass cannot override as methods.
  const Base = Headers as unknown as new () => object;
  const cls = class AnswerHeaders extends Base {
    readonly #map = new Map<string, string>();
    /** Each Set-Cookie on its own, as Headers keeps them (they cannot be comma-joined safely). */
    readonly #cookies: string[] = [];
    #sorted: [string, string][] | undefined;

    constructor(raw: readonly string[]) {
      super();
      for (let i = 0; i < raw.length; i += 2) {
        const name = raw[i]!.toLowerCase();
        // The body is already decoded: its encoding and length no longer describe it.
        if (name === 'content-encoding' || name === 'content-length') continue;
        const value = raw[i + 1]!.trim();
        if (name === 'set-cookie') this.#cookies.push(value);
        const before = this.#map.get(name);
        // As Headers does: repeated headers read as one, comma-joined.
        this.#map.set(name, before === undefined ? value : `${before}, ${value}`);
      }
    }

    get(name: string): string | null {
      return this.#map.get(name.toLowerCase()) ?? null;
    }

    has(name: string): boolean {
      return this.#map.has(name.toLowerCase());
    }

    getSetCookie(): string[] {
      return [...this.#cookies];
    }

    /** In name order, each Set-Cookie apart, as Headers iterates (sorted once: an SDK lists them twice per answer). */
    entries(): IterableIterator<[string, string]> {
      this.#sorted ??= [...this.#map]
        .flatMap(([name, value]): [string, string][] => (name === 'set-cookie' ? this.#cookies.map((c) => [name, c]) : [[name, value]]))
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return this.#sorted[Symbol.iterator]();
    }

    keys(): IterableIterator<string> {
      return [...this.entries()].map(([name]) => name)[Symbol.iterator]();
    }

    values(): IterableIterator<string> {
      return [...this.entries()].map(([, value]) => value)[Symbol.iterator]();
    }

    forEach(fn: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
      for (const [name, value] of this.entries()) fn.call(thisArg, value, name, this as unknown as Headers);
    }

    [Symbol.iterator](): IterableIterator<[string, string]> {
      return this.entries();
    }

    // An answer's headers are read-only, as a fetch Response's are.
    append(): void {
      throw new TypeError('immutable');
    }

    set(): void {
      throw new TypeError('immutable');
    }

    delete(): void {
      throw new TypeError('immutable');
    }
  };
  return cls as unknown as new (raw: readonly string[]) => Headers;
}

/** The part of a Response the SDKs read from a non-streaming answer, over a buffer already read. */
class BufferedResponse {
  readonly redirected = false;
  readonly type = 'basic';
  bodyUsed = false;
  private stream: ReadableStream<Uint8Array> | undefined;

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    readonly headers: Headers,
    private readonly bytes: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** Only made when asked for (an SDK cancelling an answer it will not read). */
  get body(): ReadableStream<Uint8Array> {
    return (this.stream ??= new Blob([this.bytes]).stream());
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    return this.bytes.toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    return this.bytes.buffer.slice(this.bytes.byteOffset, this.bytes.byteOffset + this.bytes.byteLength) as ArrayBuffer;
  }

  async blob(): Promise<Blob> {
    this.bodyUsed = true;
    return new Blob([this.bytes], { type: this.headers.get('content-type') ?? '' });
  }

  clone(): BufferedResponse {
    return new BufferedResponse(this.url, this.status, this.statusText, this.headers, this.bytes);
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}
