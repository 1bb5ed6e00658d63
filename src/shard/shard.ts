// --shard i/n: a deterministic split of every suite's items across CI machines. An item's
// shard is a hash of its suite's path and its id, so every machine agrees, the split stays
// even for one huge suite, and an item keeps its shard when others are added.
import { hash } from 'node:crypto';
import { relativeTo } from '../errors.js';
import type { ResolvedSuite } from '../types.js';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index >= 1 && count >= 1 && index <= count ? { index, count } : null;
}

export function shardOf(suiteFile: string, itemId: string, count: number): number {
  const h = hash('sha256', `${suiteFile}\0${itemId}`, 'buffer');
  return (h.readUInt32BE(0) % count) + 1;
}

/**
 * This shard's part of each suite, with no thresholds: a shard holds part of the items, so
 * it cannot gate; `--merge-reports` scores the whole suite and applies them.
 */
export function shardSuites(suites: ResolvedSuite[], shard: Shard, cwd: string): ResolvedSuite[] {
  return suites.flatMap((s) => {
    const file = relativeTo(cwd, s.file);
    const items = s.items.filter((it) => shardOf(file, it.id, shard.count) === shard.index);
    return items.length ? [{ ...s, items, thresholds: [], slices: {} }] : [];
  });
}

/**
 * What a sharded run judges as a whole: the suite files, and a fingerprint of every suite's
 * name and item ids. Each shard's blob carries it, so a merge can tell a missing shard, a
 * shard given twice, and a blob of another run (the suites changed in between).
 */
export function runFingerprint(suites: readonly ResolvedSuite[], cwd: string): { fingerprint: string; files: string[] } {
  const loaded = suites.filter((s) => !s.loadError);
  const files = [...new Set(loaded.map((s) => relativeTo(cwd, s.file)))].sort();
  const parts = loaded.map((s) => [relativeTo(cwd, s.file), s.name, s.items.map((i) => i.id).sort()]);
  parts.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  return { fingerprint: hash('sha256', JSON.stringify(parts)).slice(0, 16), files };
}
