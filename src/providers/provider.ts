// What every provider implements; one file per provider under providers/.
import type { Item, ResolvedJudge, Usage } from '../types.js';
import type { ChatMessage } from '../types.js';

export interface ProviderRequest {
  item: Item;
  messages: ChatMessage[];
  signal: AbortSignal;
}

/** A structured answer to free-form messages (the --optimize optimizer's calls). */
export interface GenerateRequest {
  messages: ChatMessage[];
  /** JSON Schema of the answer (strict-mode compatible: every property required). */
  schema: Record<string, unknown>;
  /** The schema's (or tool's) name. */
  name: string;
  signal: AbortSignal;
}

export interface ProviderAnswer {
  /** The answer as text (kept as the raw response in reports). */
  text: string;
  /** A structured answer, when the provider returned one (tool input, recorded row, module result). */
  data?: unknown;
  usage?: Usage;
  /** The model stopped at its token limit: the answer is not trusted or cached. */
  truncated?: boolean;
  /** Probability of the verdict's first token, when the provider returned logprobs. */
  verdictProbability?: number;
  /** What the provider's rate-limit headers said about the budget left. */
  rateLimit?: RateLimitHint;
}

export interface RateLimitHint {
  /** Requests left in the provider's current window, and ms until it resets. */
  remaining?: number;
  resetMs?: number;
}

export interface Provider {
  /** Calls go through the verdict cache (false for answers that are already local). */
  readonly cacheable: boolean;
  /** A second attempt with a repair instruction can change an unparseable answer. */
  readonly repairable: boolean;
  /** Extra identity for the cache key (e.g. a module file's content hash). */
  readonly cacheIdentity: string;
  complete(req: ProviderRequest): Promise<ProviderAnswer>;
  /** Model providers only: answer free-form messages with JSON following a schema. */
  generate?(req: GenerateRequest): Promise<ProviderAnswer>;
  /** Fail before any call when the provider cannot answer some item (ConfigError). */
  checkItems?(items: readonly Item[]): void;
}

export interface ProviderContext {
  judge: ResolvedJudge;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  warn?: (message: string) => void;
}

/** A failed call, in provider-neutral terms the retry loop understands. */
export class ProviderCallError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** From retry-after / retry-after-ms headers. */
    readonly retryAfterMs?: number,
    /** The endpoint refused the connection or its name does not resolve: no HTTP answer at all. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'ProviderCallError';
  }
}

/** Status codes worth another attempt: timeouts, conflicts, rate limits, server errors. */
export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Parse retry-after-ms, or retry-after in seconds or as an HTTP date. */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined, now = Date.now()): number | undefined {
  const ms = Number(get('retry-after-ms'));
  if (get('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const ra = get('retry-after');
  if (!ra) return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Translate an SDK APIError-like object (openai and @anthropic-ai/sdk share the shape). */
export function fromSdkError(err: unknown, sdkName: string, endpoint: string): ProviderCallError {
  const e = err as { status?: number; headers?: { get(name: string): string | null } | Record<string, string | undefined>; message?: string; name?: string };
  const status = typeof e.status === 'number' ? e.status : undefined;
  const headers = e.headers;
  // A Headers, the providers' fetch's own answer headers (http-fetch.ts), or a plain record.
  const get = (n: string) => (hasGet(headers) ? headers.get(n) : headers?.[n]);
  const message = e.message ?? String(err);
  // No status: the request never got an HTTP answer (refused, DNS, reset, SDK timeout). The
  // SDKs say only "Connection error."; the network's own reason is at the end of the causes.
  const reason = status ? undefined : rootCause(err);
  const text = status ? `${sdkName}: HTTP ${status}: ${message}` : `${sdkName}: cannot reach ${endpoint}: ${message}${reason ? ` (${reason.message})` : ''}`;
  return new ProviderCallError(text, isRetryableStatus(status), status, retryAfterFromHeaders(get), reason !== undefined && UNREACHABLE.has(reason.code));
}

function hasGet(headers: unknown): headers is { get(name: string): string | null } {
  return typeof (headers as { get?: unknown } | undefined)?.get === 'function';
}

/** Network errors that say no server answers at that address: refused, or a name that does not resolve. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The innermost `cause` with a system error code (ECONNREFUSED, ENOTFOUND, ...), as node words it. */
function rootCause(err: unknown): { code: string; message: string } | undefined {
  let found: { code: string; message: string } | undefined;
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === 'string' && typeof message === 'string') found = { code, message };
    e = cause;
  }
  return found;
}

/**
 * An HTTP 200 whose body is not the API's answer (an HTML page, a proxy's text): the endpoint
 * answers but is not the API. Not retried, and never reported as "cannot reach".
 */
export function unreadableAnswer(sdkName: string, endpoint: string, body: unknown, contentType: string | null, what: string): ProviderCallError {
  const text = typeof body === 'string' ? body : JSON.stringify(body) ?? String(body);
  const clipped = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return new ProviderCallError(`${sdkName}: the answer of ${endpoint} could not be read: not ${what} (${contentType ?? 'no content type'}): "${clipped}"`, false, 200);
}

export function isAbort(err: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'APIUserAbortError';
}

/** Read OpenAI's or Anthropic's request rate-limit headers. */
export function rateLimitHint(get: (name: string) => string | null | undefined, now = Date.now()): RateLimitHint | undefined {
  const remaining = get('x-ratelimit-remaining-requests') ?? get('anthropic-ratelimit-requests-remaining');
  if (remaining === null || remaining === undefined) return undefined;
  const hint: RateLimitHint = { remaining: Number(remaining) };
  const openaiReset = get('x-ratelimit-reset-requests'); // "1s", "6m0s", "20ms"
  const anthropicReset = get('anthropic-ratelimit-requests-reset'); // RFC 3339
  if (openaiReset) hint.resetMs = durationMs(openaiReset);
  else if (anthropicReset && !Number.isNaN(Date.parse(anthropicReset))) hint.resetMs = Math.max(0, Date.parse(anthropicReset) - now);
  return hint;
}

function durationMs(text: string): number | undefined {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  return parts.reduce((a, p) => a + Number(p[1]) * unit[p[2]!]!, 0);
}
