// Read a verdict out of a provider's answer: a structured object, JSON text, or a
// fenced or embedded JSON object; anything else is unparseable, never pass or fail.
import { normalizeLabel } from '../scale/scale.js';
import type { Label, ResolvedJudge, Scale } from '../types.js';

export type Parsed =
  | { ok: true; label: Label; reason: string; confidence?: number; labels?: Record<string, Label> }
  | { ok: false; problem: string };

/**
 * The judge's answer: one verdict on its scale, or for a multi-criteria judge a verdict per
 * criterion ({"verdicts": {...}}, or the criteria as top-level keys); `label` is then the
 * view's criterion's (the first criterion's outside a view).
 */
export function parseAnswer(judge: ResolvedJudge, answer: { text: string; data?: unknown }): Parsed {
  if (!judge.criteria) return parseVerdict(judge.scale, answer);
  const obj = answer.data !== undefined ? answer.data : findJsonObject(answer.text);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return { ok: false, problem: obj === undefined ? 'no JSON object in the answer' : 'the answer is not a JSON object' };
  const o = obj as Record<string, unknown>;
  const nested = [o.verdicts, o.verdict].find((v) => v !== null && typeof v === 'object' && !Array.isArray(v)) as Record<string, unknown> | undefined;
  const source = nested ?? o;
  const labels: Record<string, Label> = {};
  for (const c of judge.criteria) {
    const raw = source[c.name];
    if (raw === undefined || raw === null) return { ok: false, problem: `the JSON has no verdict for criterion "${c.name}"` };
    const n = normalizeLabel(c.scale, raw);
    if (!n.ok) return { ok: false, problem: `verdict ${JSON.stringify(raw)} for "${c.name}" is not ${n.expected}` };
    labels[c.name] = n.label;
  }
  const reason = typeof o.reason === 'string' ? o.reason : '';
  return { ok: true, label: labels[judge.criterion ?? judge.criteria[0]!.name]!, labels, reason };
}

export function parseVerdict(scale: Scale, answer: { text: string; data?: unknown }): Parsed {
  const obj = answer.data !== undefined ? answer.data : findJsonObject(answer.text);
  if (obj === undefined) {
    return bareLabel(scale, answer.text) ?? { ok: false, problem: answer.text.trim() === '' ? 'empty answer' : 'no JSON object in the answer' };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return { ok: false, problem: 'the answer is not a JSON object' };
  }
  const o = obj as Record<string, unknown>;
  const raw = o.verdict ?? o.label ?? o.score;
  if (raw === undefined || raw === null) return { ok: false, problem: 'the JSON has no "verdict"' };
  const n = normalizeLabel(scale, raw);
  if (!n.ok) return { ok: false, problem: `verdict ${JSON.stringify(raw)} is not ${n.expected}` };
  const reason = typeof o.reason === 'string' ? o.reason : typeof o.explanation === 'string' ? o.explanation : '';
  const parsed: Parsed = { ok: true, label: n.label, reason };
  if (typeof o.confidence === 'number' && o.confidence >= 0 && o.confidence <= 1) parsed.confidence = o.confidence;
  return parsed;
}

/** The whole text, a ```json fence, or the first balanced {...} that parses. */
function findJsonObject(text: string): unknown {
  const attempts = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence) attempts.push(fence[1]!.trim());
  for (const [start, end] of balancedObjects(text)) attempts.push(text.slice(start, end + 1));
  // A hostile answer can hold thousands of candidates: a bounded number of parses.
  for (const a of attempts.slice(0, MAX_CANDIDATES)) {
    if (!a.startsWith('{')) continue;
    try {
      return JSON.parse(a);
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

const MAX_CANDIDATES = 32;

/**
 * Every balanced {...} of the text, outermost first, in one pass: a stack of open braces,
 * with strings tracked inside them (a quote in the prose around the JSON does not count).
 * Linear in the text, whatever it holds (40,000 "{" once took seconds to scan per start).
 */
function balancedObjects(text: string): [number, number][] {
  const open: number[] = [];
  const found: [number, number][] = [];
  let inString = false;
  for (let i = text.indexOf('{'); i >= 0 && i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = open.length > 0;
    else if (c === '{') open.push(i);
    else if (c === '}' && open.length > 0) found.push([open.pop()!, i]);
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/** A model that answers just "pass" or "4": accept it when it is exactly a scale label. */
function bareLabel(scale: Scale, text: string): Parsed | undefined {
  const t = text.trim().replace(/^["'`]|["'`.]$/g, '');
  if (t === '' || t.length > 40) return undefined;
  const n = normalizeLabel(scale, t);
  return n.ok ? { ok: true, label: n.label, reason: '' } : undefined;
}
