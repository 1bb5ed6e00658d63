// Label Studio round trip. Export: a suite's items as Label Studio tasks, with a labeling
// config for the judge's scale (choices, a rating, or A/B for pairs) and a notes box. Import:
// Label Studio's JSON export back into the suite's items file — one annotator per user who
// completed an annotation, their label and note — merged by id, never losing a label already
// there, rows nobody touched kept byte for byte. The export file may come from anyone: it is
// validated, and a bad one changes nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError, relativeTo } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Item, Scale } from '../types.js';

const TEXT_FIELDS = ['input', 'output', 'output_a', 'output_b', 'expected', 'context'] as const;

/** Escape text for an XML attribute. */
function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** The labeling config: the item's text fields, the label control for the scale (name "label"), and a notes box (name "notes"). */
export function labelingConfig(scale: Scale, fields: readonly string[]): string {
  const shown = TEXT_FIELDS.filter((f) => fields.includes(f));
  const target = shown.includes('output') ? 'output' : shown.includes('output_a') ? 'output_a' : (shown[0] ?? 'input');
  const texts = shown.map((f) => `  <Header value="${attr(f)}"/>\n  <Text name="${f}" value="$${f}"/>`);
  let control: string;
  if (scale.kind === 'ordinal' && scale.min === 1) control = `  <Rating name="label" toName="${target}" maxRating="${scale.max}" required="true"/>`;
  else {
    const values = scale.kind === 'binary' ? ['pass', 'fail'] : scale.kind === 'ordinal' ? Array.from({ length: scale.max - scale.min + 1 }, (_, i) => String(scale.min + i)) : scale.labels;
    control = `  <Choices name="label" toName="${target}" choice="single" required="true" showInLine="true">\n${values.map((v) => `    <Choice value="${attr(v)}"/>`).join('\n')}\n  </Choices>`;
  }
  return `<View>\n${texts.join('\n')}\n${control}\n  <TextArea name="notes" toName="${target}" placeholder="Why? (optional)" rows="2" maxSubmissions="1"/>\n</View>\n`;
}

/** The suite's items as Label Studio tasks: the text fields and the item id under `data`. */
export function labelStudioTasks(items: readonly Item[]): { data: Record<string, unknown> }[] {
  return items.map((it) => ({ data: { id: it.id, ...Object.fromEntries(TEXT_FIELDS.filter((f) => it.fields[f] !== undefined).map((f) => [f, typeof it.fields[f] === 'string' ? it.fields[f] : JSON.stringify(it.fields[f])])) } }));
}

// Label Studio's JSON export: tasks with their annotations (https://labelstud.io/guide/export#Label-Studio-JSON-format-of-annotated-tasks).
const resultSchema = z.object({
  from_name: z.string(),
  type: z.string(),
  value: z.object({ choices: z.array(z.string()).optional(), rating: z.number().optional(), text: z.union([z.array(z.string()), z.string()]).optional() }).loose(),
}).loose();
const exportSchema = z.array(
  z.object({
    id: z.union([z.number(), z.string()]).optional(),
    data: z.record(z.string(), z.unknown()),
    annotations: z
      .array(
        z.object({
          completed_by: z.union([z.number(), z.string(), z.object({ id: z.number().optional(), email: z.string().optional() }).loose()]).optional(),
          was_cancelled: z.boolean().optional(),
          result: z.array(resultSchema).default([]),
        }).loose(),
      )
      .default([]),
  }).loose(),
);

/** "ls-12", or the user's email when the export carries it: one annotator per Label Studio user. */
function annotatorOf(by: unknown): string {
  if (typeof by === 'number' || typeof by === 'string') return `ls-${by}`;
  const o = by as { id?: number; email?: string } | undefined;
  return o?.email ?? (o?.id !== undefined ? `ls-${o.id}` : 'ls-unknown');
}

export interface LabelStudioImport {
  file: string;
  /** Items added, items that got new or changed labels, annotations read. */
  added: number;
  updated: number;
  annotations: number;
}

/**
 * Merge a Label Studio export into calibration-suites/data/<suite>.jsonl: each completed
 * annotation sets its user's label (and note) on the item with that id; items the file did
 * not have are added with their text fields.
 */
export function importLabelStudio(cwd: string, opts: { source: string; suite: string; dir: string }): LabelStudioImport {
  const source = resolve(cwd, opts.source);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(source, 'utf8'));
  } catch (err) {
    throw new ConfigError(`import: not a Label Studio JSON export: ${(err as Error).message.split('\n')[0]}`, { file: source });
  }
  const parsed = exportSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`import: not a Label Studio JSON export (at ${issue.path.join('.') || 'the top'}: ${issue.message})`, { file: source });
  }
  if (!/^[A-Za-z0-9._-]+$/.test(opts.suite)) throw new ConfigError(`import: --suite expects a name of letters, digits, ".", "_" or "-", got "${opts.suite}"`);
  const file = join(resolve(cwd, opts.dir), 'data', `${opts.suite}.jsonl`);
  // The items file as it is: each line kept as text unless its item changes.
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '') : [];
  const rows = lines.map((text, i) => {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new ConfigError(`import: line ${i + 1} is not JSON; fix it first (nothing was written)`, { file, line: i + 1 });
    }
    return { text, value, changed: false };
  });
  const byId = new Map(rows.map((r) => [String(r.value.id), r]));
  const problems: string[] = [];
  let added = 0;
  let annotations = 0;
  for (const [t, task] of parsed.data.entries()) {
    const id = task.data.id !== undefined ? String(task.data.id) : task.id !== undefined ? String(task.id) : undefined;
    if (id === undefined) {
      problems.push(`task ${t + 1}: no id (data.id)`);
      continue;
    }
    let row = byId.get(id);
    const done = task.annotations.filter((a) => !a.was_cancelled && a.result.length > 0);
    if (!row) {
      if (done.length === 0) continue;
      const fields = Object.fromEntries(TEXT_FIELDS.filter((f) => task.data[f] !== undefined).map((f) => [f, task.data[f]]));
      row = { text: '', value: { id, ...fields, labels: {} }, changed: true };
      rows.push(row);
      byId.set(id, row);
      added++;
    }
    for (const a of done) {
      const label = a.result.find((r) => r.from_name === 'label');
      const value = label?.value.choices?.[0] ?? label?.value.rating;
      if (value === undefined) {
        problems.push(`task ${t + 1} (item "${id}"): an annotation without a "label" choice or rating`);
        continue;
      }
      const note = a.result.find((r) => r.from_name === 'notes')?.value.text;
      const who = annotatorOf(a.completed_by);
      const v = row.value;
      // A single `label` is the annotator "human": it becomes one of several.
      const labels = { ...(v.label !== undefined ? { human: v.label } : {}), ...((v.labels as Record<string, unknown> | undefined) ?? {}) };
      delete v.label;
      v.labels = { ...labels, [who]: value };
      const text = Array.isArray(note) ? note.join('\n') : note;
      if (text) v.annotator_notes = { ...((v.annotator_notes as Record<string, string> | undefined) ?? {}), [who]: text };
      row.changed = true;
      annotations++;
    }
  }
  if (problems.length > 0) throw new ConfigError(`import: ${problems.length} problem(s), nothing written: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`, { file: source });
  writeFileAtomic(file, rows.map((r) => (r.changed ? JSON.stringify(r.value) : r.text)).join('\n') + '\n');
  return { file, added, updated: rows.filter((r) => r.changed).length - added, annotations };
}

export function describeImport(r: LabelStudioImport, cwd: string): string {
  return `Merged ${r.annotations} annotation(s) into ${relativeTo(cwd, r.file)}: ${r.added} item(s) added, ${r.updated} updated`;
}
