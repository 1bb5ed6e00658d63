// The provider table: every fact about a provider that the rest of the tool asks, in one row.
// The judge schema, the runner, --batch and --optimize read it; a new provider is its own
// file, a row here and its name in PROVIDER_NAMES (types.ts). SDKs are imported only when a
// suite needs them (start-up time).
import type { ProviderName, ResolvedJudge } from '../types.js';
import type { BatchApi, BatchEndpoint } from './batch-api.js';
import type { GenerateRequest, Provider, ProviderAnswer, ProviderContext, ProviderRequest } from './provider.js';

export interface ProviderSpec {
  /**
   * Calls a model with the judge's rendered prompt, so the judge needs `model` and `rubric`.
   * Otherwise the provider reads the item itself from the judge's `path` (code, recorded verdicts).
   */
  callsModel: boolean;
  /** The variable that points the provider at another endpoint when the judge has no `baseURL`. */
  baseUrlEnv?: string;
  /** The provider's own endpoint: naming it is the same as naming none (same cache keys). */
  defaultBaseUrl?: string;
  /** The variables that hold its credentials (secrets: never printed or written). */
  keyEnv: string[];
  /** Can report the verdict token's probability (`confidence: logprobs`). */
  logprobs: boolean;
  /**
   * --optimize: rewrite the rubric with the judge's own model ('own'), only with the config's
   * optimize.provider and optimize.model ('configured'), or never ('none'); `why` says why not.
   * Providers with 'own' can also be the optimizer of other judges.
   */
  optimize: { model: 'own' } | { model: 'configured' | 'none'; why: string };
  create(ctx: ProviderContext): Promise<Provider>;
  /** Why a live call cannot be made (no key / endpoint), or null. Checked before any call. */
  missingCredentials(judge: ResolvedJudge, env: NodeJS.ProcessEnv): string | null;
  /** The provider's batch API (--batch), if it has one. */
  batch?(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi>;
}

export const PROVIDERS: Record<ProviderName, ProviderSpec> = {
  openai: {
    callsModel: true,
    baseUrlEnv: 'OPENAI_BASE_URL',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyEnv: ['OPENAI_API_KEY'],
    logprobs: true,
    optimize: { model: 'own' },
    create: async (ctx) => new LazySdkProvider(async () => new (await import('./openai.js')).OpenAIProvider(ctx), endpointIdentity(ctx.judge, ctx.env)),
    // A custom endpoint (Ollama, vLLM, ...) often needs no key.
    missingCredentials: (judge, env) => (hasAny(env, 'openai') || endpointOf(judge, env) ? null : 'set OPENAI_API_KEY, or OPENAI_BASE_URL (or baseURL in the judge) for an OpenAI-compatible server'),
    batch: async (endpoint, env, timeoutMs) => (await import('./openai-batch.js')).openaiBatches(endpoint, env, timeoutMs),
  },
  // Azure OpenAI: the openai SDK's Azure client; the judge's `model` is the deployment, its
  // `baseURL` the resource endpoint (or AZURE_OPENAI_ENDPOINT).
  'azure-openai': {
    callsModel: true,
    baseUrlEnv: 'AZURE_OPENAI_ENDPOINT',
    keyEnv: ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_AD_TOKEN'],
    logprobs: true,
    optimize: { model: 'own' },
    create: async (ctx) => new LazySdkProvider(async () => new (await import('./openai.js')).OpenAIProvider(ctx), endpointIdentity(ctx.judge, ctx.env)),
    missingCredentials: (judge, env) =>
      !endpointOf(judge, env) ? 'set AZURE_OPENAI_ENDPOINT (or baseURL in the judge) to the resource endpoint' : hasAny(env, 'azure-openai') ? null : 'set AZURE_OPENAI_API_KEY, or AZURE_OPENAI_AD_TOKEN (a Microsoft Entra ID token)',
  },
  anthropic: {
    callsModel: true,
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    defaultBaseUrl: 'https://api.anthropic.com',
    keyEnv: ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'],
    logprobs: false,
    optimize: { model: 'own' },
    create: async (ctx) => new LazySdkProvider(async () => new (await import('./anthropic.js')).AnthropicProvider(ctx), endpointIdentity(ctx.judge, ctx.env)),
    missingCredentials: (_judge, env) => (hasAny(env, 'anthropic') ? null : 'set ANTHROPIC_API_KEY'),
    batch: async (endpoint, env, timeoutMs) => (await import('./anthropic-batch.js')).anthropicBatches(endpoint, env, timeoutMs),
  },
  // Anthropic on Amazon Bedrock: model ids such as anthropic.claude-3-5-haiku-20241022-v1:0; AWS_REGION; keys or the AWS default chain.
  'anthropic-bedrock': {
    callsModel: true,
    baseUrlEnv: 'ANTHROPIC_BEDROCK_BASE_URL',
    keyEnv: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'],
    logprobs: false,
    optimize: { model: 'own' },
    create: async (ctx) => new LazySdkProvider(async () => (await import('./anthropic.js')).AnthropicProvider.onCloud(ctx), endpointIdentity(ctx.judge, ctx.env)),
    missingCredentials: (_judge, env) =>
      !(env.AWS_REGION ?? env.AWS_DEFAULT_REGION) ? 'set AWS_REGION for Amazon Bedrock' : env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_CONTAINER_CREDENTIALS_FULL_URI ? null : 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a web identity (AWS_WEB_IDENTITY_TOKEN_FILE) for Amazon Bedrock',
  },
  // Anthropic on Google Vertex AI: CLOUD_ML_REGION, ANTHROPIC_VERTEX_PROJECT_ID; a token or Application Default Credentials.
  'anthropic-vertex': {
    callsModel: true,
    baseUrlEnv: 'ANTHROPIC_VERTEX_BASE_URL',
    keyEnv: ['GOOGLE_ACCESS_TOKEN'],
    logprobs: false,
    optimize: { model: 'own' },
    create: async (ctx) => new LazySdkProvider(async () => (await import('./anthropic.js')).AnthropicProvider.onCloud(ctx), endpointIdentity(ctx.judge, ctx.env)),
    missingCredentials: (_judge, env) =>
      !env.CLOUD_ML_REGION || !env.ANTHROPIC_VERTEX_PROJECT_ID ? 'set CLOUD_ML_REGION and ANTHROPIC_VERTEX_PROJECT_ID for Google Vertex AI' : env.GOOGLE_ACCESS_TOKEN || env.GOOGLE_APPLICATION_CREDENTIALS ? null : 'set GOOGLE_ACCESS_TOKEN (gcloud auth print-access-token) or GOOGLE_APPLICATION_CREDENTIALS for Google Vertex AI',
  },
  module: {
    callsModel: false,
    keyEnv: [],
    logprobs: false,
    optimize: { model: 'configured', why: 'a code judge has no model to optimize with' },
    create: async (ctx) => (await import('./module.js')).loadModuleProvider(ctx),
    missingCredentials: () => null,
  },
  recorded: {
    callsModel: false,
    keyEnv: [],
    logprobs: false,
    optimize: { model: 'none', why: 'its verdicts are recorded: they do not depend on the rubric' },
    create: async (ctx) => (await import('./recorded.js')).loadRecordedProvider(ctx),
    missingCredentials: () => null,
  },
  // A panel calls nothing itself: its suite is scored from its members' verdicts (assert/score-panel.ts).
  panel: {
    callsModel: false,
    keyEnv: [],
    logprobs: false,
    optimize: { model: 'none', why: 'a panel combines its member judges: optimize them one by one' },
    create: async () => {
      throw new Error('a panel judge has no provider of its own: its suite is scored from its members');
    },
    missingCredentials: () => null,
  },
};

/** The providers that can be the optimizer of --optimize (they answer free-form messages). */
export const OPTIMIZER_PROVIDERS = (Object.keys(PROVIDERS) as ProviderName[]).filter((name) => PROVIDERS[name].optimize.model === 'own');

/** Whether any of the provider's key variables is set. */
function hasAny(env: NodeJS.ProcessEnv, provider: ProviderName): boolean {
  return PROVIDERS[provider].keyEnv.some((name) => env[name]);
}

export function createProvider(ctx: ProviderContext): Promise<Provider> {
  return PROVIDERS[ctx.judge.provider].create(ctx);
}

/** Why a live call cannot be made (no key / endpoint), or null. Checked before any call. */
export function missingCredentials(judge: ResolvedJudge, env: NodeJS.ProcessEnv): string | null {
  return PROVIDERS[judge.provider].missingCredentials(judge, env);
}

/** The model name a provider reports answers for (for cache keys and reports). */
export function modelLabel(judge: ResolvedJudge): string {
  return judge.model ?? judge.provider;
}

/** The endpoint a judge's calls go to: its baseURL, else the provider's variable, else the default (''). */
export function endpointOf(judge: ResolvedJudge, env: NodeJS.ProcessEnv): string {
  const variable = PROVIDERS[judge.provider].baseUrlEnv;
  return judge.baseURL ?? (variable ? env[variable] : undefined) ?? '';
}

/**
 * Which endpoint answers, for cache keys: '' for the provider's default endpoint (so caches
 * made against it keep their keys), else the base URL's origin and path — never its
 * credentials, query or a trailing slash. Verdicts of a local mock, proxy or Ollama server
 * then never replay as the real provider's.
 */
export function endpointIdentity(judge: Pick<ResolvedJudge, 'provider' | 'baseURL'>, env: NodeJS.ProcessEnv): string {
  const spec = PROVIDERS[judge.provider];
  const base = judge.baseURL ?? (spec.baseUrlEnv ? env[spec.baseUrlEnv] : undefined);
  if (!base) return '';
  let normalized: string;
  try {
    const url = new URL(base);
    normalized = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    normalized = base.trim().replace(/\/+$/, '');
  }
  return normalized === spec.defaultBaseUrl ? '' : normalized;
}

/**
 * A model provider whose SDK is loaded on the first real call: a fully cached run never
 * pays for importing `openai` or `@anthropic-ai/sdk`.
 */
class LazySdkProvider implements Provider {
  readonly cacheable = true;
  readonly repairable = true;
  private real: Promise<Provider> | undefined;

  constructor(
    private readonly load: () => Promise<Provider>,
    /** The endpoint (endpointIdentity): part of every cache key. */
    readonly cacheIdentity: string,
  ) {}

  async complete(req: ProviderRequest): Promise<ProviderAnswer> {
    this.real ??= this.load();
    return (await this.real).complete(req);
  }

  async generate(req: GenerateRequest): Promise<ProviderAnswer> {
    this.real ??= this.load();
    return (await this.real).generate!(req);
  }
}
