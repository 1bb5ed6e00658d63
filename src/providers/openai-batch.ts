// OpenAI's batch API: a JSONL file upload and /v1/batches.
import { translated, type BatchApi, type BatchEndpoint, type BatchResults } from './batch-api.js';

export async function openaiBatches(endpoint: BatchEndpoint, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<BatchApi> {
  const [{ default: OpenAI, toFile }, { chatBody, answerOfCompletion }] = await Promise.all([import('openai'), import('./openai.js')]);
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
