// Render the messages for one item. The rubric, scale, answer format and few-shot examples
// come first and are byte-stable across items (provider prompt caching); the item comes last.
import { ConfigError } from '../errors.js';
import type { ChatMessage, FewShotExample, Item, ResolvedJudge, Scale } from '../types.js';

const FIELD = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;
const STANDARD_FIELDS = ['input', 'output', 'expected', 'context'] as const;
const PAIRWISE_FIELDS = ['input', 'output_a', 'output_b', 'expected', 'context'] as const;

export function templateFields(template: string): string[] {
  return [...new Set([...template.matchAll(FIELD)].map((m) => m[1]!))];
}

/** Fail before any call when an item lacks a field the judge's template names. */
export function checkTemplateFields(judge: ResolvedJudge, items: readonly Item[]): void {
  if (!judge.template) return;
  for (const field of templateFields(judge.template)) {
    const missing = items.find((it) => field !== 'id' && it.fields[field] === undefined);
    if (missing) {
      throw new ConfigError(`item "${missing.id}" has no field "${field}", which the template of judge "${judge.id}" uses`, missing.source);
    }
  }
}

const systemPrompts = new WeakMap<ResolvedJudge, string>();

/** `swapped`: a pairwise item with its two outputs in the other order (the judge is asked both ways). */
export function renderMessages(judge: ResolvedJudge, item: Item, swapped = false): ChatMessage[] {
  // The system prompt is the same for every item of a judge: build it once.
  let system = systemPrompts.get(judge);
  if (system === undefined) systemPrompts.set(judge, (system = systemPrompt(judge)));
  const fields: Record<string, unknown> = { id: item.id, ...item.fields };
  if (isPairwise(judge.scale)) {
    const [a, b] = pairOutputs(item.fields);
    Object.assign(fields, swapped ? { output_a: b, output_b: a } : { output_a: a, output_b: b });
  }
  return [
    { role: 'system', content: system },
    { role: 'user', content: renderItem(judge.template, fields, isPairwise(judge.scale)) },
  ];
}

function isPairwise(scale: Scale): boolean {
  return scale.kind === 'categorical' && scale.pairwise === true;
}

/** A pairwise item's two outputs: `output_a` and `output_b`, or an `outputs` list of two. */
export function pairOutputs(fields: Record<string, unknown>): [unknown, unknown] {
  const list = Array.isArray(fields.outputs) ? fields.outputs : [];
  return [fields.output_a ?? list[0], fields.output_b ?? list[1]];
}

export function systemPrompt(judge: ResolvedJudge): string {
  const parts = [
    isPairwise(judge.scale)
      ? 'You are a careful evaluator. Compare the two outputs you are given, A and B, against this rubric and say which is better. Their order says nothing about their quality.'
      : 'You are a careful evaluator. Grade the item you are given against this rubric.',
    `Rubric:\n${judge.rubric.trim()}`,
    `Answer with a JSON object ${answerFormat(judge)} and nothing else.`,
  ];
  if (judge.examples.length > 0) {
    parts.push('Graded examples:\n\n' + judge.examples.map((ex, i) => exampleText(judge.template, ex, i, isPairwise(judge.scale))).join('\n\n'));
  }
  return parts.join('\n\n');
}

/** The JSON the judge is asked for, in words: one verdict, or one per criterion. */
function answerFormat(judge: ResolvedJudge): string {
  if (!judge.criteria) return `{"reason": "<one or two sentences>", "verdict": ${verdictFormat(judge.scale)}}`;
  return `{"reason": "<one or two sentences>", "verdicts": {${judge.criteria.map((c) => `${JSON.stringify(c.name)}: ${verdictFormat(c.scale)}`).join(', ')}}}`;
}

function verdictFormat(scale: Scale): string {
  switch (scale.kind) {
    case 'binary':
      return '"pass" or "fail"';
    case 'ordinal':
      return `an integer from ${scale.min} to ${scale.max}`;
    case 'categorical':
      if (scale.pairwise) return `"A" (output A is better) or "B" (output B is better)${scale.labels.includes('tie') ? ' or "tie" (neither is better)' : ''}`;
      return `one of ${scale.labels.map((l) => JSON.stringify(l)).join(', ')}`;
  }
}

function exampleText(template: string | undefined, ex: FewShotExample, i: number, pairwise: boolean): string {
  const answer = JSON.stringify(ex.verdicts ? { reason: ex.reason ?? '', verdicts: ex.verdicts } : { reason: ex.reason ?? '', verdict: ex.verdict });
  return `Example ${i + 1}:\n${renderItem(template, ex.fields, pairwise)}\nAnswer: ${answer}`;
}

function renderItem(template: string | undefined, fields: Record<string, unknown>, pairwise = false): string {
  if (template) return template.replace(FIELD, (_, name: string) => asText(fields[name]));
  return (pairwise ? PAIRWISE_FIELDS : STANDARD_FIELDS).filter((f) => fields[f] !== undefined)
    .map((f) => `<${f}>\n${asText(fields[f])}\n</${f}>`)
    .join('\n');
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function repairMessages(messages: ChatMessage[], raw: string, problem: string, judge: ResolvedJudge): ChatMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: raw },
    {
      role: 'user',
      content: `Your answer could not be read (${problem}). Reply again with only a JSON object ${answerFormat(judge)}.`,
    },
  ];
}
