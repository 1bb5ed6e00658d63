// Turn raw rows into validated items with labels normalized to the judge's scale.
import { ConfigError } from '../errors.js';
import type { Item, Label, Scale } from '../types.js';
import type { Row } from '../io/data-files.js';
import { itemSchema, simpleItem } from './schemas.js';
import { normalizeLabel } from '../scale/scale.js';
import { describeValue, validate } from '../io/yaml-source.js';

/** The annotator name a single `label` is stored under. */
export const SINGLE_ANNOTATOR = 'human';

/**
 * `criterion`: the view of a multi-criteria suite being built — each label is then a map of
 * criterion -> label, and an item nobody labeled on this criterion is left out of the view.
 * Items nobody labeled at all are left out and counted (`unlabeled`).
 */
export function buildItems(rows: Iterable<Row>, scale: Scale, criterion?: string): { items: Item[]; unlabeled: number } {
  let unlabeled = 0;
  // Where each id was first seen (its locator, not its row: rows are let go as items are built).
  const seen = new Map<string, Row['locate']>();
  const pick = (raw: unknown): unknown => {
    if (criterion === undefined) return raw;
    return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>)[criterion] ?? null : raw;
  };
  // Items with the same labels share one frozen labels object: a million items hold a handful
  // of distinct ones (a prototype-less object is a dictionary of ~0.2 KB in V8).
  const sharedLabels = new Map<string, Record<string, Label>>();
  const items: Item[] = [];
  for (const row of rows) {
    const item = buildItem(row);
    if (item) items.push(item);
  }
  return { items, unlabeled };

  function buildItem(row: Row): Item | null {
    const parsed = simpleItem(row.value) ?? validate(itemSchema, row.value, row.locate, 'item');
    const { id, label, labels, notes, tags, consensus, rationale, edge_case: edgeCase, origin, ...fields } = parsed;
    const first = seen.get(id);
    if (first) {
      const was = first(['id']);
      throw new ConfigError(`duplicate item id "${id}" (first defined at line ${was.line})`, row.locate(['id']));
    }
    seen.set(id, row.locate);

    // No prototype: an annotator named "constructor" or "toString" is just a name.
    const normalized: Record<string, Label> = Object.create(null) as Record<string, Label>;
    const rawLabels: Record<string, unknown> = label !== undefined ? { [SINGLE_ANNOTATOR]: label } : (labels ?? {});
    if (criterion !== undefined) {
      const flat = Object.values(rawLabels).find((raw) => raw !== null && typeof raw !== 'object');
      if (flat !== undefined) throw new ConfigError(`item "${id}": the judge has criteria: expected a label per criterion ({${criterion}: ..., ...}), got ${describeValue(flat)}`, row.locate(label !== undefined ? ['label'] : ['labels']));
    }
    for (const [annotator, rawValue] of Object.entries(rawLabels)) {
      const raw = pick(rawValue);
      if (raw === null || raw === undefined) continue; // this annotator did not label the item (on this criterion)
      const n = normalizeLabel(scale, raw);
      if (!n.ok) {
        const path = [...(label !== undefined ? ['label'] : ['labels', annotator]), ...(criterion !== undefined ? [criterion] : [])];
        throw new ConfigError(`item "${id}": label ${describeValue(raw)}${criterion !== undefined ? ` for criterion "${criterion}"` : ''} is not on the judge's scale: expected ${n.expected}`, row.locate(path));
      }
      normalized[annotator] = n.label;
    }
    if (Object.keys(normalized).length === 0) {
      if (Object.values(rawLabels).every((raw) => raw === null || raw === undefined)) unlabeled++;
      return null;
    }
    const labelsKey = JSON.stringify(Object.entries(normalized));
    let shared = sharedLabels.get(labelsKey);
    if (!shared) sharedLabels.set(labelsKey, (shared = Object.freeze(normalized)));
    const item: Item = { id, fields, labels: shared, source: row.locate([]) };
    if (notes !== undefined) item.notes = notes;
    const anchor: NonNullable<Item['anchor']> = {};
    const agreed = pick(consensus);
    if (agreed !== undefined && agreed !== null) {
      const n = normalizeLabel(scale, agreed);
      if (!n.ok) throw new ConfigError(`item "${id}": consensus ${describeValue(agreed)}${criterion !== undefined ? ` for criterion "${criterion}"` : ''} is not on the judge's scale: expected ${n.expected}`, row.locate(['consensus']));
      anchor.consensus = n.label;
    }
    if (rationale !== undefined) anchor.rationale = rationale;
    if (edgeCase !== undefined) anchor.edgeCase = edgeCase;
    if (origin !== undefined) anchor.origin = origin;
    if (Object.keys(anchor).length > 0) item.anchor = anchor;
    if (tags !== undefined) item.tags = tags;
    return item;
  }
}
