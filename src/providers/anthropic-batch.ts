// Anthropic's Message Batches.
import { translated, type BatchApi, type BatchEndpoint, type BatchResults } from './batch-api.js';

export async function anthropicBatches(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi> {
  const [{ default: Anthropic }, { messagesBody, answerOfMessage }] = await Promise.all([import('@anthropic-ai/sdk'), import('./anthropic.js')]);
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
