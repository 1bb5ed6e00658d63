// What the optimizer model is asked, and how its answers are checked. Every item that
// reaches a prompt passes DevOnly: a holdout item in an optimizer prompt is a bug, not a
// configuration, so it throws.
import * as z from 'zod';
import type { ChatMessage } from '../types.js';
import type { Item, Label, ResolvedJudge, Scale, Theme, ThresholdOutcome } from '../types.js';
import type { Misalignment } from './misalignments.js';


/** The dev items: the only ones an optimizer prompt may show. */
export class DevOnly {
  private readonly ids: Set<string>;
  constructor(dev: readonly Item[]) {
    this.ids = new Set(dev.map((i) => i.id));
  }
  has(id: string): boolean {
    return this.ids.has(id);
  }
  check(items: readonly Item[]): void {
    const leak = items.find((i) => !this.ids.has(i.id));
    if (leak) throw new Error(`item "${leak.id}" is not in the dev split: the holdout is never shown to the optimizer`);
  }
}

/** One item as the optimizer sees it: the judged text, the humans' label and notes, and the judge's answer. */
export interface ShownItem {
  item: Item;
  human: Label;
  judge: Label | null;
  reason: string;
  humanNotes: string;
  kind?: Misalignment['kind'];
}

const TEXT_FIELDS = ['input', 'output', 'expected', 'context'] as const;
const MAX_FIELD = 1200;

function clip(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD)}… [${s.length - MAX_FIELD} more characters]` : s;
}

function shownText(s: ShownItem): string {
  const lines = [`### item ${JSON.stringify(s.item.id)}${s.kind ? ` — ${s.kind.replace('_', ' ')}` : ''}`];
  for (const f of TEXT_FIELDS) if (s.item.fields[f] !== undefined) lines.push(`${f}: ${clip(s.item.fields[f])}`);
  lines.push(`human label: ${JSON.stringify(s.human)}; judge verdict: ${s.judge === null ? 'unreadable' : JSON.stringify(s.judge)}`);
  if (s.reason) lines.push(`judge's reason: ${clip(s.reason)}`);
  if (s.humanNotes) lines.push(`human notes: ${clip(s.humanNotes)}`);
  return lines.join('\n');
}

function scaleText(scale: Scale): string {
  if (scale.kind === 'binary') return 'binary: "pass" or "fail"';
  if (scale.kind === 'ordinal') return `ordinal: integers ${scale.min} to ${scale.max}`;
  return `categorical: ${scale.labels.map((l) => JSON.stringify(l)).join(', ')}`;
}

export function thresholdText(t: ThresholdOutcome): string {
  const value = t.actual ?? t.estimate;
  const ci = t.ci ? ` [${t.ci[0].toFixed(3)}, ${t.ci[1].toFixed(3)}]` : '';
  const goal = t.op === 'max_drop' ? `may drop at most ${t.target} from its baseline` : t.op === 'drift' ? `may drop at most ${t.target} from its mean over recent runs` : `${t.on === 'estimate' ? '' : `${t.on} `}${t.op} ${t.target}`;
  return `${t.slice ? `[items tagged ${t.slice}] ` : ''}${t.metric} ${goal}: now ${value === null ? 'undefined' : value.toFixed(3)}${ci} (${t.status})`;
}

// ---- pattern discovery -------------------------------------------------------------

export const MAX_THEMES = 5;

export const themesSchema = {
  type: 'object',
  properties: {
    themes: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, description: { type: 'string' }, items: { type: 'array', items: { type: 'string' } } },
        required: ['name', 'description', 'items'],
        additionalProperties: false,
      },
    },
  },
  required: ['themes'],
  additionalProperties: false,
};

const themesAnswer = z.object({ themes: z.array(z.object({ name: z.string().min(1), description: z.string(), items: z.array(z.union([z.string(), z.number()]).transform(String)) })) });

export function themesPrompt(judge: ResolvedJudge, shown: readonly ShownItem[], dev: DevOnly): ChatMessage[] {
  dev.check(shown.map((s) => s.item));
  return [
    {
      role: 'system',
      content: [
        'You study where an LLM judge disagrees with human graders, to find what its rubric gets wrong.',
        `Group the disagreements you are given into at most ${MAX_THEMES} themes. Name each theme in a few words as the judge's mistake (for example "ignores missing citations", "penalizes brevity"), describe it in one sentence, and list the ids of the items that show it. An item belongs to at most one theme; leave out items that fit no theme.`,
        'Answer with a JSON object {"themes": [{"name": "...", "description": "...", "items": ["<id>", ...]}]} and nothing else.',
      ].join('\n\n'),
    },
    {
      role: 'user',
      content: [`Rubric:\n${judge.rubric.trim()}`, `Scale: ${scaleText(judge.scale)}`, `Disagreements (${shown.length}):`, ...shown.map(shownText)].join('\n\n'),
    },
  ];
}

/** The themes, keeping only ids of the items shown (a model may invent some) and non-empty themes. */
export function readThemes(data: unknown, shown: readonly ShownItem[]): Theme[] {
  const ids = new Set(shown.map((s) => s.item.id));
  const seen = new Set<string>();
  const themes: Theme[] = [];
  for (const t of themesAnswer.parse(data).themes.slice(0, MAX_THEMES)) {
    const items = [...new Set(t.items)].filter((id) => ids.has(id) && !seen.has(id));
    items.forEach((id) => seen.add(id));
    if (items.length > 0) themes.push({ name: t.name.trim(), description: t.description.trim(), items });
  }
  return themes.sort((a, b) => b.items.length - a.items.length);
}

// ---- candidate generation ----------------------------------------------------------

export const candidatesSchema = {
  type: 'object',
  properties: {
    candidates: {
      type: 'array',
      items: {
        type: 'object',
        properties: { rubric: { type: 'string' }, examples: { type: 'array', items: { type: 'string' } }, rationale: { type: 'string' } },
        required: ['rubric', 'examples', 'rationale'],
        additionalProperties: false,
      },
    },
  },
  required: ['candidates'],
  additionalProperties: false,
};

export interface ProposedCandidate {
  rubric: string;
  /** Ids of shown items to add as few-shot examples (with the humans' label). */
  examples: string[];
  rationale: string;
}

const candidatesAnswer = z.object({
  candidates: z
    .array(z.object({ rubric: z.string().trim().min(1), examples: z.array(z.union([z.string(), z.number()]).transform(String)).default([]), rationale: z.string().default('') }))
    .min(1),
});

/** A candidate not accepted: its rubric, why, and dev items it judged wrong that the rubric it was to replace judged right. */
export interface RejectedCandidate {
  rubric: string;
  reason: string;
  broke: readonly ShownItem[];
}

function rejectedText(c: RejectedCandidate): string {
  const rubric = JSON.stringify(c.rubric.length > 300 ? c.rubric.slice(0, 300) + '…' : c.rubric);
  const broke = c.broke.map((s) => shownText({ ...s, kind: undefined }).replace(/^### /, '#### ').replace('judge verdict:', "this candidate's verdict:").replace("judge's reason:", "this candidate's reason:"));
  return [`- ${rubric}: ${c.reason}`, ...(broke.length > 0 ? [`  It got these right before wrong:\n\n${broke.join('\n\n')}`] : [])].join('\n');
}

export interface CandidateRequest {
  judge: ResolvedJudge;
  failing: readonly ThresholdOutcome[];
  themes: readonly Theme[];
  shown: readonly ShownItem[];
  /** Earlier candidates that were not accepted, why, and what each broke: the next round should not repeat them. */
  rejected: readonly RejectedCandidate[];
  /** The Pareto set so far: candidates each best on some threshold on dev, to combine. */
  promising?: readonly { id: string; rubric: string; bestOn: readonly string[] }[];
  count: number;
  maxExamples: number;
  round: number;
  rounds: number;
}

export function candidatesPrompt(r: CandidateRequest, dev: DevOnly): ChatMessage[] {
  dev.check([...r.shown, ...r.rejected.flatMap((c) => c.broke)].map((s) => s.item));
  const parts = [
    `Current rubric:\n${r.judge.rubric.trim()}`,
    `Scale: ${scaleText(r.judge.scale)}`,
    `Thresholds not met on the development items:\n${r.failing.map((t) => `- ${thresholdText(t)}`).join('\n')}`,
  ];
  if (r.judge.examples.length > 0) parts.push(`The judge also has ${r.judge.examples.length} few-shot example(s); a candidate that names examples replaces them.`);
  if (r.themes.length > 0) {
    parts.push(`Themes of the disagreements:\n${r.themes.map((t, i) => `${i + 1}. ${t.name} (${t.items.length} items): ${t.description}`).join('\n')}`);
  }
  parts.push(`Items (human label vs the judge's verdict):\n\n${r.shown.map(shownText).join('\n\n')}`);
  if (r.rejected.length > 0) {
    parts.push(`Already tried and not accepted (do not propose these again; learn from what each broke):\n${r.rejected.map(rejectedText).join('\n')}`);
  }
  if (r.promising && r.promising.length > 0) {
    parts.push(`Promising so far (each is best on some threshold on the development items; none beats another on every threshold — a candidate may combine their strengths):\n${r.promising.map((p) => `- ${JSON.stringify(p.rubric.length > 300 ? p.rubric.slice(0, 300) + '…' : p.rubric)}: best on ${p.bestOn.join(', ') || 'none alone'}`).join('\n')}`);
  }
  parts.push(`Round ${r.round} of ${r.rounds}. Propose ${r.count} different candidates.`);
  return [
    {
      role: 'system',
      content: [
        'You improve the rubric of an LLM judge so that its verdicts agree with human graders.',
        'Each candidate is a complete new rubric: edit the instructions, and define explicitly how to grade the kinds of cases the judge and the humans disagree on. Write rules that generalize: never mention item ids or quote the items, because the rubric is checked on items you have not seen.',
        `A candidate may also name up to ${r.maxExamples} of the shown items' ids to include as graded few-shot examples (they are given the humans' label); name none if the rubric alone is enough.`,
        'Prefer the shortest rubric that fixes the disagreements.',
        'Answer with a JSON object {"candidates": [{"rubric": "...", "examples": ["<id>", ...], "rationale": "<one sentence>"}]} and nothing else.',
      ].join('\n\n'),
    },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

export function readCandidates(data: unknown, count: number): ProposedCandidate[] {
  return candidatesAnswer.parse(data).candidates.slice(0, count).map((c) => ({ rubric: c.rubric, examples: [...new Set(c.examples)], rationale: c.rationale }));
}
