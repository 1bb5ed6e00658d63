// Where the judge and the humans part ways on dev: the raw material of every rewrite.
import type { Item, ItemResult, Label, MisalignmentKind } from '../types.js';

export interface Misalignment {
  item: Item;
  kind: MisalignmentKind;
  human: Label;
  /** The judge's verdict (null: it could not be read). */
  judge: Label | null;
  /** Ordinal scales: judge − human. */
  distance?: number;
  /** What the judge said, and what the humans wrote (notes, annotators' notes, anchor rationale). */
  reason: string;
  humanNotes: string;
}

/**
 * False positives and false negatives (binary), disagreements (categorical), and over- and
 * under-scorings ordered by size (ordinal), then unreadable answers. Items without a human
 * consensus or with a provider error say nothing about the rubric and are left out.
 */
export function findMisalignments(results: readonly ItemResult[]): Misalignment[] {
  const out: Misalignment[] = [];
  for (const r of results) {
    if (r.human === null || r.verdict.status === 'error') continue;
    const base = { item: r.item, human: r.human, judge: r.verdict.label, reason: r.verdict.reason, humanNotes: humanNotes(r.item) };
    if (r.verdict.status === 'unparseable') out.push({ ...base, kind: 'unparseable', reason: r.verdict.error ?? '' });
    else if (r.outcome === 'FP') out.push({ ...base, kind: 'false_positive' });
    else if (r.outcome === 'FN') out.push({ ...base, kind: 'false_negative' });
    else if (r.outcome === 'disagree') {
      if (typeof r.human === 'number' && typeof r.verdict.label === 'number') {
        const distance = r.verdict.label - r.human;
        out.push({ ...base, kind: distance > 0 ? 'over_scored' : 'under_scored', distance });
      } else out.push({ ...base, kind: 'confused' });
    }
  }
  // The largest errors first; ties keep the suite's order.
  const size = (m: Misalignment) => (m.kind === 'unparseable' ? -1 : Math.abs(m.distance ?? 1));
  return out.map((m, i) => [m, i] as const).sort(([a, i], [b, j]) => size(b) - size(a) || i - j).map(([m]) => m);
}

export function humanNotes(item: Item): string {
  const notes = [item.notes, item.anchor?.rationale, ...Object.entries(annotatorNotes(item)).map(([who, n]) => `${who}: ${n}`)];
  return notes.filter((n): n is string => typeof n === 'string' && n.trim() !== '').join(' | ');
}

function annotatorNotes(item: Item): Record<string, string> {
  const notes = item.fields.annotator_notes;
  if (!notes || typeof notes !== 'object') return {};
  return Object.fromEntries(Object.entries(notes as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Counts per kind, for the report. */
export function countKinds(ms: readonly Misalignment[]): Partial<Record<MisalignmentKind, number>> {
  const counts: Partial<Record<MisalignmentKind, number>> = {};
  for (const m of ms) counts[m.kind] = (counts[m.kind] ?? 0) + 1;
  return counts;
}
