// The optimizer role: structured answers from a model, through a cache (a re-run with
// nothing changed makes no calls), retries and the optimization's call budget.
import { join } from 'node:path';
import { cacheKey } from '../cache/key.js';
import { JsonlStore } from '../cache/store.js';
import { addSpend, emptySpend } from '../cost/spend.js';
import type { Price } from '../cost/prices.js';
import type { ChatMessage } from '../types.js';
import { ProviderCallError, type Provider, type ProviderAnswer } from '../providers/provider.js';
import { createProvider, endpointIdentity } from '../providers/index.js';
import { withRetry, type RetryPolicy } from '../judge/retry.js';
import { redactAnswer } from '../judge/evaluate-item.js';
import { redactSecrets } from '../secrets/redact.js';
import type { ResolvedJudge, Spend, Usage } from '../types.js';

export interface OptimizerEntry {
  key: string;
  name: string;
  model: string;
  data: unknown;
  usage?: Usage;
}

/** What the whole optimization may spend: calls (optimizer and judge alike) and, with --max-cost, USD. */
export class CallBudget {
  used = 0;
  usd = 0;
  constructor(
    readonly max: number,
    readonly maxUsd?: number,
  ) {}
  get left(): number {
    if (this.maxUsd !== undefined && this.usd >= this.maxUsd) return 0;
    return Math.max(0, this.max - this.used);
  }
  /** USD left under --max-cost (undefined: no cost limit). */
  get usdLeft(): number | undefined {
    return this.maxUsd === undefined ? undefined : Math.max(0, this.maxUsd - this.usd);
  }
}

export class BudgetExhausted extends Error {
  constructor(what: string) {
    super(`the call budget is spent (${what})`);
    this.name = 'BudgetExhausted';
  }
}

/** An answer that was not JSON of the requested shape, even after one repair request. */
export class UnreadableAnswer extends Error {}

export interface OptimizerModelOptions {
  /** The optimizer's model settings, in the shape of a judge (provider, model, baseURL, temperature). */
  judge: ResolvedJudge;
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  noCache: boolean;
  offline: boolean;
  retry: RetryPolicy;
  timeoutMs: number;
  signal: AbortSignal;
  budget: CallBudget;
  prices: Record<string, Price>;
  warn: (message: string) => void;
}

export class OptimizerModel {
  /** Calls made, answers replayed from the cache, and what the calls cost. */
  calls = 0;
  cached = 0;
  readonly spent: Spend = emptySpend();
  private readonly store: JsonlStore<OptimizerEntry>;
  private provider: Promise<Provider> | undefined;

  constructor(private readonly opts: OptimizerModelOptions) {
    this.store = new JsonlStore(join(opts.cacheDir, 'optimizer'), parseEntry, opts.warn);
  }

  get label(): string {
    return `${this.opts.judge.provider}:${this.opts.judge.model ?? ''}`;
  }

  /** A JSON answer of `schema`, checked by `read` (which throws on a wrong shape). */
  async ask<T>(name: string, messages: ChatMessage[], schema: Record<string, unknown>, read: (data: unknown) => T): Promise<T> {
    const j = this.opts.judge;
    // The endpoint too (empty for the provider's default), as for verdicts.
    const endpoint = endpointIdentity(j, this.opts.env);
    const key = cacheKey({ provider: j.provider, model: j.model ?? '', params: { temperature: j.temperature, seed: j.seed }, request: messages, schema, identity: `optimizer:${name}${endpoint ? `@${endpoint}` : ''}`, sample: 0 });
    const file = j.id;
    const hit = this.opts.noCache ? undefined : this.store.get(file, key);
    if (hit) {
      try {
        const value = read(hit.data);
        this.cached++;
        return value;
      } catch {
        // A cached answer this version cannot read: ask again.
      }
    }
    if (this.opts.offline) throw new UnreadableAnswer(`--offline: the optimizer's "${name}" answer is not cached`);
    let answer = await this.call(name, messages, schema);
    let parsed = readAnswer(answer, read);
    if (!parsed.ok) {
      const repair: ChatMessage[] = [...messages, { role: 'assistant', content: answer.text }, { role: 'user', content: `Your answer could not be read (${parsed.problem}). Reply again with only the JSON object.` }];
      answer = await this.call(name, repair, schema);
      parsed = readAnswer(answer, read);
    }
    if (!parsed.ok) throw new UnreadableAnswer(`the optimizer's "${name}" answer could not be read: ${parsed.problem}`);
    if (!this.opts.noCache && !answer.truncated) {
      this.store.put(file, { key, name, model: j.model ?? j.provider, data: parsed.data, ...(answer.usage ? { usage: answer.usage } : {}) });
    }
    return parsed.value;
  }

  close(): void {
    this.store.close();
  }

  private async call(name: string, messages: ChatMessage[], schema: Record<string, unknown>): Promise<ProviderAnswer> {
    if (this.opts.budget.left <= 0) throw new BudgetExhausted(`before the optimizer's "${name}" call`);
    const provider = await (this.provider ??= createProvider({ judge: this.opts.judge, env: this.opts.env, timeoutMs: this.opts.timeoutMs, warn: this.opts.warn }));
    if (!provider.generate) throw new Error(`provider ${this.opts.judge.provider} cannot act as the optimizer`);
    try {
      const answer = await withRetry(
        () => {
          this.calls++;
          this.opts.budget.used++;
          const signal = AbortSignal.any([this.opts.signal, AbortSignal.timeout(this.opts.timeoutMs)]);
          return provider.generate!({ messages, schema, name, signal });
        },
        this.opts.retry,
        this.opts.signal,
      );
      if (answer.usage) {
        const before = this.spent.usd ?? 0;
        addSpend(this.spent, answer.usage, this.opts.judge.model ?? this.opts.judge.provider, this.opts.prices);
        this.opts.budget.usd += (this.spent.usd ?? 0) - before;
      }
      // The rewrite lands in the user's judge file: no secret the model echoed goes with it.
      return redactAnswer(answer, this.opts.env);
    } catch (err) {
      if (this.opts.signal.aborted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      throw new ProviderCallError(`optimizer ${this.label}: ${redactSecrets(message, this.opts.env)}`, false, err instanceof ProviderCallError ? err.status : undefined);
    }
  }
}

type Read<T> = { ok: true; value: T; data: unknown } | { ok: false; problem: string };

function readAnswer<T>(answer: ProviderAnswer, read: (data: unknown) => T): Read<T> {
  let data = answer.data;
  if (data === undefined) {
    // A JSON object, possibly wrapped in prose or a code fence.
    const start = answer.text.indexOf('{');
    const end = answer.text.lastIndexOf('}');
    if (start < 0 || end < start) return { ok: false, problem: 'no JSON object in the answer' };
    try {
      data = JSON.parse(answer.text.slice(start, end + 1));
    } catch (err) {
      return { ok: false, problem: `invalid JSON: ${(err as Error).message}` };
    }
  }
  try {
    return { ok: true, value: read(data), data };
  } catch (err) {
    return { ok: false, problem: (err as Error).message };
  }
}

function parseEntry(value: unknown): OptimizerEntry | undefined {
  const o = value as Partial<OptimizerEntry> | null;
  return o && typeof o.key === 'string' && typeof o.name === 'string' && 'data' in o ? (o as OptimizerEntry) : undefined;
}
