// Semantic agreement of rationales: the cosine of the embeddings of the judge's reason and
// the human note, from an OpenAI-compatible /v1/embeddings endpoint. Only the similarity is
// cached (.judge-cache/embeddings/<model>.jsonl, keyed by model and both texts), not the
// vectors: a line is a few dozen bytes, so the cache stays small enough to commit.
import { join } from 'node:path';
import { hash } from 'node:crypto';
import { stableStringify } from '../cache/key.js';
import { JsonlStore } from '../cache/store.js';
import { endpointIdentity } from '../providers/index.js';
import { fromSdkError, isAbort } from '../providers/provider.js';
import { cosineSimilarity } from '../metrics/cosine.js';
import { withRetry, type RetryPolicy } from '../judge/retry.js';
import { redactSecrets } from '../secrets/redact.js';

export interface EmbeddingSettings {
  model: string;
  baseURL?: string;
}

export interface SimilarityEntry {
  key: string;
  model: string;
  similarity: number | null;
}

export interface EmbedContext {
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  noCache: boolean;
  offline: boolean;
  signal: AbortSignal;
  timeoutMs: number;
  retry: RetryPolicy;
}

export interface SimilarityOutcome {
  /** One per pair: the similarity, null when a text has no direction (empty), undefined when not computed. */
  values: (number | null | undefined)[];
  /** Embedding requests made. */
  calls: number;
  /** Why some similarities are missing (no key, --offline, a provider error). */
  problem?: string;
}

/** Texts per embeddings request (the API takes up to 2,048). */
const BATCH = 256;

export async function rationaleSimilarities(pairs: readonly { reason: string; note: string }[], settings: EmbeddingSettings, ctx: EmbedContext): Promise<SimilarityOutcome> {
  const store = new JsonlStore<SimilarityEntry>(join(ctx.cacheDir, 'embeddings'), parseEntry);
  try {
    return await similarities(pairs, settings, ctx, store);
  } finally {
    store.close();
  }
}

async function similarities(pairs: readonly { reason: string; note: string }[], settings: EmbeddingSettings, ctx: EmbedContext, store: JsonlStore<SimilarityEntry>): Promise<SimilarityOutcome> {
  const file = settings.model.replace(/[^A-Za-z0-9._-]/g, '_');
  // The endpoint is part of the key unless it is OpenAI's own (whose keys stay as they were).
  const endpoint = endpointIdentity({ provider: 'openai', ...(settings.baseURL ? { baseURL: settings.baseURL } : {}) }, ctx.env) || undefined;
  const keys = pairs.map((p) => hash('sha256', stableStringify({ v: 1, model: settings.model, endpoint, reason: p.reason, note: p.note }), 'hex'));
  const values: (number | null | undefined)[] = keys.map((k) => (ctx.noCache ? undefined : store.get(file, k)?.similarity));
  const missing = pairs.flatMap((p, i) => (values[i] === undefined ? [i] : []));
  if (missing.length === 0) return { values, calls: 0 };
  if (ctx.offline) return { values, calls: 0, problem: `--offline: ${missing.length} rationale embedding(s) not cached` };
  const baseURL = settings.baseURL ?? ctx.env.OPENAI_BASE_URL;
  if (!ctx.env.OPENAI_API_KEY && !baseURL) return { values, calls: 0, problem: `set OPENAI_API_KEY (or a baseURL) to embed ${missing.length} rationale(s) with ${settings.model}` };

  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ apiKey: ctx.env.OPENAI_API_KEY || 'no-key', ...(baseURL ? { baseURL } : {}), maxRetries: 0, timeout: ctx.timeoutMs });
  const texts = [...new Set(missing.flatMap((i) => [pairs[i]!.reason, pairs[i]!.note]))];
  const vectors = new Map<string, number[]>();
  let calls = 0;
  try {
    for (let at = 0; at < texts.length; at += BATCH) {
      const input = texts.slice(at, at + BATCH);
      const res = await withRetry(
        async () => {
          calls++;
          try {
            return await client.embeddings.create({ model: settings.model, input, encoding_format: 'float' }, { signal: ctx.signal });
          } catch (err) {
            if (isAbort(err, ctx.signal)) throw err;
            throw fromSdkError(err, 'openai embeddings', client.baseURL);
          }
        },
        ctx.retry,
        ctx.signal,
      );
      for (const d of res.data) vectors.set(input[d.index]!, d.embedding);
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    return { values, calls, problem: redactSecrets(`embeddings with ${settings.model}: ${(err as Error).message}`, ctx.env) };
  }
  for (const i of missing) {
    const a = vectors.get(pairs[i]!.reason);
    const b = vectors.get(pairs[i]!.note);
    if (!a || !b) continue;
    const similarity = cosineSimilarity(a, b);
    values[i] = similarity;
    if (!ctx.noCache) store.put(file, { key: keys[i]!, model: settings.model, similarity });
  }
  return { values, calls };
}

function parseEntry(value: unknown): SimilarityEntry | undefined {
  const o = value as Partial<SimilarityEntry> | null;
  return o && typeof o.key === 'string' && (typeof o.similarity === 'number' || o.similarity === null) ? (o as SimilarityEntry) : undefined;
}
