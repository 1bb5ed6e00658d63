// `judge-test import <file> --suite <name>`: rows of a CSV or JSONL file (a spreadsheet
// export, production logs) become a suite's items file, with columns mapped to item fields.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readRows } from '../io/data-files.js';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';

export interface ImportOptions {
  source: string;
  suite: string;
  /** Item field -> source column; default: the column of the same name. */
  columns: Partial<Record<'id' | 'input' | 'output' | 'expected' | 'context' | 'label' | 'notes', string>>;
  /** Columns holding one annotator's label each (the column name is the annotator's). */
  labelColumns?: string[];
  dir: string;
}

/** Read, map and check every row; write calibration-suites/data/<suite>.jsonl only if all are sound. */
export function importItems(cwd: string, opts: ImportOptions): { file: string; items: number; unlabeled: boolean } {
  const source = resolve(cwd, opts.source);
  const rows = readRows(source, 'import file');
  const col = (field: keyof ImportOptions['columns']) => opts.columns[field] ?? field;
  checkColumnsExist(rows.map((r) => r.value as Record<string, unknown>), opts, source);
  // Outputs nobody has labeled yet (no label column at all, none named): imported with empty
  // labels, to be labeled with `judge-test annotate`.
  const unlabeled = !opts.labelColumns?.length && opts.columns.label === undefined && rows.every((r) => r.value.label === undefined);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const items = rows.map((row, i) => {
    const v = row.value as Record<string, unknown>;
    // CSV columns with a dot were nested by the reader (labels.ann -> {labels: {ann}}): flatten back.
    const get = (name: string) => (name.includes('.') ? (v[name.split('.')[0]!] as Record<string, unknown> | undefined)?.[name.split('.')[1]!] : v[name]);
    const line = row.locate([]).line;
    const id = get(col('id')) ?? String(i + 1);
    const item: Record<string, unknown> = { id: String(id) };
    for (const field of ['input', 'output', 'expected', 'context', 'notes'] as const) {
      const value = get(col(field));
      if (value !== undefined && value !== '') item[field] = value;
    }
    if (opts.labelColumns?.length) {
      const labels = Object.fromEntries(opts.labelColumns.flatMap((c) => (get(c) === undefined || get(c) === '' ? [] : [[c.split('.').pop()!, get(c)]])));
      if (Object.keys(labels).length === 0) problems.push(`line ${line}: no label in ${opts.labelColumns.join(', ')}`);
      item.labels = labels;
    } else if (unlabeled) {
      item.labels = {};
    } else {
      const label = get(col('label'));
      if (label === undefined || label === '') problems.push(`line ${line}: no label (column "${col('label')}")`);
      item.label = label;
    }
    if (item.output === undefined && item.input === undefined) problems.push(`line ${line}: neither input nor output (columns "${col('input')}", "${col('output')}")`);
    const first = seen.get(item.id as string);
    if (first !== undefined) problems.push(`line ${line}: duplicate id "${item.id}" (first at line ${first})`);
    else seen.set(item.id as string, line);
    return item;
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 5).join('; ');
    throw new ConfigError(`import: ${problems.length} problem(s), nothing written: ${shown}${problems.length > 5 ? '; …' : ''}`, { file: source });
  }
  if (!/^[A-Za-z0-9._-]+$/.test(opts.suite)) throw new ConfigError(`import: --suite expects a name of letters, digits, ".", "_" or "-", got "${opts.suite}"`);
  const file = join(resolve(cwd, opts.dir), 'data', `${opts.suite}.jsonl`);
  if (existsSync(file)) throw new ConfigError(`import: ${relativeTo(cwd, file)} already exists; nothing was written (import never overwrites)`);
  writeFileAtomic(file, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  return { file, items: items.length, unlabeled };
}

/** Every column the user named (--id, --input, ..., --labels) is in the file: a typo is an error, not a dropped field. */
function checkColumnsExist(rows: Record<string, unknown>[], opts: ImportOptions, source: string): void {
  // The file's columns, in order; a CSV column with a dot was nested by the reader (labels.ann).
  const columns: string[] = [];
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      const names = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).map((sub) => `${k}.${sub}`) : [k];
      for (const n of names) if (!columns.includes(n)) columns.push(n);
    }
  }
  const named: [string, string][] = [
    ...Object.entries(opts.columns).map(([field, column]) => [column!, `--${field}`] as [string, string]),
    ...(opts.labelColumns ?? []).map((c) => [c, '--labels'] as [string, string]),
  ];
  for (const [column, flag] of named) {
    if (!columns.includes(column)) throw new ConfigError(`import: no column "${column}" (${flag}); the columns are: ${columns.join(', ')}`, { file: source });
  }
}
