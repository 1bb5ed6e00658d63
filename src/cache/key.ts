// The cache key: a hash of everything that can change a verdict.
import { createHash } from 'node:crypto';

export interface KeyParts {
  provider: string;
  model: string;
  /** All sampling parameters and the answer format. */
  params: Record<string, unknown>;
  /** The full rendered messages (or, for code judges, the item fields they read). */
  request: unknown;
  /** The verdict's JSON schema / scale. */
  schema: unknown;
  /** Extra identity, e.g. a module judge's source hash. */
  identity: string;
  sample: number;
}

const VERSION = 1;

export function cacheKey(parts: KeyParts): string {
  return createHash('sha256').update(stableStringify({ v: VERSION, ...parts })).digest('hex');
}

/** JSON with object keys sorted, so the same value always hashes the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}
