// The two providers' batch APIs behind one small interface: submit requests, poll a batch,
// read its results as provider answers. OpenAI: a JSONL file upload and /v1/batches;
// Anthropic: Message Batches. Each at about half the price of live calls.
import type { ChatMessage } from '../judge/prompt.js';
import { fromSdkError, type ProviderAnswer } from '../judge/provider.js';
import type { ResolvedJudge } from '../types.js';

export interface BatchRequest {
  /** The cache key of the request (hex sha256): unique, and valid as either API's custom_id. */
  customId: string;
  judge: ResolvedJudge;
  messages: ChatMessage[];
}

export interface BatchStatus {
  ended: boolean;
  /** The provider's word for the state (in_progress, completed, ended, expired, ...). */
  state: string;
  done: number;
  failed: number;
  total: number;
}

/** A result per custom_id: an answer, or why there is none. */
export type BatchResults = Map<string, { answer: ProviderAnswer } | { error: string }>;

export interface BatchApi {
  /** Submit; `tag` goes into the batch's metadata where the API keeps one. Returns the batch id. */
  submit(requests: readonly BatchRequest[], tag: string): Promise<string>;
  /** The id of a batch submitted with this tag, if the provider can say (else undefined). */
  find(tag: string): Promise<string | undefined>;
  status(id: string): Promise<BatchStatus>;
  results(id: string): Promise<BatchResults>;
}

export interface BatchEndpoint {
  provider: 'openai' | 'anthropic';
  baseURL?: string;
}

export async function batchApi(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi> {
  return endpoint.provider === 'openai' ? openaiBatches(endpoint, env, timeoutMs) : anthropicBatches(endpoint, env, timeoutMs);
}

/** Runs SDK calls, translating their errors into the runner's provider-neutral ones. */
function translated(sdkName: string, endpoint: string) {
  return async <T>(what: () => Promise<T>): Promise<T> => {
    try {
      return await what();
    } catch (err) {
      throw fromSdkError(err, sdkName, endpoint);
    }
  };
}

async function openaiBatches(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi> {
  const [{ default: OpenAI, toFile }, { chatBody, answerOfCompletion }] = await Promise.all([import('openai'), import('../judge/providers/openai.js')]);
  const baseURL = endpoint.baseURL ?? env.OPENAI_BASE_URL;
  const client = new OpenAI({ apiKey: env.OPENAI_API_KEY || 'no-key', ...(baseURL ? { baseURL } : {}), maxRetries: 2, timeout: timeoutMs });
  const wrap = translated('openai batch', client.baseURL);
  return {
    async submit(requests, tag) {
      const jsonl = requests.map((r) => JSON.stringify({ custom_id: r.customId, method: 'POST', url: '/v1/chat/completions', body: chatBody(r.judge, r.messages, r.judge.responseFormat) })).join('\n') + '\n';
      const file = await wrap(async () => client.files.create({ file: await toFile(Buffer.from(jsonl), 'judge-test-batch.jsonl'), purpose: 'batch' }));
      const batch = await wrap(() => client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { tool: 'judge-test', judge_test_tag: tag } }));
      return batch.id;
    },
    async find(tag) {
      // The most recent batches first: an interrupted submission is minutes old.
      const page = await wrap(() => client.batches.list({ limit: 100 }));
      return page.data.find((b) => b.metadata?.judge_test_tag === tag)?.id;
    },
    async status(id) {
      const b = await wrap(() => client.batches.retrieve(id));
      const counts = b.request_counts ?? { total: 0, completed: 0, failed: 0 };
      return { ended: ['completed', 'failed', 'expired', 'cancelled'].includes(b.status), state: b.status, done: counts.completed, failed: counts.failed, total: counts.total };
    },
    async results(id) {
      const b = await wrap(() => client.batches.retrieve(id));
      const out: BatchResults = new Map();
      for (const fileId of [b.output_file_id, b.error_file_id]) {
        if (!fileId) continue;
        const text = await wrap(async () => (await client.files.content(fileId)).text());
        for (const line of text.split('\n')) {
          if (!line.trim()) continue;
          const row = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body: unknown } | null; error?: { message?: string } | null };
          if (row.response?.status_code === 200) out.set(row.custom_id, { answer: answerOfCompletion(row.response.body as Parameters<typeof answerOfCompletion>[0]) });
          else out.set(row.custom_id, { error: row.error?.message ?? `HTTP ${row.response?.status_code ?? '?'}: ${JSON.stringify((row.response?.body as { error?: unknown })?.error ?? row.response?.body ?? '')}` });
        }
      }
      if (b.status !== 'completed' && out.size === 0) throw new Error(`batch ${id} ended ${b.status}${b.errors?.data?.[0]?.message ? `: ${b.errors.data[0].message}` : ''}`);
      return out;
    },
  };
}

async function anthropicBatches(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi> {
  const [{ default: Anthropic }, { messagesBody, answerOfMessage }] = await Promise.all([import('@anthropic-ai/sdk'), import('../judge/providers/anthropic.js')]);
  const baseURL = endpoint.baseURL ?? env.ANTHROPIC_BASE_URL;
  const client = new Anthropic({ apiKey: env.ANTHROPIC_API_KEY ?? null, authToken: env.ANTHROPIC_AUTH_TOKEN ?? null, ...(baseURL ? { baseURL } : {}), maxRetries: 2, timeout: timeoutMs });
  const wrap = translated('anthropic batch', client.baseURL);
  return {
    // Message Batches keep no metadata: an interrupted submission cannot be found again.
    async find() {
      return undefined;
    },
    async submit(requests) {
      const batch = await wrap(() => client.messages.batches.create({ requests: requests.map((r) => ({ custom_id: r.customId, params: messagesBody(r.judge, r.messages) })) }));
      return batch.id;
    },
    async status(id) {
      const b = await wrap(() => client.messages.batches.retrieve(id));
      const c = b.request_counts;
      const total = c.processing + c.succeeded + c.errored + c.canceled + c.expired;
      return { ended: b.processing_status === 'ended', state: b.processing_status, done: c.succeeded, failed: c.errored + c.canceled + c.expired, total };
    },
    async results(id) {
      const out: BatchResults = new Map();
      const stream = await wrap(() => client.messages.batches.results(id));
      for await (const row of stream) {
        if (row.result.type === 'succeeded') out.set(row.custom_id, { answer: answerOfMessage(row.result.message) });
        else out.set(row.custom_id, { error: row.result.type === 'errored' ? `${row.result.error.error.type}: ${row.result.error.error.message}` : row.result.type });
      }
      return out;
    },
  };
}
