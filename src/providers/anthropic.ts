// Anthropic Messages API; the verdict comes back as the input of a forced tool call.
import Anthropic from '@anthropic-ai/sdk';
import type { ResolvedJudge } from '../types.js';
import { httpFetch } from './http-fetch.js';
import { answerSchema } from './answer-schema.js';
import { fromSdkError, isAbort, ProviderCallError, rateLimitHint, unreadableAnswer, type GenerateRequest, type Provider, type ProviderAnswer, type ProviderContext, type ProviderRequest } from './provider.js';

const TOOL = 'record_verdict';

export class AnthropicProvider implements Provider {
  readonly cacheable = true;
  readonly repairable = true;
  readonly cacheIdentity = '';
  private readonly client: Anthropic;

  /** `client`: Anthropic on Amazon Bedrock or Google Vertex (see `cloudClient`); else the Anthropic API's. */
  constructor(private readonly ctx: ProviderContext, client?: Anthropic) {
    const baseURL = ctx.judge.baseURL ?? ctx.env.ANTHROPIC_BASE_URL;
    this.client =
      client ??
      new Anthropic({
        apiKey: ctx.env.ANTHROPIC_API_KEY ?? null,
        authToken: ctx.env.ANTHROPIC_AUTH_TOKEN ?? null,
        ...(baseURL ? { baseURL } : {}),
        maxRetries: 0,
        timeout: ctx.timeoutMs,
        fetch: httpFetch,
      });
  }

  /**
   * Anthropic's own SDK packages for Amazon Bedrock and Google Vertex, loaded only by a judge
   * that uses them (optional peer dependencies: `npm install @anthropic-ai/bedrock-sdk` or
   * `@anthropic-ai/vertex-sdk`). Credentials come from the environment only.
   */
  static async onCloud(ctx: ProviderContext): Promise<AnthropicProvider> {
    const { judge, env } = ctx;
    const common = { maxRetries: 0, timeout: ctx.timeoutMs, fetch: httpFetch };
    if (judge.provider === 'anthropic-bedrock') {
      const { AnthropicBedrock } = await importPeer<typeof import('@anthropic-ai/bedrock-sdk')>('@anthropic-ai/bedrock-sdk', judge.id);
      const baseURL = judge.baseURL ?? env.ANTHROPIC_BEDROCK_BASE_URL;
      const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
      const options = {
        ...common,
        ...(region ? { awsRegion: region } : {}),
        // Keys from the environment when set; else the AWS SDK's default chain (profile, SSO, web identity).
        ...(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { awsAccessKey: env.AWS_ACCESS_KEY_ID, awsSecretKey: env.AWS_SECRET_ACCESS_KEY, awsSessionToken: env.AWS_SESSION_TOKEN ?? null } : {}),
        ...(baseURL ? { baseURL } : {}),
      };
      const client = new AnthropicBedrock(options as ConstructorParameters<typeof AnthropicBedrock>[0]);
      return new AnthropicProvider(ctx, client as unknown as Anthropic);
    }
    const { AnthropicVertex } = await importPeer<typeof import('@anthropic-ai/vertex-sdk')>('@anthropic-ai/vertex-sdk', judge.id);
    const baseURL = judge.baseURL ?? env.ANTHROPIC_VERTEX_BASE_URL;
    // A token from the environment when set (gcloud auth print-access-token): an OAuth client holding
    // just it, so no metadata server is asked; else Application Default Credentials.
    let authClient: unknown;
    if (env.GOOGLE_ACCESS_TOKEN) {
      const { OAuth2Client } = await importPeer<typeof import('google-auth-library')>('google-auth-library', judge.id);
      const oauth = new OAuth2Client();
      oauth.setCredentials({ access_token: env.GOOGLE_ACCESS_TOKEN });
      authClient = oauth;
    }
    const client = new AnthropicVertex({
      ...common,
      region: env.CLOUD_ML_REGION ?? null,
      projectId: env.ANTHROPIC_VERTEX_PROJECT_ID ?? null,
      ...(authClient ? { authClient: authClient as NonNullable<ConstructorParameters<typeof AnthropicVertex>[0]>['authClient'] } : {}),
      ...(baseURL ? { baseURL } : {}),
    });
    return new AnthropicProvider(ctx, client as unknown as Anthropic);
  }

  complete(req: ProviderRequest): Promise<ProviderAnswer> {
    return this.send(req.messages, TOOL, 'Record the verdict for the graded item.', answerSchema(this.ctx.judge), this.ctx.judge.maxTokens ?? 1024, req.signal);
  }

  generate(req: GenerateRequest): Promise<ProviderAnswer> {
    return this.send(req.messages, req.name, 'Record your answer.', req.schema, Math.max(this.ctx.judge.maxTokens ?? 0, 8192), req.signal);
  }

  /** One Messages call whose answer is the input of a forced tool call. */
  private async send(messages: ProviderRequest['messages'], tool: string, description: string, schema: Record<string, unknown>, maxTokens: number, signal: AbortSignal): Promise<ProviderAnswer> {
    const body = messagesBody(this.ctx.judge, messages, { tool, description, schema, maxTokens });
    try {
      const { data: res, response } = await this.client.messages.create(body, { signal }).withResponse();
      if (typeof res !== 'object' || res === null || !Array.isArray((res as { content?: unknown }).content)) {
        throw unreadableAnswer('anthropic', this.client.baseURL, res, response.headers.get('content-type'), 'a Messages answer');
      }
      const answer = answerOfMessage(res);
      const hint = rateLimitHint((n) => response.headers.get(n));
      if (hint) answer.rateLimit = hint;
      return answer;
    } catch (err) {
      if (isAbort(err, signal) || err instanceof ProviderCallError) throw err;
      throw fromSdkError(err, 'anthropic', this.client.baseURL);
    }
  }
}

/** The Messages request for a verdict (the default tool) or a structured answer: also what batch mode submits. */
export function messagesBody(
  j: ResolvedJudge,
  messages: ProviderRequest['messages'],
  as: { tool: string; description: string; schema: Record<string, unknown>; maxTokens: number } = { tool: TOOL, description: 'Record the verdict for the graded item.', schema: answerSchema(j), maxTokens: j.maxTokens ?? 1024 },
): Anthropic.MessageCreateParamsNonStreaming {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n\n');
  const turns = messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content }));
  const body: Anthropic.MessageCreateParamsNonStreaming = {
    model: j.model!,
    max_tokens: as.maxTokens,
    // The stable prefix (rubric, examples) is marked for Anthropic's prompt cache.
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral' } }],
    messages: turns,
    tools: [{ name: as.tool, description: as.description, input_schema: as.schema as Anthropic.Tool.InputSchema }],
    tool_choice: { type: 'tool', name: as.tool },
  };
  // Sampling parameters are not in this SDK's types (newer models ignore them); older models honour them.
  const sampling: Record<string, number> = {};
  if (j.temperature !== undefined) sampling.temperature = j.temperature;
  if (j.topP !== undefined) sampling.top_p = j.topP;
  return Object.assign(body, sampling);
}

/** A Messages response as a provider answer: the tool input as data, usage with prompt-cache reads. */
export function answerOfMessage(res: Anthropic.Message): ProviderAnswer {
  const tool = res.content.find((b) => b.type === 'tool_use');
  const text = res.content.map((b) => (b.type === 'text' ? b.text : b.type === 'tool_use' ? JSON.stringify(b.input) : '')).join('');
  const answer: ProviderAnswer = { text, truncated: res.stop_reason === 'max_tokens' };
  if (tool && tool.type === 'tool_use') answer.data = tool.input;
  // Anthropic counts prompt-cache reads apart from input_tokens.
  const cacheRead = res.usage.cache_read_input_tokens ?? 0;
  answer.usage = { inputTokens: res.usage.input_tokens + cacheRead + (res.usage.cache_creation_input_tokens ?? 0), outputTokens: res.usage.output_tokens };
  if (cacheRead) answer.usage.cachedInputTokens = cacheRead;
  return answer;
}

/** An optional peer dependency, or a clear line saying how to install it. */
async function importPeer<T>(name: string, judge: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw new Error(`judge "${judge}" needs the package ${name}: npm install ${name}`);
    throw err;
  }
}
