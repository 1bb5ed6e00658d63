// The OpenAI SDK builds every request's headers afresh: a WHATWG Headers merged from six
// sources (its defaults, the platform's, the key, the client's defaults, the body's, the
// call's), each name checked as it goes in, then copied again for a debug log that is off.
// That is 10–30% of the client's CPU per call (the `plain clients alone` row of
// bench/runner.mjs, with and without this). For one judge's
// client they come out the same every time, so the SDK builds them once and later calls of
// the same shape reuse them. Any call with more in it (its own headers, a query, an
// idempotency key, a body that is not plain JSON) is built by the SDK as before.
import type OpenAI from 'openai';

type BuildRequest = OpenAI['buildRequest'];
type Built = Awaited<ReturnType<BuildRequest>>;
type RequestOptions = Parameters<BuildRequest>[0];

/** The options a judge call has; anything else makes the SDK build the request. */
const SHAPE_KEYS = new Set(['method', 'path', 'body', 'signal', 'stream', 'timeout', 'maxRetries', '__security']);

/**
 * Makes `client` reuse the request headers and URL the SDK built for an earlier call of the
 * same shape. Only for a client whose key is fixed text (not a function, not Azure's token
 * provider): the key is in those headers.
 */
export function reuseRequestHeaders(client: OpenAI): void {
  const build: BuildRequest = client.buildRequest.bind(client);
  let template: { shape: string; url: string; timeout: number; init: Record<string, unknown> } | undefined;
  client.buildRequest = async (options, extra) => {
    const shape = shapeOf(options, extra?.retryCount ?? 0);
    if (shape !== undefined && template?.shape === shape) {
      const req = { ...template.init, ...(options.signal ? { signal: options.signal } : {}), body: JSON.stringify(options.body) };
      return { req: req as Built['req'], url: template.url, timeout: template.timeout };
    }
    const built = await build(options, extra);
    if (shape !== undefined && typeof built.req.body === 'string' && built.req.headers instanceof Headers) {
      const { signal: _signal, body: _body, headers, ...rest } = built.req;
      // A plain object: the providers' fetch and the SDK's log read one more cheaply than a Headers.
      template = { shape, url: built.url, timeout: built.timeout, init: { ...rest, headers: Object.freeze(Object.fromEntries(headers)) } };
    }
    return built;
  };
}

/** What a call's headers and URL depend on, or undefined when it has anything else in it. */
function shapeOf(options: RequestOptions, retryCount: number): string | undefined {
  for (const key in options) if (!SHAPE_KEYS.has(key)) return undefined;
  const body = options.body;
  if (body === null || typeof body !== 'object' || Object.getPrototypeOf(body) !== Object.prototype) return undefined;
  const security = options.__security;
  // The SDK's call methods pass a fresh { bearerAuth: true }; any other scheme is spelled out.
  const scheme = security === undefined ? '' : security.bearerAuth === true && Object.keys(security).length === 1 ? 'bearer' : JSON.stringify(security);
  return `${options.method} ${options.path} ${options.stream} ${options.timeout} ${options.maxRetries} ${scheme} ${retryCount}`;
}
