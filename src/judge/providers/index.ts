// The provider registry. SDKs are imported only when a suite needs them (start-up time).
import type { ResolvedJudge } from '../../types.js';
import type { GenerateRequest, Provider, ProviderAnswer, ProviderContext, ProviderRequest } from '../provider.js';

export async function createProvider(ctx: ProviderContext): Promise<Provider> {
  switch (ctx.judge.provider) {
    case 'openai':
      return new LazySdkProvider(async () => new (await import('./openai.js')).OpenAIProvider(ctx));
    case 'anthropic':
      return new LazySdkProvider(async () => new (await import('./anthropic.js')).AnthropicProvider(ctx));
    case 'module':
      return (await import('./module.js')).loadModuleProvider(ctx);
    case 'recorded':
      return (await import('./recorded.js')).loadRecordedProvider(ctx);
  }
}

/**
 * A model provider whose SDK is loaded on the first real call: a fully cached run never
 * pays for importing `openai` or `@anthropic-ai/sdk`.
 */
class LazySdkProvider implements Provider {
  readonly cacheable = true;
  readonly repairable = true;
  readonly cacheIdentity = '';
  private real: Promise<Provider> | undefined;

  constructor(private readonly load: () => Promise<Provider>) {}

  async complete(req: ProviderRequest): Promise<ProviderAnswer> {
    this.real ??= this.load();
    return (await this.real).complete(req);
  }

  async generate(req: GenerateRequest): Promise<ProviderAnswer> {
    this.real ??= this.load();
    return (await this.real).generate!(req);
  }
}

/** Why a live call cannot be made (no key / endpoint), or null. Checked before any call. */
export function missingCredentials(judge: ResolvedJudge, env: NodeJS.ProcessEnv): string | null {
  if (judge.provider === 'openai') {
    // A custom endpoint (Ollama, vLLM, ...) often needs no key.
    if (env.OPENAI_API_KEY || judge.baseURL || env.OPENAI_BASE_URL) return null;
    return 'set OPENAI_API_KEY, or OPENAI_BASE_URL (or baseURL in the judge) for an OpenAI-compatible server';
  }
  if (judge.provider === 'anthropic') {
    if (env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN) return null;
    return 'set ANTHROPIC_API_KEY';
  }
  return null;
}

/** The model name a provider reports answers for (for cache keys and reports). */
export function modelLabel(judge: ResolvedJudge): string {
  return judge.model ?? judge.provider;
}
