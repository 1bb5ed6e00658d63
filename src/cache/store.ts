// The verdict store: one append-only JSONL file per judge under .judge-cache/.
// - Crash-safe: each verdict is one whole line, appended at the end of the event-loop turn
//   its answer arrived in (the turn's lines in one write), so a crash or kill keeps every
//   finished verdict; a torn last line is skipped.
// - Shareable: several processes may append to the same file (O_APPEND); a key written
//   twice is harmless (the first line wins).
// - Committable: text, existing lines never move, a run only adds lines at the end
//   (mark the files `merge=union` in .gitattributes to merge branches without conflicts).
// - Fast and small: a judge's file is read once, a chunk at a time, into a Map of what a run
//   needs of each line (a million cached verdicts replay in well under 2 GB).
import { closeSync, existsSync, mkdirSync, openSync, readSync, fstatSync, statSync, writeSync } from 'node:fs';
import { notAFile, readCompleteLines } from '../io/read-lines.js';
import { join } from 'node:path';
import { relativeTo } from '../errors.js';
import { holdForWriting } from './writers.js';
import type { Label, Usage } from '../types.js';

export interface CacheEntry {
  key: string;
  judge: string;
  model: string;
  item: string;
  sample: number;
  /** `labels`: a multi-criteria judge's answer, every criterion's label. */
  verdict: { label: Label; reason: string; labels?: Record<string, Label>; confidence?: number; raw?: string };
  usage?: Usage;
}

/**
 * Append-only JSONL files of keyed entries under one directory: one file per `name`, read
 * once into a Map; the new entries of one event-loop turn appended as whole lines in one write.
 */
export class JsonlStore<T extends { key: string }> {
  private readonly loaded = new Map<string, Map<string, T>>();
  private readonly fds = new Map<string, number>();
  /** Lines put this turn, per file, not yet written (see put). */
  private readonly pending = new Map<string, string>();
  /** Files a write failed on: not written again this run (one warning each). */
  private readonly unwritable = new Set<string>();
  private flushSoon: NodeJS.Immediate | undefined;
  /** Set while a file is open for appending: `cache prune` refuses until close(). */
  private releaseWriting: (() => void) | undefined;
  /** Bytes of each file read so far, and when its tail was last looked at (refresh). */
  private readonly readUpTo = new Map<string, number>();
  private readonly refreshedAt = new Map<string, number>();

  constructor(
    readonly dir: string,
    /** The entry a parsed line holds, or undefined for a line that is not one. */
    private readonly parse: (value: unknown) => T | undefined,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  fileFor(name: string): string {
    return join(this.dir, `${name}.jsonl`);
  }

  get(name: string, key: string): T | undefined {
    return this.entries(name).get(key);
  }

  /**
   * Keep `entry`; the line written is `line` (by default the entry itself). The lines put in
   * one turn of the event loop (answers that arrived together) go out in one write at its
   * end: whole lines only, so concurrent appenders still never interleave within a line.
   */
  put(name: string, entry: T, line: unknown = entry): void {
    const map = this.entries(name);
    if (map.has(entry.key)) return;
    map.set(entry.key, entry);
    if (this.unwritable.has(name)) return;
    this.pending.set(name, (this.pending.get(name) ?? '') + JSON.stringify(line) + '\n');
    this.flushSoon ??= setImmediate(() => this.flush());
  }

  /**
   * Write every pending line now, one write per file. A file that cannot be written (a full
   * disk, no permission, not a regular file) is one warning and is not written again this
   * run: the verdicts stand, they are just not cached.
   */
  flush(): void {
    if (this.flushSoon) clearImmediate(this.flushSoon);
    this.flushSoon = undefined;
    for (const [name, text] of this.pending) {
      try {
        writeSync(this.appendFd(name), text);
      } catch (err) {
        this.unwritable.add(name);
        const code = (err as NodeJS.ErrnoException).code;
        this.warn(`cannot write ${relativeTo(process.cwd(), this.fileFor(name))}: ${code === 'NOT_A_FILE' ? 'not a regular file' : String(code ?? err)}; this run's new verdicts for it are not cached`);
      }
    }
    this.pending.clear();
  }

  close(): void {
    this.flush();
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    this.releaseWriting?.();
    this.releaseWriting = undefined;
  }

  /** Mark this process as a writer now (before its first line): other runs and `cache prune` see it. */
  beginWriting(): void {
    this.releaseWriting ??= holdForWriting(this.dir);
  }

  /**
   * Read the lines another process appended since this one last looked (at most every
   * REFRESH_MS): a run started beside another replays the answers the other has paid for
   * instead of calling again.
   */
  refresh(name: string): void {
    const now = Date.now();
    if (now - (this.refreshedAt.get(name) ?? 0) < REFRESH_MS || !this.loaded.has(name)) return;
    this.refreshedAt.set(name, now);
    const file = this.fileFor(name);
    const from = this.readUpTo.get(name) ?? 0;
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return;
    }
    if (size <= from) return;
    const map = this.loaded.get(name)!;
    // Complete lines only: another writer may be mid-line.
    this.readUpTo.set(name, readCompleteLines(file, from, (line) => {
      const entry = line ? parseLine(line, this.parse) : undefined;
      if (entry && !map.has(entry.key)) map.set(entry.key, entry);
    }));
  }

  private entries(name: string): Map<string, T> {
    let map = this.loaded.get(name);
    if (!map) {
      map = this.load(name);
      this.loaded.set(name, map);
    }
    return map;
  }

  private load(name: string): Map<string, T> {
    const file = this.fileFor(name);
    const map = new Map<string, T>();
    if (!existsSync(file)) return map;
    this.refreshedAt.set(name, Date.now());
    const bad: number[] = [];
    // Undefined: a line too long to read (not an entry either).
    const take = (line: string | undefined, number: number) => {
      if (line === '') return;
      const entry = line === undefined ? undefined : parseLine(line, this.parse);
      if (!entry) bad.push(number);
      else if (!map.has(entry.key)) map.set(entry.key, entry);
    };
    try {
      // A last line without its newline is read too: whole, it counts; torn, it is reported.
      this.readUpTo.set(name, readCompleteLines(file, 0, take, take));
    } catch (err) {
      // Not a file this store can read (a FIFO or a device behind a symlink a pull request
      // added, a directory): nothing is replayed from it, nor written to it.
      const code = (err as NodeJS.ErrnoException).code;
      this.warn(`${relativeTo(process.cwd(), file)}: ${code === 'NOT_A_FILE' ? 'not a regular file' : String(code ?? err)}; ignored, those answers will be recomputed and not cached`);
      this.unwritable.add(name);
      return map;
    }
    if (bad.length > 0) {
      this.warn(`${file}: skipped ${bad.length} torn or corrupt cache line(s) (line ${bad.slice(0, 5).join(', ')}${bad.length > 5 ? ', …' : ''}); those answers will be recomputed`);
    }
    return map;
  }

  private appendFd(name: string): number {
    let fd = this.fds.get(name);
    if (fd !== undefined) return fd;
    mkdirSync(this.dir, { recursive: true });
    this.releaseWriting ??= holdForWriting(this.dir);
    fd = openSync(this.fileFor(name), 'a+');
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      closeSync(fd);
      throw notAFile(this.fileFor(name));
    }
    // A crash may have left a torn last line; start ours on a fresh line so it stays intact.
    const size = stat.size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    this.fds.set(name, fd);
    return fd;
  }
}

/** How often a file's tail is re-read for other processes' lines. */
const REFRESH_MS = 100;

function parseLine<T>(line: string, parse: (value: unknown) => T | undefined): T | undefined {
  try {
    return parse(JSON.parse(line));
  } catch {
    return undefined;
  }
}

/**
 * What a run reads of a cached line. The rest (judge, model, item, sample, the raw answer)
 * stays in the file: a million replayed verdicts need not carry it. One shape for every entry.
 */
export interface CachedVerdict {
  key: string;
  label: Label;
  reason: string;
  /** A multi-criteria judge's answer, every criterion's label. */
  labels: Record<string, Label> | undefined;
  confidence: number | undefined;
  usage: Usage | undefined;
}

/** The verdict cache: one file per judge id. */
export class VerdictCache {
  private readonly store: JsonlStore<CachedVerdict>;
  private readonly distrusted = new Set<string>();

  constructor(
    dir: string,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.store = new JsonlStore(dir, parseEntry, warn);
  }

  /**
   * A cached verdict the run will not use (its label is off the judge's scale: an edited or
   * foreign cache line): a miss, with one warning per judge file.
   */
  distrust(judgeId: string, why: string): void {
    if (this.distrusted.has(judgeId)) return;
    this.distrusted.add(judgeId);
    this.warn(`${relativeTo(process.cwd(), this.fileFor(judgeId))}: ${why}; such verdicts are recomputed`);
  }

  get dir(): string {
    return this.store.dir;
  }

  fileFor(judgeId: string): string {
    return this.store.fileFor(judgeId);
  }

  get(judgeId: string, key: string): CachedVerdict | undefined {
    return this.store.get(judgeId, key);
  }

  /** A run about to call: marked as writing from now on (see JsonlStore.beginWriting). */
  beginWriting(): void {
    this.store.beginWriting();
  }

  /** Take in the verdicts other processes appended meanwhile (see JsonlStore.refresh). */
  refresh(judgeId: string): void {
    this.store.refresh(judgeId);
  }

  put(entry: CacheEntry): void {
    this.store.put(entry.judge, slim(entry), entry);
  }

  /** Write the lines put so far (see JsonlStore.put). */
  flush(): void {
    this.store.flush();
  }

  close(): void {
    this.store.close();
  }
}

function parseEntry(e: unknown): CachedVerdict | undefined {
  const o = e as Partial<CacheEntry> | null;
  if (!o || typeof o.key !== 'string' || typeof o.judge !== 'string' || typeof o.item !== 'string') return undefined;
  const v = o.verdict;
  if (!v || (typeof v.label !== 'string' && typeof v.label !== 'number') || typeof v.reason !== 'string') return undefined;
  return slim(o as CacheEntry);
}

function slim(e: CacheEntry): CachedVerdict {
  const v = e.verdict;
  return { key: e.key, label: v.label, reason: v.reason, labels: v.labels, confidence: v.confidence, usage: e.usage };
}
