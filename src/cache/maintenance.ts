// `judge-test cache stats|prune|clear`: look after the verdict store.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { CacheEntry } from './store.js';

export interface JudgeCacheStats {
  judge: string;
  entries: number;
  bytes: number;
  /** Lines that are not a whole entry (torn writes, merge conflicts). */
  corrupt: number;
  /** Lines whose key another line already has (two processes judged the same item). */
  duplicates: number;
  inputTokens: number;
  outputTokens: number;
}

function judgeFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort() : [];
}

function readLines(file: string): { entries: CacheEntry[]; corrupt: number; duplicates: number } {
  const seen = new Set<string>();
  const entries: CacheEntry[] = [];
  let corrupt = 0;
  let duplicates = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line === '') continue;
    let e: CacheEntry | undefined;
    try {
      e = JSON.parse(line) as CacheEntry;
    } catch {
      e = undefined;
    }
    if (!e || typeof e.key !== 'string' || !e.verdict) corrupt++;
    else if (seen.has(e.key)) duplicates++;
    else (seen.add(e.key), entries.push(e));
  }
  return { entries, corrupt, duplicates };
}

export function cacheStats(dir: string): JudgeCacheStats[] {
  return judgeFiles(dir).map((f) => {
    const file = join(dir, f);
    const { entries, corrupt, duplicates } = readLines(file);
    return {
      judge: f.replace(/\.jsonl$/, ''),
      entries: entries.length,
      bytes: statSync(file).size,
      corrupt,
      duplicates,
      inputTokens: entries.reduce((a, e) => a + (e.usage?.inputTokens ?? 0), 0),
      outputTokens: entries.reduce((a, e) => a + (e.usage?.outputTokens ?? 0), 0),
    };
  });
}

/** Lines and bytes of the other answer stores: optimizer/, embeddings/ (one line an answer), batches/ (one file a pending batch). */
export function otherStoreStats(dir: string): { store: 'optimizer' | 'embeddings' | 'batches'; entries: number; bytes: number }[] {
  const out: { store: 'optimizer' | 'embeddings' | 'batches'; entries: number; bytes: number }[] = [];
  for (const store of ['optimizer', 'embeddings'] as const) {
    const files = judgeFiles(join(dir, store)).map((f) => join(dir, store, f));
    if (files.length === 0) continue;
    const entries = files.reduce((a, f) => a + readFileSync(f, 'utf8').split('\n').filter((l) => l.trim() !== '').length, 0);
    out.push({ store, entries, bytes: files.reduce((a, f) => a + statSync(f).size, 0) });
  }
  const batches = existsSync(join(dir, 'batches')) ? readdirSync(join(dir, 'batches')).filter((f) => f.endsWith('.json')) : [];
  if (batches.length > 0) out.push({ store: 'batches', entries: batches.length, bytes: batches.reduce((a, f) => a + statSync(join(dir, 'batches', f)).size, 0) });
  return out;
}

/**
 * Keep only the entries whose keys `live` holds (what the current suites would ask for),
 * dropping stale, duplicate and corrupt lines; each file is rewritten atomically. Do not
 * prune while a run writes to the same cache: its new lines could be lost.
 */
export function pruneCache(dir: string, live: Map<string, Set<string>>): { judge: string; kept: number; removed: number }[] {
  return judgeFiles(dir).map((f) => {
    const judge = f.replace(/\.jsonl$/, '');
    const file = join(dir, f);
    const { entries, corrupt, duplicates } = readLines(file);
    const keys = live.get(judge) ?? new Set<string>();
    const kept = entries.filter((e) => keys.has(e.key));
    if (kept.length === 0) rmSync(file);
    else writeFileAtomic(file, kept.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return { judge, kept: kept.length, removed: entries.length - kept.length + corrupt + duplicates };
  });
}

/** Delete the whole cache, or one judge's file. */
export function clearCache(dir: string, judge?: string): string[] {
  const files = judgeFiles(dir).filter((f) => judge === undefined || f === `${judge}.jsonl`);
  // The --optimize answers for the same judges (optimizer/<judge>.jsonl) go with them; the
  // rationale similarities (embeddings/<model>.jsonl) belong to no judge: only a full clear.
  const optimizer = judgeFiles(join(dir, 'optimizer'))
    .filter((f) => judge === undefined || f === `${judge}.jsonl`)
    .map((f) => join('optimizer', f));
  const embeddings = judge === undefined ? judgeFiles(join(dir, 'embeddings')).map((f) => join('embeddings', f)) : [];
  for (const f of [...files, ...optimizer, ...embeddings]) rmSync(join(dir, f));
  return [...files, ...optimizer, ...embeddings];
}
