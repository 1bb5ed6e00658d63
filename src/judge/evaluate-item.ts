// One item through the cache and the provider: call, retry, parse, repair once, store.
import { cacheKeyMaker } from '../cache/key.js';
import type { VerdictCache } from '../cache/store.js';
import { parseAnswer } from './parse-verdict.js';
import { answerSchema } from '../providers/answer-schema.js';
import { renderMessages, repairMessages } from './prompt.js';
import { ProviderCallError, type Provider, type ProviderAnswer } from '../providers/provider.js';
import { modelLabel, PROVIDERS } from '../providers/index.js';
import { scaleLabels } from '../scale/scale.js';
import type { ChatMessage, Item, Label, ResolvedJudge, Scale, Usage, Verdict } from '../types.js';
import { redactDeep, redactSecrets } from '../secrets/redact.js';
import type { Limiter } from './limiter.js';
import { onAbort } from './on-abort.js';
import { withRetry, type RetryPolicy } from './retry.js';

export interface JudgeTask {
  judge: ResolvedJudge;
  provider: Provider;
  item: Item;
  /**
   * The prompt's length in characters (--max-cost's estimate). The prompt itself is rendered
   * again when the call is made (`messagesOf`): a big run's planned tasks wait long enough to
   * reach the old generation, and holding a prompt each there (KBs for real items) made the
   * heap grow with the plan.
   */
  promptChars: number;
  /** One cache key per sample (`samples: k` on the judge; the sample index is part of the key), or per order of a pairwise judge. */
  keys: string[];
  /** The endpoint's limiter (model calls only). */
  limiter?: Limiter | undefined;
}

export function planTask(judge: ResolvedJudge, provider: Provider, item: Item, limiter?: Limiter): JudgeTask {
  const llm = PROVIDERS[judge.provider].callsModel;
  const messages = llm ? renderMessages(judge, item) : NO_MESSAGES;
  const key = keyMakerFor(judge, provider);
  // Code judges read the item itself (and the rubric, if they like).
  const request = llm ? messages : { id: item.id, fields: item.fields, rubric: judge.rubric };
  // Every task has the same fields in the same order: one object shape for a million tasks
  // (spreading optional fields in gave each task a hidden class of its own, ~0.4 KB).
  const task: JudgeTask = { judge, provider, item, promptChars: messages.reduce((a, m) => a + m.content.length, 0), keys: [], limiter };
  if (llm && judge.pairwise?.swap) {
    // Both orders, each its own request: position bias shows as answers that flip with the order.
    task.keys = [key(messages, 0), key(renderMessages(judge, item, true), 0)];
  } else {
    task.keys = Array.from({ length: judge.samples }, (_, sample) => key(request, sample));
  }
  return task;
}

const NO_MESSAGES: ChatMessage[] = Object.freeze([]) as unknown as ChatMessage[];

/** The messages of one of a task's calls: a pairwise judge's second is the swapped order. */
export function messagesOf(task: JudgeTask, sample: number): ChatMessage[] {
  const { judge, item } = task;
  if (!PROVIDERS[judge.provider].callsModel) return NO_MESSAGES;
  // The same pure rendering the cache keys were made from (planTask).
  return renderMessages(judge, item, sample === 1 && judge.pairwise?.swap === true);
}

const keyMakers = new WeakMap<ResolvedJudge, WeakMap<Provider, (request: unknown, sample: number) => string>>();

/** One key maker per judge and provider: the judge-wide parts of the key are serialized once. */
function keyMakerFor(judge: ResolvedJudge, provider: Provider): (request: unknown, sample: number) => string {
  let byProvider = keyMakers.get(judge);
  if (!byProvider) keyMakers.set(judge, (byProvider = new WeakMap()));
  let make = byProvider.get(provider);
  if (!make) {
    make = cacheKeyMaker({
      provider: judge.provider,
      model: modelLabel(judge),
      params: { temperature: judge.temperature, top_p: judge.topP, max_tokens: judge.maxTokens, seed: judge.seed, format: judge.responseFormat, logprobs: judge.confidence === 'logprobs' ? true : undefined },
      schema: answerSchema(judge),
      identity: provider.cacheIdentity,
    });
    byProvider.set(provider, make);
  }
  return make;
}

const scaleSets = new WeakMap<Scale, Set<Label>>();

/** The labels of a scale as a set, made once per scale (a lookup per cached verdict). */
function onScale(scale: Scale): Set<Label> {
  let set = scaleSets.get(scale);
  if (!set) scaleSets.set(scale, (set = new Set(scaleLabels(scale))));
  return set;
}

function fromCache(task: JudgeTask, cache: VerdictCache, sample: number): Verdict | undefined {
  const hit = cache.get(task.judge.id, task.keys[sample]!);
  if (!hit) return undefined;
  // A multi-criteria answer serves every criterion's view of the item.
  const criterion = task.judge.criterion;
  const label = criterion === undefined ? hit.label : hit.labels?.[criterion];
  if (label === undefined) return undefined;
  // The cache file may have been edited (or come from a pull request): trust no label off the scale.
  if (!onScale(task.judge.scale).has(label)) {
    cache.distrust(task.judge.id, `item "${task.item.id}": cached label ${JSON.stringify(label)} is not on the judge's scale`);
    return undefined;
  }
  const v: Verdict = { label, reason: hit.reason, status: 'ok', cached: true };
  if (hit.labels) v.labels = hit.labels;
  if (hit.confidence !== undefined) v.confidence = hit.confidence;
  // The raw answer stays in the cache file: reports show raw text only for unparseable
  // answers, which are never cached, and 100k replayed verdicts need not carry it.
  if (hit.usage) v.usage = hit.usage;
  return v;
}

/** The item's verdict when every sample is cached, else undefined. */
export function cachedVerdict(task: JudgeTask, cache: VerdictCache): Verdict | undefined {
  if (!task.provider.cacheable) return undefined;
  const samples: Verdict[] = [];
  for (let s = 0; s < task.keys.length; s++) {
    const v = fromCache(task, cache, s);
    if (!v) return undefined;
    samples.push(v);
  }
  return combineSamples(task.judge, samples);
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
  /** Calls in flight by cache key: the criteria views of one item share one call. */
  shared?: Map<string, Promise<Verdict>>;
}

/** Judge one item live: each sample from the cache or the provider, then combined. */
export async function callJudge(task: JudgeTask, opts: CallOptions): Promise<Verdict> {
  const samples: Verdict[] = [];
  for (let s = 0; s < task.keys.length; s++) {
    const hit = opts.cache && task.provider.cacheable ? fromCache(task, opts.cache, s) : undefined;
    samples.push(hit ?? (await sharedCall(task, s, opts)));
  }
  return combineSamples(task.judge, samples);
}

/**
 * One call per cache key in a run: a second criterion view of the item, or a second suite
 * with the same judge and item, waits for the first's answer instead of paying again.
 */
async function sharedCall(task: JudgeTask, sample: number, opts: CallOptions): Promise<Verdict> {
  const criterion = task.judge.criterion;
  // Criterion views always share their item's one call; other tasks share when the answer is a cacheable one.
  if (!opts.shared || (criterion === undefined && !task.provider.cacheable)) return callOnce(task, sample, opts);
  const key = task.keys[sample]!;
  const running = opts.shared.get(key);
  if (running) {
    const v = await running;
    // Its tokens and calls were counted once, by the task that made the call.
    const { usage: _usage, ...rest } = v;
    if (criterion === undefined) return rest;
    const label = v.labels?.[criterion];
    return v.status === 'ok' && label !== undefined ? { ...rest, label } : rest;
  }
  const call = callOnce(task, sample, opts);
  opts.shared.set(key, call);
  return call;
}

/** One sample. Provider failures after all retries become an 'error' verdict. */
async function callOnce(task: JudgeTask, sample: number, opts: CallOptions): Promise<Verdict> {
  const { judge, provider } = task;
  let usage: Usage | undefined;
  // Another process on the same cache may pay for this verdict while the call waits for its
  // slot: looked up again (the file's new lines) just before the call is sent.
  const cache = opts.cache;
  const elsewhere = cache && provider.cacheable ? () => (cache.refresh(judge.id), fromCache(task, cache, sample)) : undefined;
  const ask = async (messages: ChatMessage[], lookFirst?: () => Verdict | undefined): Promise<ProviderAnswer> => {
    const answer = await withRetry(
      () => limited(task, messages, opts, lookFirst),
      opts.retry,
      opts.signal,
      (err, delay) => opts.onRetry?.(task, err, delay),
    );
    if (answer.usage) usage = addUsage(usage, answer.usage);
    return answer;
  };

  try {
    const messages = messagesOf(task, sample);
    let answer = await ask(messages, elsewhere);
    let parsed = parseAnswer(judge, answer);
    if (!parsed.ok && provider.repairable) {
      // The repair continues the conversation as it was asked (a pairwise judge's swapped order stays swapped).
      answer = await ask(repairMessages(messages, answer.text, parsed.problem, judge));
      parsed = parseAnswer(judge, answer);
    }
    if (!parsed.ok) {
      return withUsage({ label: null, reason: '', raw: answer.text, status: 'unparseable', cached: false, error: parsed.problem }, usage);
    }
    // Confidence as the judge says it (verbalized), or from the verdict token's probability.
    const confidence = judge.confidence === 'logprobs' ? answer.verdictProbability : parsed.confidence;
    const verdict = withUsage({ label: parsed.label, reason: parsed.reason, raw: answer.text, status: 'ok', cached: false }, usage);
    if (parsed.labels) verdict.labels = parsed.labels;
    if (confidence !== undefined) verdict.confidence = confidence;
    // Truncated answers are used for this run but never trusted enough to cache.
    if (opts.cache && provider.cacheable && !answer.truncated) putVerdict(opts.cache, task, sample, parsed, confidence, answer.text, usage);
    return verdict;
  } catch (err) {
    if (err instanceof AnsweredElsewhere) return err.verdict;
    if (opts.signal.aborted) throw err;
    const message = redactSecrets(err instanceof Error ? err.message : String(err), opts.env);
    return withUsage({ label: null, reason: '', status: 'error', cached: false, error: `judge "${judge.id}", item "${task.item.id}": ${message}` }, usage);
  }
}

function putVerdict(cache: VerdictCache, task: JudgeTask, sample: number, parsed: { label: Label; reason: string; labels?: Record<string, Label> }, confidence: number | undefined, raw: string, usage: Usage | undefined): void {
  cache.put({
    key: task.keys[sample]!,
    judge: task.judge.id,
    model: modelLabel(task.judge),
    item: task.item.id,
    sample,
    verdict: { label: parsed.label, reason: parsed.reason, ...(parsed.labels ? { labels: parsed.labels } : {}), ...(confidence !== undefined ? { confidence } : {}), raw },
    ...(usage ? { usage } : {}),
  });
}

/**
 * An answer that came another way (a batch result) for one sample: cached when it reads
 * as a verdict and is complete; else why not (it is then judged live by the next run).
 */
export function cacheAnswer(task: JudgeTask, sample: number, given: ProviderAnswer, cache: VerdictCache, env: NodeJS.ProcessEnv): string | null {
  const answer = redactAnswer(given, env);
  if (answer.truncated) return 'the answer was cut off at the token limit';
  const parsed = parseAnswer(task.judge, answer);
  if (!parsed.ok) return parsed.problem;
  putVerdict(cache, task, sample, parsed, task.judge.confidence === 'logprobs' ? answer.verdictProbability : parsed.confidence, answer.text, answer.usage);
  return null;
}

/**
 * k samples -> one verdict: the most common label, or the rounded mean on an ordinal scale.
 * A tie (ordinal: a mean halfway between two points) is no verdict (`no_consensus`) unless
 * the judge breaks it (`tie: fail | pass`). Its flip rate is the share of parsed samples that
 * disagree with it; with `confidence: samples` (the default for k > 1 without another
 * source) the share that agrees is the confidence. Unparseable samples do not vote; if
 * none parses the item is unparseable, and a provider error makes it an error.
 */
export function combineSamples(judge: ResolvedJudge, samples: Verdict[]): Verdict {
  if (samples.length === 1) return samples[0]!;
  if (judge.pairwise?.swap && samples.length === 2) return reconcileOrders(judge, samples[0]!, samples[1]!);
  const usage = samples.reduce<Usage | undefined>((a, s) => (s.usage ? addUsage(a, s.usage) : a), undefined);
  const cached = samples.every((s) => s.cached);
  const error = samples.find((s) => s.status === 'error');
  if (error) return withUsage({ ...error, cached }, usage);
  const ok = samples.filter((s) => s.status === 'ok');
  if (ok.length === 0) return withUsage({ ...samples[0]!, cached }, usage);
  const label = majorityOfSamples(judge, ok.map((s) => s.label!));
  if (label === null) {
    const tie: Verdict = { label: null, reason: ok[0]!.reason, status: 'no_consensus', cached, samples: samples.map((s) => s.label), flipRate: flipRateOfTie(ok.map((s) => s.label!)) };
    return withUsage(tie, usage);
  }
  const agreeing = ok.filter((s) => s.label === label);
  const verdict: Verdict = {
    label,
    reason: (agreeing[0] ?? ok[0]!).reason,
    status: 'ok',
    cached,
    samples: samples.map((s) => s.label),
    flipRate: (ok.length - agreeing.length) / ok.length,
  };
  const raw = (agreeing[0] ?? ok[0]!).raw;
  if (raw !== undefined) verdict.raw = raw;
  if (judge.confidence === 'samples' || judge.confidence === undefined) verdict.confidence = agreeing.length / ok.length;
  else {
    const given = agreeing.map((s) => s.confidence).filter((c): c is number => c !== undefined);
    if (given.length) verdict.confidence = given.reduce((a, b) => a + b, 0) / given.length;
  }
  return withUsage(verdict, usage);
}

/**
 * A pairwise judge's two answers, the second given with the outputs swapped ("A" there is
 * the original B): the same choice both ways is the verdict; a choice that follows the
 * position is inconsistent, a tie or unparseable as the suite says (`pairwise.inconsistent`).
 */
function reconcileOrders(judge: ResolvedJudge, first: Verdict, swapped: Verdict): Verdict {
  const usage = [first, swapped].reduce<Usage | undefined>((a, s) => (s.usage ? addUsage(a, s.usage) : a), undefined);
  const cached = first.cached && swapped.cached;
  const error = [first, swapped].find((s) => s.status === 'error');
  if (error) return withUsage({ ...error, cached }, usage);
  const back = (l: Label | null): Label | null => (l === 'A' ? 'B' : l === 'B' ? 'A' : l);
  const a = first.status === 'ok' ? first.label : null;
  const b = swapped.status === 'ok' ? back(swapped.label) : null;
  const orders = { first: a, swapped: swapped.status === 'ok' ? swapped.label : null, consistent: a !== null && a === b };
  if (a === null || b === null) {
    const answered = a !== null ? first : b !== null ? swapped : undefined;
    if (!answered) return withUsage({ ...first, cached, orders }, usage);
    // One order unreadable: the other stands alone, and the item has no consistency to count.
    return withUsage({ ...answered, label: a ?? b, cached, orders }, usage);
  }
  if (a === b) return withUsage({ label: a, reason: first.reason, status: 'ok', cached, orders, ...(first.raw !== undefined ? { raw: first.raw } : {}) }, usage);
  const reason = `inconsistent across orders: ${String(a)} when shown as given, ${String(b)} when swapped`;
  const hasTie = judge.scale.kind === 'categorical' && judge.scale.labels.includes('tie');
  if (judge.pairwise!.inconsistent === 'unparseable') return withUsage({ label: null, reason, status: 'unparseable', cached, orders, error: reason }, usage);
  return withUsage(hasTie ? { label: 'tie', reason, status: 'ok', cached, orders } : { label: null, reason, status: 'no_consensus', cached, orders }, usage);
}

/** The samples' verdict, or null for a tie the judge does not break. */
function majorityOfSamples(judge: ResolvedJudge, labels: Label[]): Label | null {
  const tie = judge.tie ?? 'no_consensus';
  if (judge.scale.kind === 'ordinal') {
    const mean = (labels as number[]).reduce((a, b) => a + b, 0) / labels.length;
    const low = Math.floor(mean);
    if (mean - low !== 0.5) return Math.round(mean);
    return tie === 'pass' ? low + 1 : tie === 'fail' ? low : null;
  }
  const order = scaleLabels(judge.scale);
  const votes = order.map((l) => labels.filter((x) => x === l).length);
  const most = Math.max(...votes);
  const leaders = order.filter((_, i) => votes[i] === most);
  if (leaders.length === 1) return leaders[0]!;
  if (tie === 'no_consensus') return null;
  // Binary only (the schema refuses pass/fail ties on a categorical scale).
  return leaders.includes(tie) ? tie : null;
}

/** How much the samples of a tie disagree: the share that differs from the most common label. */
function flipRateOfTie(labels: Label[]): number {
  const counts = new Map<Label, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return (labels.length - Math.max(...counts.values())) / labels.length;
}

/** The verdict turned up in the cache (another process paid for it) while the call waited: no call. */
class AnsweredElsewhere extends Error {
  constructor(readonly verdict: Verdict) {
    super('answered elsewhere');
  }
}

/**
 * One attempt through the endpoint's limiter, which learns from its outcome. Counted (onCall)
 * only when it is sent; `lookFirst` can find the answer after all once the slot is ours.
 */
async function limited(task: JudgeTask, messages: ChatMessage[], opts: CallOptions, lookFirst?: () => Verdict | undefined): Promise<ProviderAnswer> {
  const limiter = task.limiter;
  if (!limiter) {
    opts.onCall();
    const start = performance.now();
    return withLatency(await attemptWithTimeout(task.provider, task, messages, opts), start);
  }
  if (limiter.unreachable) throw limiter.unreachable;
  // Tokens of a call, roughly: prompt characters / 4 plus an answer.
  const level = await limiter.acquire(Math.ceil(messages.reduce((a, m) => a + m.content.length, 0) / 4) + 80, opts.signal);
  try {
    // The endpoint may have been found unreachable while this call waited for its slot.
    if (limiter.unreachable) throw limiter.unreachable;
    const found = lookFirst?.();
    if (found) throw new AnsweredElsewhere(found);
    opts.onCall();
    const start = performance.now();
    const answer = withLatency(await attemptWithTimeout(task.provider, task, messages, opts), start);
    limiter.onSuccess(answer.rateLimit, level);
    return answer;
  } catch (err) {
    if (err instanceof ProviderCallError && err.status === 429) limiter.onRateLimited(level);
    throw limiter.onFailure(err);
  } finally {
    limiter.release();
  }
}

/** The provider's answer with the time it took since `start` (not the wait for a slot) in its usage. */
function withLatency(answer: ProviderAnswer, start: number): ProviderAnswer {
  if (!answer.usage) return answer;
  return { ...answer, usage: { ...answer.usage, latencyMs: Math.round(performance.now() - start) } };
}

/** An answer as the rest of the run sees it: no secret in its text or data (a proxy or a model may echo a key). */
export function redactAnswer(answer: ProviderAnswer, env: NodeJS.ProcessEnv): ProviderAnswer {
  const text = redactSecrets(answer.text, env);
  if (text === answer.text && answer.data === undefined) return answer;
  return { ...answer, text, ...(answer.data !== undefined ? { data: redactDeep(answer.data, env) } : {}) };
}

async function attemptWithTimeout(provider: Provider, task: JudgeTask, messages: ChatMessage[], opts: CallOptions): Promise<ProviderAnswer> {
  // One plain controller per attempt, fed by the run's signal and a timer: AbortSignal.any
  // and AbortSignal.timeout cost several times more CPU per call, which shows at C = 64.
  const controller = new AbortController();
  const signal = controller.signal;
  const onRunAbort = () => controller.abort(opts.signal.reason);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('timeout'));
  }, opts.timeoutMs);
  const unsubscribe = onAbort(opts.signal, onRunAbort);
  try {
    // Race the abort too: a code judge may ignore the signal.
    return redactAnswer(await Promise.race([provider.complete({ item: task.item, messages, signal }), rejectOnAbort(signal)]), opts.env ?? process.env);
  } catch (err) {
    if (timedOut && !opts.signal.aborted) {
      throw new ProviderCallError(`no answer within ${opts.timeoutMs < 1000 ? `${opts.timeoutMs} ms` : `${opts.timeoutMs / 1000} s`}`, true);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    unsubscribe();
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function addUsage(a: Usage | undefined, b: Usage): Usage {
  const sum: Usage = { inputTokens: (a?.inputTokens ?? 0) + b.inputTokens, outputTokens: (a?.outputTokens ?? 0) + b.outputTokens };
  const cached = (a?.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  if (cached) sum.cachedInputTokens = cached;
  if (a?.latencyMs !== undefined || b.latencyMs !== undefined) sum.latencyMs = (a?.latencyMs ?? 0) + (b.latencyMs ?? 0);
  return sum;
}

function withUsage(v: Verdict, usage: Usage | undefined): Verdict {
  if (usage) v.usage = usage;
  return v;
}
