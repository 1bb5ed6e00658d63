// Turn raw rows into validated items with labels normalized to the judge's scale.
import { ConfigError } from '../errors.js';
import type { Item, Label, Scale } from '../types.js';
import type { Row } from './data-files.js';
import { itemSchema } from './schemas.js';
import { normalizeLabel } from './scale.js';
import { describeValue, validate } from './yaml-source.js';

/** The annotator name a single `label` is stored under. */
export const SINGLE_ANNOTATOR = 'human';

export function buildItems(rows: Row[], scale: Scale): Item[] {
  const seen = new Map<string, Row>();
  return rows.map((row) => {
    const parsed = validate(itemSchema, row.value, row.locate, 'item');
    const { id, label, labels, notes, tags, consensus, rationale, edge_case: edgeCase, origin, ...fields } = parsed;
    const first = seen.get(id);
    if (first) {
      const was = first.locate(['id']);
      throw new ConfigError(`duplicate item id "${id}" (first defined at line ${was.line})`, row.locate(['id']));
    }
    seen.set(id, row);

    const normalized: Record<string, Label> = {};
    const rawLabels: Record<string, unknown> = label !== undefined ? { [SINGLE_ANNOTATOR]: label } : (labels ?? {});
    for (const [annotator, raw] of Object.entries(rawLabels)) {
      if (raw === null) continue; // this annotator did not label the item
      const n = normalizeLabel(scale, raw);
      if (!n.ok) {
        const path = label !== undefined ? ['label'] : ['labels', annotator];
        throw new ConfigError(`item "${id}": label ${describeValue(raw)} is not on the judge's scale: expected ${n.expected}`, row.locate(path));
      }
      normalized[annotator] = n.label;
    }
    if (Object.keys(normalized).length === 0) {
      throw new ConfigError(`item "${id}": no human label (every annotator's label is empty)`, row.locate(['labels']));
    }
    const item: Item = { id, fields, labels: normalized, source: row.locate([]) };
    if (notes !== undefined) item.notes = notes;
    const anchor: NonNullable<Item['anchor']> = {};
    if (consensus !== undefined) {
      const n = normalizeLabel(scale, consensus);
      if (!n.ok) throw new ConfigError(`item "${id}": consensus ${describeValue(consensus)} is not on the judge's scale: expected ${n.expected}`, row.locate(['consensus']));
      anchor.consensus = n.label;
    }
    if (rationale !== undefined) anchor.rationale = rationale;
    if (edgeCase !== undefined) anchor.edgeCase = edgeCase;
    if (origin !== undefined) anchor.origin = origin;
    if (Object.keys(anchor).length > 0) item.anchor = anchor;
    if (tags !== undefined) item.tags = tags;
    return item;
  });
}
