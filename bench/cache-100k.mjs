// Cache replay cost: load a 100k-verdict JSONL store and look every key up (the goal in
// docs/architecture.md: 100k cached verdicts replayed in well under a second of cache time).
// Usage: node bench/cache-100k.mjs [entries=100000]   (needs `npm run build`)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { VerdictCache } from '../dist/cache/store.js';

const n = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'judge-cache-bench-'));
try {
  const keys = Array.from({ length: n }, (_, i) => createHash('sha256').update(String(i)).digest('hex'));
  const lines = keys.map((key, i) => JSON.stringify({ key, judge: 'j', model: 'gpt-4o-mini', item: `item-${i}`, sample: 0, verdict: { label: i % 2 ? 'pass' : 'fail', reason: `The answer is ${i % 2 ? 'correct' : 'wrong'} because of reason number ${i}.`, raw: '{"reason":"...","verdict":"pass"}' }, usage: { inputTokens: 420, outputTokens: 30 } }));
  writeFileSync(join(dir, 'j.jsonl'), lines.join('\n') + '\n');
  const t = performance.now();
  const cache = new VerdictCache(dir);
  let hits = 0;
  for (const k of keys) if (cache.get('j', k)) hits++;
  const ms = performance.now() - t;
  console.log(`cache replay: ${hits}/${n} verdicts loaded and looked up in ${ms.toFixed(0)} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
