// Read rows from a .jsonl, .csv or .yaml data file, each with a way to locate its fields.
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { ConfigError, relativeTo } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { checkDepth, parseYamlText, readTextFile, unreadable } from './yaml-source.js';
import { fileLines, MAX_LINE_BYTES, type FileLine } from './read-lines.js';

export interface Row {
  value: Record<string, unknown>;
  locate(path: readonly PropertyKey[]): SourceLocation;
}

// csv-parse is loaded only when a CSV file is read.
const require = createRequire(import.meta.url);

export const DATA_EXTENSIONS = ['.jsonl', '.csv', '.yaml', '.yml'];

export function readRows(file: string, what: string, from?: Partial<SourceLocation>): Row[] {
  return [...eachRow(file, what, from)];
}

/** The rows of a data file, read lazily where the format allows (JSONL). */
export function eachRow(file: string, what: string, from?: Partial<SourceLocation>): Iterable<Row> {
  const ext = extname(file).toLowerCase();
  if (!DATA_EXTENSIONS.includes(ext)) {
    throw new ConfigError(`${what} ${relativeTo(process.cwd(), file)}: expected a .jsonl, .csv or .yaml file, found "${ext || 'no extension'}"`, from);
  }
  if (ext === '.jsonl') return jsonlRows(file, what, from);
  const text = readTextFile(file, what, from);
  if (ext === '.csv') return csvRows(text, file);
  return yamlRows(text, file);
}

/**
 * Rows read lazily, a chunk at a time: a million-row file is never one string, and each row
 * can become an item (and its parsed JSON garbage) before the next is read.
 */
function* jsonlRows(file: string, what: string, from?: Partial<SourceLocation>): Generator<Row> {
  const lines = fileLines(file);
  for (;;) {
    let next: IteratorResult<FileLine>;
    try {
      next = lines.next();
    } catch (err) {
      throw unreadable(err, file, what, from);
    }
    if (next.done) return;
    const { text: line, number, tooLong } = next.value;
    const at: SourceLocation = { file, line: number, column: 1 };
    if (tooLong) throw new ConfigError(`line longer than ${MAX_LINE_BYTES >> 20} MiB: expected one item per line`, at);
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      throw new ConfigError(`invalid JSON line: ${(err as Error).message}`, at);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('expected a JSON object on each line', at);
    }
    checkDepth(value, at);
    yield { value: value as Record<string, unknown>, locate: () => at };
  }
}

/** CSV columns: `labels.<annotator>` become a labels map, `tags` splits on ";", empty cells are missing. */
function csvRows(text: string, file: string): Row[] {
  const { parse: parseCsv } = require('csv-parse/sync') as typeof import('csv-parse/sync');
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: true, info: true, skip_empty_lines: true, bom: true, trim: false });
  } catch (err) {
    const e = err as Error & { lines?: number };
    throw new ConfigError(`invalid CSV: ${e.message}`, { file, line: e.lines ?? 1, column: 1 });
  }
  return records.map(({ record, info }) => {
    const value: Record<string, unknown> = {};
    for (const [col, cell] of Object.entries(record)) {
      if (cell === '') continue;
      const dot = col.indexOf('.');
      if (dot > 0) {
        const group = col.slice(0, dot);
        const inner = (value[group] ??= {}) as Record<string, unknown>;
        inner[col.slice(dot + 1)] = cell;
      } else if (col === 'tags') {
        value.tags = cell.split(';').map((t) => t.trim()).filter(Boolean);
      } else {
        value[col] = cell;
      }
    }
    const columns = Object.keys(record);
    const at = (path: readonly PropertyKey[]): SourceLocation => {
      const col = columns.indexOf(path.map(String).join('.'));
      return { file, line: info.lines, column: col >= 0 ? col + 1 : 1 };
    };
    return { value, locate: at };
  });
}

function yamlRows(text: string, file: string): Row[] {
  const src = parseYamlText(text, file);
  if (!Array.isArray(src.value)) throw new ConfigError('expected a YAML list of rows', src.locate([]));
  return src.value.map((value, i) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ConfigError('expected each entry to be a mapping', src.locate([i]));
    }
    return { value: value as Record<string, unknown>, locate: (path: readonly PropertyKey[]) => src.locate([i, ...path]) };
  });
}
