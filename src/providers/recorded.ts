// Verdicts a team already has (production logs, another tool), read from a JSONL/CSV/YAML file by item id.
import * as z from 'zod';
import { readRows } from '../io/data-files.js';
import { validate } from '../io/yaml-source.js';
import { ConfigError } from '../errors.js';
import type { Item } from '../types.js';
import type { Provider, ProviderAnswer, ProviderContext, ProviderRequest } from './provider.js';

/** One row of a recorded-verdicts file (also of a suite's unlabeled verdicts); other columns are allowed and ignored. */
export const recordedRowSchema = z
  .object({
    id: z.union([z.string().min(1), z.number()], { error: 'expected the item id (a string or number)' }).transform(String),
    verdict: z.union([z.string(), z.number(), z.boolean(), z.null(), z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))]),
    reason: z.string().optional(),
    confidence: z.number().refine(Number.isFinite, 'expected a finite number').min(0).max(1).optional(),
  })
  .passthrough();

interface RecordedRow {
  verdict: unknown;
  reason?: string;
  confidence?: number;
}

export function loadRecordedProvider(ctx: ProviderContext): Provider {
  const rows = new Map<string, RecordedRow>();
  for (const row of readRows(ctx.judge.path!, 'recorded verdicts file', { file: ctx.judge.file })) {
    const r = validate(recordedRowSchema, row.value, row.locate, 'recorded verdict');
    if (rows.has(r.id)) throw new ConfigError(`duplicate recorded verdict for item "${r.id}"`, row.locate(['id']));
    rows.set(r.id, r);
  }
  return new RecordedProvider(rows, ctx.judge.path!);
}

class RecordedProvider implements Provider {
  readonly cacheable = false;
  readonly repairable = false;
  readonly cacheIdentity = '';
  constructor(
    private readonly rows: Map<string, RecordedRow>,
    private readonly file: string,
  ) {}

  checkItems(items: readonly Item[]): void {
    const missing = items.filter((it) => !this.rows.has(it.id));
    if (missing.length > 0) {
      const shown = missing.slice(0, 3).map((it) => `"${it.id}"`).join(', ');
      throw new ConfigError(`${this.file} has no recorded verdict for ${missing.length} item(s): ${shown}${missing.length > 3 ? ', …' : ''}`, missing[0]!.source);
    }
  }

  async complete(req: ProviderRequest): Promise<ProviderAnswer> {
    const row = this.rows.get(req.item.id)!;
    const data: Record<string, unknown> = { verdict: row.verdict, reason: row.reason ?? '' };
    if (row.confidence !== undefined) data.confidence = row.confidence;
    return { text: JSON.stringify(data), data };
  }
}
