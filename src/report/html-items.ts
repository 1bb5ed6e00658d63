// The HTML report's items: what each item carries to the page (as JSON, rendered by the page
// script a page at a time, so 10,000 items open as fast as 100), grouped by kind, the
// judge's mistakes first. The page script only ever sets textContent: item text is data.
import type { ItemResult, Label, SuiteResult } from '../types.js';
import { labelText } from './format.js';

/** Kinds of items, in the order the page lists them: what counts against the judge first. */
export const KIND_NAMES = {
  fp: 'False positive',
  fn: 'False negative',
  over: 'Over-scored',
  under: 'Under-scored',
  disagree: 'Disagreement',
  unparseable: 'Unparseable',
  error: 'Error',
  tie: 'Annotators tie',
  sample_tie: 'Samples tie',
  agree: 'Agrees',
} as const;
export type Kind = keyof typeof KIND_NAMES;
const ORDER = Object.keys(KIND_NAMES) as Kind[];

/** One item on the page. Short keys: a 10,000-item report is mostly this. */
export interface ItemData {
  id: string;
  k: Kind;
  /** Ordinal: how many scale points apart the judge and the humans are. */
  d?: number;
  /** The humans' label (consensus). */
  h: string;
  /** Every annotator: name, label, note. */
  a: [string, string, string][];
  /** Notes, rationale, edge case. */
  n?: string;
  r?: string;
  e?: string;
  /** The judge: verdict (or status), reason (or error), confidence, share of samples that disagree. */
  j: string;
  why?: string;
  c?: number;
  fr?: number;
  /** The item's text fields: input, output, expected, context, as given. */
  f: [string, string][];
  /** Row and column in the confusion matrix, when the item is counted there. */
  x?: [number, number];
}

const TEXT_FIELDS = ['input', 'output', 'expected', 'context'];

export function kindOf(r: ItemResult, ordinal: boolean): Kind {
  switch (r.outcome) {
    case 'FP':
      return 'fp';
    case 'FN':
      return 'fn';
    case 'disagree':
      if (!ordinal) return 'disagree';
      return Number(r.verdict.label) > Number(r.human) ? 'over' : 'under';
    case 'unparseable':
      return 'unparseable';
    case 'error':
      return 'error';
    case 'no_consensus':
      return r.human === null ? 'tie' : 'sample_tie';
    default:
      return 'agree';
  }
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A suite's items for the page, the judge's mistakes first (ordinal ones largest first), then in file order. */
export function itemsData(r: SuiteResult): ItemData[] {
  const ordinal = r.suite.judge.scale.kind === 'ordinal';
  const index = new Map<string, number>(r.confusion.labels.map((l: Label, i: number) => [String(l), i]));
  const notesBy = (r: ItemResult) => (typeof r.item.fields.annotator_notes === 'object' && r.item.fields.annotator_notes !== null ? (r.item.fields.annotator_notes as Record<string, unknown>) : {});
  const out = r.items.map((it, position) => {
    const k = kindOf(it, ordinal);
    const d: ItemData = {
      id: it.item.id,
      k,
      h: labelText(it.human),
      a: Object.entries(it.item.labels).map(([who, l]) => [who, String(l), text(notesBy(it)[who] ?? '')]),
      j: it.verdict.status === 'ok' ? labelText(it.verdict.label) : it.verdict.status,
      f: TEXT_FIELDS.filter((f) => it.item.fields[f] !== undefined).map((f) => [f, text(it.item.fields[f])]),
    };
    if (k === 'over' || k === 'under') d.d = Math.abs(Number(it.verdict.label) - Number(it.human));
    if (it.item.notes) d.n = it.item.notes;
    if (it.item.anchor?.rationale) d.r = it.item.anchor.rationale;
    if (it.item.anchor?.edgeCase) d.e = it.item.anchor.edgeCase;
    const why = it.verdict.reason || it.verdict.error;
    if (why) d.why = why;
    if (it.verdict.confidence !== undefined) d.c = it.verdict.confidence;
    if (it.verdict.flipRate !== undefined) d.fr = it.verdict.flipRate;
    const h = it.human === null ? undefined : index.get(String(it.human));
    const j = it.verdict.status === 'ok' && it.verdict.label !== null ? index.get(String(it.verdict.label)) : undefined;
    if (h !== undefined && j !== undefined && it.verdict.status === 'ok') d.x = [h, j];
    return { d, position };
  });
  out.sort((a, b) => ORDER.indexOf(a.d.k) - ORDER.indexOf(b.d.k) || (b.d.d ?? 0) - (a.d.d ?? 0) || a.position - b.position);
  return out.map((o) => o.d);
}

/** JSON that can sit inside a <script> element: nothing in it can close the element or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Counts per kind present, in page order. */
export function kindCounts(items: readonly ItemData[]): [Kind, number][] {
  const counts = new Map<Kind, number>();
  for (const it of items) counts.set(it.k, (counts.get(it.k) ?? 0) + 1);
  return ORDER.filter((k) => counts.has(k)).map((k) => [k, counts.get(k)!]);
}
