// `--batch`: the uncached model calls of a run go through the providers' batch APIs (about
// half the price, hours not seconds), and their answers fill the verdict cache, so the run
// that follows — and every later one — replays them. Each submitted batch is recorded in
// .judge-cache/batches/ before it is sent and again once accepted; a restarted run polls the
// recorded batch instead of submitting its requests again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VerdictCache } from '../cache/store.js';
import { addSpend, emptySpend } from '../cost/spend.js';
import type { Price } from '../cost/prices.js';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { createProvider, missingCredentials, modelLabel, PROVIDERS } from '../providers/index.js';
import { cacheAnswer, messagesOf, planTask, type JudgeTask } from '../judge/evaluate-item.js';
import { sleep } from '../judge/retry.js';
import * as z from 'zod';
import { ProviderCallError } from '../providers/provider.js';
import { PROVIDER_NAMES, type ResolvedSuite, type Spend } from '../types.js';
import type { BatchApi, BatchEndpoint, BatchRequest } from '../providers/batch-api.js';

export interface BatchRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  timeoutMs: number;
  /** Between two status checks of a running batch. */
  pollMs: number;
  signal: AbortSignal;
  prices: Record<string, Price>;
  log: (line: string) => void;
}

/**
 * A batch as recorded on disk until its results are in the cache: written before the
 * submission (no `id` yet, a `tag` the provider keeps in the batch's metadata where it can)
 * and again once the provider has accepted it.
 */
interface BatchRecord {
  id?: string;
  tag: string;
  endpoint: BatchEndpoint;
  submittedAt: string;
  /** The custom_ids (cache keys) it holds. */
  requests: string[];
}

export interface BatchOutcome {
  /** Batches submitted by this run, and batches of an earlier run collected by it. */
  submitted: number;
  resumed: number;
  requests: number;
  /** Verdicts written to the cache. */
  cached: number;
  /** Requests with no usable answer (the run that follows judges them live). */
  failed: { item: string; judge: string; why: string }[];
  /** What the answers cost at the batch discount. */
  spent: Spend;
}

/** The batch APIs' price: half of the live one, for both providers. */
export const BATCH_DISCOUNT = 0.5;
/** Requests per submitted batch (the APIs take 50,000 / 100,000). */
const MAX_PER_BATCH = 10_000;

interface Pending {
  task: JudgeTask;
  sample: number;
  endpoint: BatchEndpoint;
}

export async function runBatches(suites: readonly ResolvedSuite[], opts: BatchRunOptions): Promise<BatchOutcome> {
  const cache = new VerdictCache(opts.cacheDir);
  const outcome: BatchOutcome = { submitted: 0, resumed: 0, requests: 0, cached: 0, failed: [], spent: emptySpend() };
  try {
    const pending = await uncachedCalls(suites, cache, opts);
    const apis = new Map<string, Promise<BatchApi>>();
    const apiFor: ApiFor = (e) => {
      const k = endpointKey(e);
      if (!apis.has(k)) apis.set(k, PROVIDERS[e.provider].batch!(e, opts.env, opts.timeoutMs));
      return apis.get(k)!;
    };
    const dir = join(opts.cacheDir, 'batches');
    // Only the endpoints of this run's judges (never one written in a record) get the key.
    const ours = new Set([...pending.values()].map((p) => endpointKey(p.endpoint)));
    const active = await resumeRecorded(dir, apiFor, ours, opts);
    outcome.resumed = active.length;
    const recorded = new Set(active.flatMap((r) => r.requests));
    for (const record of await submit([...pending.entries()].filter(([key]) => !recorded.has(key)), dir, apiFor, opts)) {
      active.push(record);
      outcome.submitted++;
    }
    outcome.requests = active.reduce((a, r) => a + r.requests.length, 0);
    await collect(active, pending, dir, apiFor, cache, outcome, opts);
    if (outcome.spent.usd !== null) outcome.spent.usd *= BATCH_DISCOUNT;
    return outcome;
  } finally {
    cache.close();
  }
}

type ApiFor = (endpoint: BatchEndpoint) => Promise<BatchApi>;

const recordFile = (dir: string, r: BatchRecord) => join(dir, `${r.tag}.json`);

/** Every uncached model call of the run, once (suites may share a judge and items), by cache key. */
async function uncachedCalls(suites: readonly ResolvedSuite[], cache: VerdictCache, opts: BatchRunOptions): Promise<Map<string, Pending>> {
  const pending = new Map<string, Pending>();
  for (const suite of suites) {
    const judge = suite.judge;
    if (!PROVIDERS[judge.provider].batch) continue;
    const provider = await createProvider({ judge, env: opts.env, timeoutMs: opts.timeoutMs });
    const endpoint: BatchEndpoint = { provider: judge.provider, ...(judge.baseURL ? { baseURL: judge.baseURL } : {}) };
    const misses: Pending[] = [];
    for (const item of suite.items) {
      const task = planTask(judge, provider, item);
      task.keys.forEach((key, sample) => {
        if (!cache.get(judge.id, key) && !pending.has(key)) misses.push({ task, sample, endpoint });
      });
    }
    if (misses.length === 0) continue;
    const missing = missingCredentials(judge, opts.env);
    if (missing && suite.skipWithoutKey) continue; // the run reports it skipped
    if (missing) throw new ConfigError(`--batch: ${missing}: ${misses.length} call(s) of suite "${suite.name}" are not cached`);
    for (const m of misses) pending.set(m.task.keys[m.sample]!, m);
  }
  return pending;
}

/**
 * Batches an earlier run submitted and did not collect: poll them, never resubmit. A
 * record without an id is a run that stopped mid-submission: the provider is asked for a
 * batch carrying its tag (OpenAI keeps it as metadata); if there is none, the submission
 * never arrived and its requests are submitted again.
 *
 * The records may come from a pull request or a restored CI cache: one that is not well
 * formed is removed with a line naming it (its tag names its file: no path leaves the
 * folder), and one for an endpoint no judge of this run uses is left alone — it is never
 * sent the key.
 */
async function resumeRecorded(dir: string, apiFor: ApiFor, ours: ReadonlySet<string>, opts: BatchRunOptions): Promise<BatchRecord[]> {
  const active: BatchRecord[] = [];
  const shown = (f: string) => relativeTo(opts.cwd, join(dir, f));
  for (const f of existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith('.json')) : []) {
    const r = readRecord(join(dir, f), f);
    if (typeof r === 'string') {
      opts.log(`${shown(f)} is not a valid batch record (${r}): removed`);
      rmSync(join(dir, f), { force: true });
      continue;
    }
    if (!ours.has(endpointKey(r.endpoint))) {
      opts.log(`${shown(f)} is for an endpoint no judge of this run uses: left as it is`);
      continue;
    }
    if (r.id === undefined) {
      const found = await (await apiFor(r.endpoint)).find(r.tag);
      if (found === undefined) {
        opts.log(`an interrupted submission (${r.requests.length} requests) never reached the provider: submitting them again`);
        rmSync(join(dir, f), { force: true });
        continue;
      }
      r.id = found;
      writeFileAtomic(recordFile(dir, r), JSON.stringify(r) + '\n');
    }
    opts.log(`resuming batch ${r.id} (${r.requests.length} requests, submitted ${r.submittedAt})`);
    active.push(r);
  }
  return active;
}

/** A well-formed record, or why it is not. Its file must be `<tag>.json`, the tag 24 hex digits. */
function readRecord(file: string, name: string): BatchRecord | string {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return 'not JSON';
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.') || 'record'}: ${i.message}`).join('; ');
  if (name !== `${parsed.data.tag}.json`) return `its tag ${parsed.data.tag} does not name its file`;
  return parsed.data as BatchRecord;
}

const recordSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'expected a batch id').optional(),
  tag: z.string().regex(/^[0-9a-f]{24}$/, 'expected 24 hex digits'),
  endpoint: z.object({ provider: z.enum(PROVIDER_NAMES), baseURL: z.string().optional() }).strict(),
  submittedAt: z.string(),
  requests: z.array(z.string().regex(/^[0-9a-f]{64}$/, 'expected a cache key')),
});

/** Submit the calls, by endpoint, in batches of at most MAX_PER_BATCH; each recorded before and after its submission. */
async function submit(toSubmit: [string, Pending][], dir: string, apiFor: ApiFor, opts: BatchRunOptions): Promise<BatchRecord[]> {
  const groups = new Map<string, [string, Pending][]>();
  for (const entry of toSubmit) {
    const k = endpointKey(entry[1].endpoint);
    const group = groups.get(k);
    if (group) group.push(entry);
    else groups.set(k, [entry]);
  }
  const submitted: BatchRecord[] = [];
  for (const entries of groups.values()) {
    for (let at = 0; at < entries.length; at += MAX_PER_BATCH) {
      const chunk = entries.slice(at, at + MAX_PER_BATCH);
      const endpoint = chunk[0]![1].endpoint;
      const requests: BatchRequest[] = chunk.map(([customId, p]) => ({ customId, judge: p.task.judge, messages: messagesOf(p.task, p.sample) }));
      const keys = chunk.map(([k]) => k);
      const record: BatchRecord = { tag: createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 24), endpoint, submittedAt: new Date().toISOString(), requests: keys };
      mkdirSync(dir, { recursive: true });
      writeFileAtomic(recordFile(dir, record), JSON.stringify(record) + '\n');
      record.id = await (await apiFor(endpoint)).submit(requests, record.tag);
      writeFileAtomic(recordFile(dir, record), JSON.stringify(record) + '\n');
      submitted.push(record);
      opts.log(`submitted batch ${record.id}: ${requests.length} ${endpoint.provider} requests`);
    }
  }
  return submitted;
}

/** Poll until every batch has ended; collect each as it does into the cache (its record is then removed). */
async function collect(active: BatchRecord[], pending: Map<string, Pending>, dir: string, apiFor: ApiFor, cache: VerdictCache, outcome: BatchOutcome, opts: BatchRunOptions): Promise<void> {
  let open = [...active];
  while (open.length > 0) {
    const still: BatchRecord[] = [];
    let done = 0;
    let total = 0;
    for (const record of open) {
      const api = await apiFor(record.endpoint);
      let s;
      try {
        s = await api.status(record.id!);
      } catch (err) {
        // The provider does not know the batch (expired, another account, a forged record).
        if (!(err instanceof ProviderCallError) || err.status !== 404) throw err;
        opts.log(`batch ${record.id} of ${relativeTo(opts.cwd, recordFile(dir, record))} is unknown to the provider (HTTP 404): record removed`);
        rmSync(recordFile(dir, record), { force: true });
        continue;
      }
      done += s.done + s.failed;
      total += s.total || record.requests.length;
      if (!s.ended) {
        still.push(record);
        continue;
      }
      const results = await api.results(record.id!);
      for (const key of record.requests) {
        const p = pending.get(key);
        if (!p) continue; // a request no suite of this run asks for any more
        const r = results.get(key);
        const why = !r ? `no result (batch ${s.state})` : 'error' in r ? r.error : cacheAnswer(p.task, p.sample, r.answer, cache, opts.env);
        if (r && 'answer' in r && r.answer.usage) addSpend(outcome.spent, r.answer.usage, modelLabel(p.task.judge), opts.prices);
        if (why === null) outcome.cached++;
        else outcome.failed.push({ item: p.task.item.id, judge: p.task.judge.id, why });
      }
      rmSync(recordFile(dir, record), { force: true });
      opts.log(`batch ${record.id} ${s.state}: ${record.requests.length} requests collected`);
    }
    open = still;
    if (open.length === 0) break;
    opts.log(`waiting for ${open.length} batch(es): ${done}/${total} requests done`);
    await sleep(opts.pollMs, opts.signal);
  }
}

const endpointKey = (e: BatchEndpoint) => `${e.provider}|${e.baseURL ?? ''}`;

/** One line for the end of a batch run. */
export function batchSummary(o: BatchOutcome, cwd: string, cacheDir: string): string {
  const parts = [`batch: ${o.requests} request(s) in ${o.submitted} new and ${o.resumed} resumed batch(es); ${o.cached} verdict(s) cached in ${relativeTo(cwd, cacheDir)}`];
  if (o.spent.usd !== null && o.spent.inputTokens + o.spent.outputTokens > 0) parts.push(`$${o.spent.usd.toFixed(4)} at the batch price`);
  if (o.failed.length > 0) parts.push(`${o.failed.length} without a usable answer (judged live now; first: ${o.failed[0]!.judge}/${o.failed[0]!.item}: ${o.failed[0]!.why})`);
  return parts.join('; ');
}
