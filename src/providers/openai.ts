// OpenAI chat completions, and any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp).
import OpenAI, { AzureOpenAI } from 'openai';

/** The Azure OpenAI API version when OPENAI_API_VERSION does not say (a GA version with structured outputs). */
const AZURE_API_VERSION = '2024-10-21';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ResolvedJudge } from '../types.js';
import { httpFetch } from './http-fetch.js';
import { reuseRequestHeaders } from './reused-headers.js';
import { answerSchema } from './answer-schema.js';
import { fromSdkError, isAbort, ProviderCallError, rateLimitHint, unreadableAnswer, type GenerateRequest, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './provider.js';

export class OpenAIProvider implements Provider {
  readonly cacheable = true;
  readonly repairable = true;
  readonly cacheIdentity = '';
  private readonly client: OpenAI;
  /** Lowered to 'text' once if the server rejects structured output (older local servers). */
  private format: ResolvedJudge['responseFormat'];

  constructor(private readonly ctx: ProviderContext) {
    this.format = ctx.judge.responseFormat;
    if (ctx.judge.provider === 'azure-openai') {
      // Azure: the deployment (the judge's model) goes in the path, the API version in the query;
      // a key (api-key header) or a Microsoft Entra ID token (Authorization), from the environment only.
      const token = ctx.env.AZURE_OPENAI_AD_TOKEN;
      this.client = new AzureOpenAI({
        endpoint: ctx.judge.baseURL ?? ctx.env.AZURE_OPENAI_ENDPOINT,
        apiVersion: ctx.env.OPENAI_API_VERSION ?? AZURE_API_VERSION,
        ...(ctx.env.AZURE_OPENAI_API_KEY ? { apiKey: ctx.env.AZURE_OPENAI_API_KEY } : { azureADTokenProvider: async () => token ?? '' }),
        maxRetries: 0,
        timeout: ctx.timeoutMs,
        fetch: httpFetch,
      });
      return;
    }
    const baseURL = ctx.judge.baseURL ?? ctx.env.OPENAI_BASE_URL;
    this.client = new OpenAI({
      // Local OpenAI-compatible servers accept any key; the SDK insists on one.
      apiKey: ctx.env.OPENAI_API_KEY || 'no-key',
      ...(baseURL ? { baseURL } : {}),
      maxRetries: 0, // the runner retries, honouring retry-after, for every provider alike
      timeout: ctx.timeoutMs,
      fetch: httpFetch,
    });
    reuseRequestHeaders(this.client);
  }

  async complete(req: ProviderRequest): Promise<ProviderAnswer> {
    try {
      return await this.ask(req, this.format);
    } catch (err) {
      // A server without structured output answers 400 naming response_format: ask in plain
      // text from now on (the answer is parsed robustly either way).
      if (this.format !== 'text' && err instanceof ProviderCallError && err.status === 400 && /response_format|json_schema|json_object/i.test(err.message)) {
        this.format = 'text';
        this.ctx.warn?.(`judge "${this.ctx.judge.id}": the server rejected response_format; asking for plain-text JSON instead (set response_format: text to skip this)`);
        return this.ask(req, 'text');
      }
      throw err;
    }
  }

  private async ask(req: ProviderRequest, format: ResolvedJudge['responseFormat']): Promise<ProviderAnswer> {
    return this.send(chatBody(this.ctx.judge, req.messages, format), req.signal);
  }

  async generate(req: GenerateRequest): Promise<ProviderAnswer> {
    const j = this.ctx.judge;
    const body: ChatCompletionCreateParamsNonStreaming = { model: j.model!, messages: req.messages };
    if (j.temperature !== undefined) body.temperature = j.temperature;
    if (j.seed !== undefined) body.seed = j.seed;
    if (this.format === 'text') return this.send(body, req.signal);
    try {
      return await this.send({ ...body, response_format: { type: 'json_schema', json_schema: { name: req.name, strict: true, schema: req.schema } } }, req.signal);
    } catch (err) {
      // As for verdicts: a server without structured output gets the schema in words only.
      if (err instanceof ProviderCallError && err.status === 400 && /response_format|json_schema/i.test(err.message)) return this.send(body, req.signal);
      throw err;
    }
  }

  private async send(body: ChatCompletionCreateParamsNonStreaming, signal: AbortSignal): Promise<ProviderAnswer> {
    try {
      const { data: res, response } = await this.client.chat.completions.create(body, { signal }).withResponse();
      if (typeof res !== 'object' || res === null || !Array.isArray((res as { choices?: unknown }).choices)) {
        throw unreadableAnswer('openai', this.client.baseURL, res, response.headers.get('content-type'), 'a chat completion');
      }
      const answer = answerOfCompletion(res);
      const hint = rateLimitHint((n) => response.headers.get(n));
      if (hint) answer.rateLimit = hint;
      return answer;
    } catch (err) {
      if (isAbort(err, signal) || err instanceof ProviderCallError) throw err;
      throw fromSdkError(err, 'openai', this.client.baseURL);
    }
  }
}

/** The chat-completions request for a verdict: also what batch mode submits. */
export function chatBody(j: ResolvedJudge, messages: ChatCompletionCreateParamsNonStreaming['messages'], format: ResolvedJudge['responseFormat']): ChatCompletionCreateParamsNonStreaming {
  const body: ChatCompletionCreateParamsNonStreaming = { model: j.model!, messages };
  if (j.temperature !== undefined) body.temperature = j.temperature;
  if (j.topP !== undefined) body.top_p = j.topP;
  if (j.maxTokens !== undefined) body.max_tokens = j.maxTokens;
  if (j.seed !== undefined) body.seed = j.seed;
  if (j.confidence === 'logprobs') {
    body.logprobs = true;
    body.top_logprobs = 5;
  }
  if (format === 'json_schema') {
    body.response_format = { type: 'json_schema', json_schema: { name: 'verdict', strict: true, schema: answerSchema(j) } };
  } else if (format === 'json_object') {
    body.response_format = { type: 'json_object' };
  }
  return body;
}

/** A chat completion as a provider answer: text, truncation, the verdict token's probability, usage. */
export function answerOfCompletion(res: ChatCompletion): ProviderAnswer {
  const choice = res.choices[0];
  const answer: ProviderAnswer = { text: choice?.message?.content ?? '', truncated: choice?.finish_reason === 'length' };
  const p = verdictTokenProbability(choice?.logprobs?.content ?? [], answer.text);
  if (p !== undefined) answer.verdictProbability = p;
  if (res.usage) {
    answer.usage = { inputTokens: res.usage.prompt_tokens, outputTokens: res.usage.completion_tokens };
    const cached = res.usage.prompt_tokens_details?.cached_tokens;
    if (cached) answer.usage.cachedInputTokens = cached;
  }
  return answer;
}

/**
 * The probability the model gave the first token of its verdict: the token that covers the
 * first character of the value after "verdict" in a JSON answer (or of a bare answer).
 */
export function verdictTokenProbability(tokens: readonly { token: string; logprob: number }[], text: string): number | undefined {
  if (tokens.length === 0) return undefined;
  const m = /"verdict"\s*:\s*"?/.exec(text);
  const at = m ? m.index + m[0].length : text.search(/\S/);
  if (at < 0) return undefined;
  let offset = 0;
  for (const t of tokens) {
    if (at < offset + t.token.length) return Math.exp(t.logprob);
    offset += t.token.length;
  }
  return undefined;
}
