// The verdict store: one append-only JSONL file per judge under .judge-cache/.
// - Crash-safe: each verdict is one line written by one append as soon as it is known,
//   so a crash or kill keeps every finished verdict; a torn last line is skipped.
// - Shareable: several processes may append to the same file (O_APPEND); a key written
//   twice is harmless (the first line wins).
// - Committable: text, existing lines never move, a run only adds lines at the end
//   (mark the files `merge=union` in .gitattributes to merge branches without conflicts).
// - Fast: a judge's file is read once into a Map (100k lines parse in well under a second).
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Label, Usage } from '../types.js';

export interface CacheEntry {
  key: string;
  judge: string;
  model: string;
  item: string;
  sample: number;
  verdict: { label: Label; reason: string; confidence?: number; raw?: string };
  usage?: Usage;
}

export class VerdictCache {
  private readonly loaded = new Map<string, Map<string, CacheEntry>>();
  private readonly fds = new Map<string, number>();

  constructor(
    readonly dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  fileFor(judgeId: string): string {
    return join(this.dir, `${judgeId}.jsonl`);
  }

  get(judgeId: string, key: string): CacheEntry | undefined {
    return this.entries(judgeId).get(key);
  }

  put(entry: CacheEntry): void {
    const map = this.entries(entry.judge);
    if (map.has(entry.key)) return;
    map.set(entry.key, entry);
    const fd = this.appendFd(entry.judge);
    // One write per line: concurrent appenders never interleave within a line.
    writeSync(fd, JSON.stringify(entry) + '\n');
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }

  private entries(judgeId: string): Map<string, CacheEntry> {
    let map = this.loaded.get(judgeId);
    if (!map) {
      map = this.load(this.fileFor(judgeId));
      this.loaded.set(judgeId, map);
    }
    return map;
  }

  private load(file: string): Map<string, CacheEntry> {
    const map = new Map<string, CacheEntry>();
    if (!existsSync(file)) return map;
    const lines = readFileSync(file, 'utf8').split('\n');
    const bad: number[] = [];
    lines.forEach((line, i) => {
      if (line === '') return;
      const entry = parseEntry(line);
      if (!entry) bad.push(i + 1);
      else if (!map.has(entry.key)) map.set(entry.key, entry);
    });
    if (bad.length > 0) {
      this.warn(`${file}: skipped ${bad.length} torn or corrupt cache line(s) (line ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}); those verdicts will be recomputed`);
    }
    return map;
  }

  private appendFd(judgeId: string): number {
    let fd = this.fds.get(judgeId);
    if (fd !== undefined) return fd;
    mkdirSync(this.dir, { recursive: true });
    fd = openSync(this.fileFor(judgeId), 'a+');
    // A crash may have left a torn last line; start ours on a fresh line so it stays intact.
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    this.fds.set(judgeId, fd);
    return fd;
  }
}

function parseEntry(line: string): CacheEntry | undefined {
  let e: unknown;
  try {
    e = JSON.parse(line);
  } catch {
    return undefined;
  }
  const o = e as Partial<CacheEntry> | null;
  if (!o || typeof o.key !== 'string' || typeof o.judge !== 'string' || typeof o.item !== 'string') return undefined;
  const v = o.verdict;
  if (!v || (typeof v.label !== 'string' && typeof v.label !== 'number') || typeof v.reason !== 'string') return undefined;
  return o as CacheEntry;
}
