// Write an accepted rubric back into the judge's YAML, keeping the user's comments, key
// order and formatting (the yaml package's Document API edits the parsed tree in place).
import { readFileSync } from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { isMap, isNode, isScalar, parseDocument, Scalar, stringify } from 'yaml';
import { resolveJudge } from '../config/load-judge.js';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { FewShotExample, ResolvedJudge } from '../types.js';

export interface JudgeRewrite {
  file: string;
  before: string;
  after: string;
}

/**
 * The judge file's new text: `rubric` replaced by a block literal, and `examples` replaced
 * when the accepted candidate brought its own. `inline`: the judge is the `judge:` mapping
 * of a suite file. Both are spliced into the original text, so every other byte (comments,
 * spacing, quoting, flow-style mappings) stays as the user wrote it.
 */
export function rewriteJudgeText(text: string, inline: boolean, rubric: string, examples: FewShotExample[] | null): string {
  const doc = parseDocument(text);
  const at = inline ? ['judge'] : [];
  const scalar = new Scalar(rubric.endsWith('\n') ? rubric : rubric + '\n');
  scalar.type = 'BLOCK_LITERAL';
  const old = doc.getIn([...at, 'rubric'], true);
  if (isScalar(old) && old.range) {
    const spliced = spliceScalar(text, old.range, scalar);
    return examples === null ? spliced : spliceExamples(spliced, inline, examples);
  }
  // No rubric to splice into (an unusual file): edit the parsed tree and print it whole.
  if (isScalar(old)) {
    if (old.comment) scalar.comment = old.comment;
    if (old.commentBefore) scalar.commentBefore = old.commentBefore;
  }
  doc.setIn([...at, 'rubric'], scalar);
  if (examples !== null) {
    const rows = examples.map((ex) => ({ ...ex.fields, verdict: ex.verdict, ...(ex.reason !== undefined ? { reason: ex.reason } : {}) }));
    if (rows.length > 0) doc.setIn([...at, 'examples'], doc.createNode(rows));
    else if (doc.hasIn([...at, 'examples'])) doc.deleteIn([...at, 'examples']);
  }
  return doc.toString();
}

/** The `examples` of the judge mapping replaced by `examples` (or removed for none), as text, at the mapping's indentation. */
function spliceExamples(text: string, inline: boolean, examples: FewShotExample[]): string {
  const doc = parseDocument(text);
  const map = inline ? doc.get('judge', true) : doc.contents;
  if (!isMap(map) || !map.range) return text;
  const rubricKey = map.items.find((p) => isScalar(p.key) && p.key.value === 'rubric')?.key;
  const keyStart = isScalar(rubricKey) && rubricKey.range ? rubricKey.range[0] : map.range[0];
  const indent = keyStart - lineStart(text, keyStart);
  const rows = examples.map((ex) => ({ ...ex.fields, verdict: ex.verdict, ...(ex.reason !== undefined ? { reason: ex.reason } : {}) }));
  const block = rows.length === 0 ? '' : stringify({ examples: rows }).split('\n').map((l) => (l === '' ? l : ' '.repeat(indent) + l)).join('\n');
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'examples');
  if (pair && isScalar(pair.key) && pair.key.range) {
    const valueEnd = isNode(pair.value) && pair.value.range ? pair.value.range[1] : pair.key.range[1];
    return text.slice(0, lineStart(text, pair.key.range[0])) + block + text.slice(afterLine(text, valueEnd));
  }
  if (!block) return text;
  const at = afterLine(text, map.range[1]);
  return text.slice(0, at) + (at > 0 && text[at - 1] !== '\n' ? '\n' : '') + block + text.slice(at);
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The position after the line that `end` (an exclusive end) closes: `end` itself when it is a line start. */
function afterLine(text: string, end: number): number {
  if (end === 0 || text[end - 1] === '\n') return end;
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl + 1;
}

/** Replace the scalar at `range` with `scalar` rendered at the indentation of its key. */
function spliceScalar(text: string, range: [number, number, number], scalar: Scalar): string {
  const start = range[0];
  let end = range[1];
  // A one-line scalar's comment follows its range: it moves up to the new block's header.
  const lineEnd = text.indexOf('\n', end);
  const trailing = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
  let comment = '';
  if (!text.slice(start, end).includes('\n') && /^\s+#/.test(trailing)) {
    comment = trailing;
    end += trailing.length;
  }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const keyIndent = /^ */.exec(text.slice(lineStart))![0].length;
  // "rubric: |\n  line\n" -> "|\n" + the lines indented under the key.
  const rendered = stringify({ rubric: scalar }).slice('rubric: '.length);
  const [header, ...lines] = rendered.replace(/\n$/, '').split('\n');
  const oldHeader = text.slice(start, end).split('\n')[0]!;
  // A block scalar's header may carry a comment ("|   # note"); a quoted one may hold a "#".
  if (/^[|>]/.test(oldHeader)) comment ||= /\s+#.*$/.exec(oldHeader)?.[0] ?? '';
  const body = lines.map((l) => (l === '' ? l : ' '.repeat(keyIndent) + l));
  const old = text.slice(start, end);
  return text.slice(0, start) + [header + comment, ...body].join('\n') + (old.endsWith('\n') ? '\n' : '') + text.slice(end);
}

/** Plan the rewrite and check the result still loads as the same judge; nothing is written. */
export function planRewrite(judge: ResolvedJudge, suiteFile: string, rubric: string, examples: FewShotExample[] | null): JudgeRewrite {
  const inline = judge.file === suiteFile;
  const before = readFileSync(judge.file, 'utf8');
  const after = rewriteJudgeText(before, inline, rubric, examples);
  // Never write a file the next run cannot read.
  const doc = parseDocument(after);
  const value = inline ? (doc.toJS() as { judge?: unknown }).judge : doc.toJS();
  const reloaded = resolveJudge(value, judge.file, () => ({ file: judge.file, line: 0, column: 0 }));
  if (reloaded.rubric.trim() !== rubric.trim()) throw new ConfigError('--optimize: the rewritten judge file does not read back with the new rubric; left unchanged', { file: judge.file });
  return { file: judge.file, before, after };
}

export function applyRewrite(r: JudgeRewrite): void {
  // Whole file or nothing: an interrupted write leaves the old judge intact.
  writeFileAtomic(r.file, r.after);
}

/** A unified diff of the rewrite, with paths as the user sees them. */
export function rewriteDiff(r: JudgeRewrite, shownPath: string): string {
  return createTwoFilesPatch(`a/${shownPath}`, `b/${shownPath}`, r.before, r.after, undefined, undefined, { context: 3 });
}
