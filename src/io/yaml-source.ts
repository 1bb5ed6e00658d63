// Parse YAML keeping positions, so every validation error can name file, line and column.
import { readFileSync, statSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type * as z from 'zod';
import { ConfigError, relativeTo } from '../errors.js';
import type { SourceLocation } from '../types.js';
import { notAFile } from './read-lines.js';

export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  value: unknown;
  /** Position of the node at `path` (or of its nearest existing parent). */
  locate(path: readonly PropertyKey[]): SourceLocation;
  /** Position of the key that names the node at `path` (for a mapping value on the next line). */
  locateKey(path: readonly PropertyKey[]): SourceLocation;
}

export function readTextFile(file: string, what: string, from?: Partial<SourceLocation>): string {
  try {
    // A FIFO or a device (a symlink in a pull request) would be read forever.
    const stat = statSync(file);
    if (!stat.isFile() && !stat.isDirectory()) throw notAFile(file);
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw unreadable(err, file, what, from);
  }
}

/** The one-line error for a file that cannot be read (missing, a directory, no permission). */
export function unreadable(err: unknown, file: string, what: string, from?: Partial<SourceLocation>): ConfigError {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'NOT_A_FILE' ? 'not a regular file' : String(code ?? err);
  return new ConfigError(`cannot read ${what} ${relativeTo(process.cwd(), file)}: ${why}`, from);
}

export function parseYamlFile(file: string, what: string, from?: Partial<SourceLocation>): YamlSource {
  return parseYamlText(readTextFile(file, what, from), file);
}

export function parseYamlText(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const msg = first.message.split('\n')[0] ?? first.message;
    throw new ConfigError(`invalid YAML: ${msg}`, { file, line: pos.line, column: pos.col });
  }
  let value: unknown;
  try {
    // The yaml library refuses an alias bomb (aliases that expand exponentially) here.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new ConfigError(`invalid YAML: ${(err as Error).message}`, { file });
  }
  checkDepth(value, { file });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col };
  };
  return {
    file,
    doc,
    value,
    locate(path) {
      // Walk down as far as the path exists; for a key, point at the key itself.
      for (let depth = path.length; depth >= 0; depth--) {
        const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
        if (isNode(node) && node.range) return at(node.range[0]);
      }
      return { file, line: 1, column: 1 };
    },
    locateKey(path) {
      const parent = doc.getIn(path.slice(0, -1) as unknown[], true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
        if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0]);
      }
      return this.locate(path);
    },
  };
}

/** Deeper than this, a value is hostile rather than data (and recursion over it would overflow the stack). */
export const MAX_DEPTH = 100;

/** Refuse a value nested deeper than MAX_DEPTH, without recursion. */
export function checkDepth(value: unknown, where: Partial<SourceLocation>): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) throw new ConfigError(`a value nested deeper than ${MAX_DEPTH} levels`, where);
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
}

/** Validate with zod; the first issue becomes one ConfigError at its YAML position. */
export function validate<T>(schema: z.ZodType<T>, value: unknown, locate: (path: readonly PropertyKey[]) => SourceLocation, what: string): T {
  if (value === null || value === undefined) throw new ConfigError(`expected a ${what}, found an empty document`, locate([]));
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new ConfigError(describeIssue(issue, value, what), locate(issue.path));
}

function describeIssue(issue: z.core.$ZodIssue, root: unknown, what: string): string {
  const field = issue.path.length ? issue.path.join('.') : what;
  const found = valueAt(root, issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${field === what ? what : field}: unknown field ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (issue.code === 'invalid_type') {
    const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
    return found === undefined ? `${field}: missing (expected ${expected})` : `${field}: expected ${expected}, found ${describeValue(found)}`;
  }
  // zod's own union message says only "Invalid input": name the kinds instead (a schema's own message stands).
  const kinds = issue.code === 'invalid_union' && issue.message === 'Invalid input' ? unionKinds(issue) : undefined;
  if (kinds) return found === undefined ? `${field}: missing (expected ${oneOf(kinds)})` : `${field}: expected ${oneOf(kinds)}, found ${describeValue(found)}`;
  return `${field}: ${issue.message}, found ${describeValue(found)}`;
}

/** The kinds a union takes, when every branch refused the value for its kind alone (else undefined: zod's message). */
function unionKinds(issue: z.core.$ZodIssueInvalidUnion): string[] | undefined {
  const kinds: string[] = [];
  for (const branch of issue.errors) {
    const only = branch.length === 1 && branch[0]!.path.length === 0 ? branch[0]! : undefined;
    if (only?.code === 'invalid_type') kinds.push(TYPE_NAMES[only.expected] ?? only.expected);
    else if (only?.code === 'invalid_union') {
      const inner = unionKinds(only);
      if (!inner) return undefined;
      kinds.push(...inner);
    } else return undefined;
  }
  return kinds.length > 0 ? [...new Set(kinds)] : undefined;
}

/** "a or b", "a, b, or c". */
function oneOf(kinds: readonly string[]): string {
  return kinds.length < 3 ? kinds.join(' or ') : `${kinds.slice(0, -1).join(', ')}, or ${kinds.at(-1)}`;
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a mapping',
  record: 'a mapping',
  array: 'a list',
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return `a mapping with ${Object.keys(v).slice(0, 8).join(', ') || 'no keys'}`;
  return String(v);
}
