// One item through the cache and the provider: call, retry, parse, repair once, store.
import { cacheKey } from '../cache/key.js';
import type { VerdictCache } from '../cache/store.js';
import { parseVerdict } from '../judge/parse-verdict.js';
import { renderMessages, repairMessages, verdictSchema, type ChatMessage } from '../judge/prompt.js';
import { ProviderCallError, type Provider, type ProviderAnswer } from '../judge/provider.js';
import { modelLabel } from '../judge/providers/index.js';
import type { Item, ResolvedJudge, Usage, Verdict } from '../types.js';
import { redactSecrets } from '../secrets/redact.js';
import { withRetry, type RetryPolicy } from './retry.js';

export interface JudgeTask {
  judge: ResolvedJudge;
  provider: Provider;
  item: Item;
  messages: ChatMessage[];
  key: string;
}

export function planTask(judge: ResolvedJudge, provider: Provider, item: Item): JudgeTask {
  const llm = judge.provider === 'openai' || judge.provider === 'anthropic';
  const messages = llm ? renderMessages(judge, item) : [];
  const key = cacheKey({
    provider: judge.provider,
    model: modelLabel(judge),
    params: { temperature: judge.temperature, top_p: judge.topP, max_tokens: judge.maxTokens, seed: judge.seed, format: judge.responseFormat },
    // Code judges read the item itself (and the rubric, if they like).
    request: llm ? messages : { id: item.id, fields: item.fields, rubric: judge.rubric },
    schema: verdictSchema(judge.scale),
    identity: provider.cacheIdentity,
    sample: 0,
  });
  return { judge, provider, item, messages, key };
}

export function cachedVerdict(task: JudgeTask, cache: VerdictCache): Verdict | undefined {
  if (!task.provider.cacheable) return undefined;
  const hit = cache.get(task.judge.id, task.key);
  if (!hit) return undefined;
  const v: Verdict = { label: hit.verdict.label, reason: hit.verdict.reason, status: 'ok', cached: true };
  if (hit.verdict.confidence !== undefined) v.confidence = hit.verdict.confidence;
  if (hit.verdict.raw !== undefined) v.raw = hit.verdict.raw;
  if (hit.usage) v.usage = hit.usage;
  return v;
}

export interface CallOptions {
  retry: RetryPolicy;
  timeoutMs: number;
  signal: AbortSignal;
  /** Count of provider calls made (the repair attempt counts as one). */
  onCall: () => void;
  onRetry?: (task: JudgeTask, err: ProviderCallError, delayMs: number) => void;
  cache?: VerdictCache;
  /** Whose secrets to scrub from error text (a provider may echo a key back). */
  env?: NodeJS.ProcessEnv;
}

/** Judge one item live. Provider failures after all retries become an 'error' verdict. */
export async function callJudge(task: JudgeTask, opts: CallOptions): Promise<Verdict> {
  const { judge, provider } = task;
  let usage: Usage | undefined;
  const ask = async (messages: ChatMessage[]): Promise<ProviderAnswer> => {
    const answer = await withRetry(
      () => {
        opts.onCall();
        return attemptWithTimeout(provider, task, messages, opts);
      },
      opts.retry,
      opts.signal,
      (err, delay) => opts.onRetry?.(task, err, delay),
    );
    if (answer.usage) usage = addUsage(usage, answer.usage);
    return answer;
  };

  try {
    let answer = await ask(task.messages);
    let parsed = parseVerdict(judge.scale, answer);
    if (!parsed.ok && provider.repairable) {
      answer = await ask(repairMessages(task.messages, answer.text, parsed.problem, judge.scale));
      parsed = parseVerdict(judge.scale, answer);
    }
    if (!parsed.ok) {
      return withUsage({ label: null, reason: '', raw: answer.text, status: 'unparseable', cached: false, error: parsed.problem }, usage);
    }
    const verdict = withUsage({ label: parsed.label, reason: parsed.reason, raw: answer.text, status: 'ok', cached: false }, usage);
    if (parsed.confidence !== undefined) verdict.confidence = parsed.confidence;
    // Truncated answers are used for this run but never trusted enough to cache.
    if (opts.cache && provider.cacheable && !answer.truncated) {
      opts.cache.put({
        key: task.key,
        judge: judge.id,
        model: modelLabel(judge),
        item: task.item.id,
        sample: 0,
        verdict: { label: parsed.label, reason: parsed.reason, ...(parsed.confidence !== undefined ? { confidence: parsed.confidence } : {}), raw: answer.text },
        ...(usage ? { usage } : {}),
      });
    }
    return verdict;
  } catch (err) {
    if (opts.signal.aborted) throw err;
    const message = redactSecrets(err instanceof Error ? err.message : String(err), opts.env);
    return withUsage({ label: null, reason: '', status: 'error', cached: false, error: `judge "${judge.id}", item "${task.item.id}": ${message}` }, usage);
  }
}

async function attemptWithTimeout(provider: Provider, task: JudgeTask, messages: ChatMessage[], opts: CallOptions): Promise<ProviderAnswer> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = AbortSignal.any([opts.signal, timeout]);
  try {
    // Race the abort too: a code judge may ignore the signal.
    return await Promise.race([provider.complete({ item: task.item, messages, signal }), rejectOnAbort(signal)]);
  } catch (err) {
    if (timeout.aborted && !opts.signal.aborted) {
      throw new ProviderCallError(`no answer within ${opts.timeoutMs < 1000 ? `${opts.timeoutMs} ms` : `${opts.timeoutMs / 1000} s`}`, true);
    }
    throw err;
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function addUsage(a: Usage | undefined, b: Usage): Usage {
  return { inputTokens: (a?.inputTokens ?? 0) + b.inputTokens, outputTokens: (a?.outputTokens ?? 0) + b.outputTokens };
}

function withUsage(v: Verdict, usage: Usage | undefined): Verdict {
  if (usage) v.usage = usage;
  return v;
}
