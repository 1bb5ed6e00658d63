// `judge-test annotate <suite> --annotator <name>`: a terminal labeling loop. It shows each
// item this annotator has not labeled (never the others' labels or the judge's verdict),
// takes a label on the judge's scale and an optional note, and saves every answer at once,
// atomically, into the suite's JSONL data file: a crash or Ctrl-C loses nothing.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { normalizeLabel, scaleLabels } from '../scale/scale.js';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { withFileLock } from '../io/file-lock.js';
import { printableLines } from '../text/printable.js';
import type { Label, Scale } from '../types.js';

const PAGE = 20; // lines of one field shown before "m" shows more

export interface AnnotateIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export type Row = Record<string, unknown>;

/**
 * The rows of a JSONL items file, and a way to change one row. Each change re-reads the file
 * under a lock and rewrites only that row's line (atomically): another annotator's labels
 * saved meanwhile are kept, and rows nobody touched keep their bytes.
 */
function openItems(dataFile: string, cwd: string): { rows: Row[]; update: (row: Row, change: (current: Row) => void) => void } {
  if (extname(dataFile) !== '.jsonl') throw new ConfigError(`this command writes JSONL data files; the suite's items are in ${relativeTo(cwd, dataFile)}`);
  const rows = readFileSync(dataFile, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Row);
  const update = (row: Row, change: (current: Row) => void) =>
    withFileLock(dataFile, () => {
      const lines = readFileSync(dataFile, 'utf8').split('\n');
      const at = lines.findIndex((l) => l.trim() !== '' && sameId(JSON.parse(l) as Row, row));
      if (at < 0) throw new ConfigError(`item "${String(row.id)}" is no longer in ${relativeTo(cwd, dataFile)}: nothing was saved for it`);
      const current = JSON.parse(lines[at]!) as Row;
      change(current);
      lines[at] = JSON.stringify(current);
      writeFileAtomic(dataFile, lines.join('\n'));
      Object.assign(row, current); // what this session shows next
    });
  return { rows, update };
}

function sameId(a: Row, b: Row): boolean {
  return String(a.id) === String(b.id);
}

/** Line-by-line questions over any stream (a TTY over SSH, or a pipe); null at end of input. */
function asker(io: AnnotateIO): { ask: (prompt: string) => Promise<string | null>; close: () => void } {
  const rl = createInterface({ input: io.input, output: io.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    ask: async (prompt) => {
      io.output.write(prompt);
      const next = await lines.next();
      return next.done ? null : next.value.trim();
    },
    close: () => rl.close(),
  };
}

/** The keys that pick a label: p/f on binary scales, the value on ordinal ones, 1..k for categories. */
function labelKeys(scale: Scale): { choices: Label[]; keys: string[]; help: string } {
  const choices = scaleLabels(scale);
  const keys = scale.kind === 'binary' ? ['p', 'f'] : choices.map((c, i) => String(scale.kind === 'ordinal' ? c : i + 1));
  return { choices, keys, help: choices.map((c, i) => `${keys[i]} = ${c}`).join(', ') };
}

/** The item's fields, a page of lines at a time ("m" shows more). */
async function showItem(row: Record<string, unknown>, out: (s: string) => void, ask: (prompt: string) => Promise<string | null>): Promise<void> {
  for (const field of ['input', 'output', 'expected', 'context']) {
    if (row[field] === undefined) continue;
    const lines = (typeof row[field] === 'string' ? (row[field] as string) : JSON.stringify(row[field])).split('\n');
    out(`${field}:\n  ${lines.slice(0, PAGE).join('\n  ')}\n`);
    for (let shown = PAGE; shown < lines.length; shown += PAGE) {
      if ((await ask(`  … ${lines.length - shown} more lines: m to show, enter to go on > `)) !== 'm') break;
      out(`  ${lines.slice(shown, shown + PAGE).join('\n  ')}\n`);
    }
  }
}

/** Label the suite's unlabeled items as `annotator`; returns how many answers were saved. */
export async function annotate(
  suite: { name: string; scale: Scale },
  annotator: string,
  dataFile: string,
  io: AnnotateIO,
  cwd: string,
  /** The order to show the items to label in (ids; the rest follow in file order); default: file order. */
  order?: (todo: readonly Row[], all: readonly Row[]) => Promise<string[]>,
): Promise<number> {
  const { rows, update } = openItems(dataFile, cwd);
  const scale = suite.scale;
  const { choices, keys, help } = labelKeys(scale);
  let todo = rows.map((_, i) => i).filter((i) => !hasLabel(rows[i]!, annotator));
  if (order) {
    const rank = new Map((await order(todo.map((i) => rows[i]!), rows)).map((id, r) => [id, r]));
    todo = [...todo].sort((a, b) => (rank.get(String(rows[a]!.id)) ?? Infinity) - (rank.get(String(rows[b]!.id)) ?? Infinity) || a - b);
  }
  // Item text is shown, never obeyed: no escape sequence or CR from a data file reaches the terminal.
  const out = (s: string) => io.output.write(printableLines(s));
  const { ask, close } = asker(io);
  out(`Annotating "${suite.name}" as ${annotator}: ${todo.length} item(s) to label. Keys: ${help}; s skip, b back, q quit.\n`);
  let saved = 0;
  let k = 0;
  try {
    while (k < todo.length) {
      const row = rows[todo[k]!]!;
      out(`\n── ${k + 1}/${todo.length} · ${String(row.id)} ──\n`);
      await showItem(row, out, ask);
      const answer = await ask(`label (${help}; s, b, q) > `);
      if (answer === null || answer === 'q') break;
      if (answer === 's') {
        k++;
        continue;
      }
      if (answer === 'b') {
        k = Math.max(0, k - 1);
        continue;
      }
      const index = keys.indexOf(answer);
      const label: Label | undefined = index >= 0 ? choices[index] : normalizeOrUndefined(scale, answer);
      if (label === undefined) {
        out(`  "${answer}" is not one of: ${help}\n`);
        continue;
      }
      // The label is saved as soon as it is given; the note, if any, after it.
      update(row, (current) => setLabel(current, annotator, label));
      saved++;
      const note = await ask('note (enter for none) > ');
      if (note) update(row, (current) => setNote(current, annotator, note));
      k++;
    }
  } finally {
    close();
  }
  out(`\nSaved ${saved} answer(s) to ${relativeTo(cwd, dataFile)}.\n`);
  return saved;
}

/**
 * `agreement --resolve`: walk the items the annotators disagree on (and that have no agreed
 * label yet), showing everyone's labels and notes, and record the consensus and its
 * rationale in the item — saved at once, as in annotate.
 */
export async function resolveDisputes(suite: { name: string; scale: Scale }, dataFile: string, io: AnnotateIO, cwd: string): Promise<number> {
  const { rows, update } = openItems(dataFile, cwd);
  const { choices, keys, help } = labelKeys(suite.scale);
  const disputed = rows.filter((r) => {
    const values = Object.values((r.labels as Record<string, unknown> | undefined) ?? {}).filter((v) => v !== null);
    return r.consensus === undefined && new Set(values.map(String)).size > 1;
  });
  // Item text is shown, never obeyed: no escape sequence or CR from a data file reaches the terminal.
  const out = (s: string) => io.output.write(printableLines(s));
  const { ask, close } = asker(io);
  out(`Resolving "${suite.name}": ${disputed.length} disputed item(s). Keys: ${help}; s skip, q quit.\n`);
  let saved = 0;
  try {
    for (const [k, row] of disputed.entries()) {
      out(`\n── ${k + 1}/${disputed.length} · ${String(row.id)} ──\n`);
      await showItem(row, out, ask);
      out(`labels: ${Object.entries(row.labels as Record<string, unknown>).map(([a, l]) => `${a} ${String(l)}`).join(', ')}\n`);
      const notes = row.annotator_notes as Record<string, string> | undefined;
      if (notes) out(`notes: ${Object.entries(notes).map(([a, n]) => `${a}: ${n}`).join('; ')}\n`);
      let answer = await ask(`consensus (${help}; s, q) > `);
      while (answer !== null && answer !== 'q' && answer !== 's' && !keys.includes(answer)) {
        answer = await ask(`  "${answer}" is not one of: ${help} > `);
      }
      if (answer === null || answer === 'q') break;
      if (answer === 's') continue;
      const consensus = choices[keys.indexOf(answer)];
      update(row, (current) => (current.consensus = consensus));
      saved++;
      const rationale = await ask('rationale > ');
      if (rationale) update(row, (current) => (current.rationale = rationale));
    }
  } finally {
    close();
  }
  out(`\nRecorded ${saved} consensus label(s) in ${relativeTo(cwd, dataFile)}.\n`);
  return saved;
}

function normalizeOrUndefined(scale: Scale, answer: string): Label | undefined {
  const n = normalizeLabel(scale, answer);
  return n.ok ? n.label : undefined;
}

function hasLabel(row: Record<string, unknown>, annotator: string): boolean {
  const labels = row.labels as Record<string, unknown> | undefined;
  return labels?.[annotator] !== undefined && labels[annotator] !== null;
}

/** Store the label under the annotator's name (a single `label` becomes `labels: {human: …}`). */
function setLabel(row: Row, annotator: string, label: Label): void {
  const labels = (row.labels as Record<string, unknown> | undefined) ?? (row.label !== undefined ? { human: row.label } : {});
  delete row.label;
  labels[annotator] = label;
  row.labels = labels;
}

function setNote(row: Row, annotator: string, note: string): void {
  row.annotator_notes = { ...((row.annotator_notes as Record<string, string> | undefined) ?? {}), [annotator]: note };
}
