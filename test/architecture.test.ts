// docs/architecture.md stays true: its table of parts says what .dependency-cruiser.cjs
// enforces, and every folder of src/ is a part of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = require('../.dependency-cruiser.cjs') as { forbidden: { name: string; comment: string }[] };
const doc = readFileSync(new URL('../docs/architecture.md', import.meta.url), 'utf8');

/** part -> the parts it may import, from the rules' comments ("x may import only: a, b"). */
const enforced = Object.fromEntries(
  rules.forbidden.filter((r) => r.name.endsWith('-imports')).map((r) => [r.name.replace(/-imports$/, ''), r.comment.replace(/^.* may import only: /, '').split(', ').filter((p) => p !== 'nothing of the project').sort()]),
);

/** part -> the parts the document says it may import. */
const documented = Object.fromEntries(
  doc
    .split('\n')
    .filter((l) => /^\| \d+ \| `/.test(l))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((c) => [c[2]!.replace(/[`/]|\.ts/g, ''), c[4]!]),
);

describe('docs/architecture.md', () => {
  it('lists every part the import rules know, with the same allowed imports', () => {
    expect(Object.keys(documented).sort()).toEqual(Object.keys(enforced).sort());
    for (const [part, may] of Object.entries(documented)) {
      if (/^(every|the parts)/.test(may)) continue; // cli, index: described in words
      expect([part, may === 'nothing' || may === '—' ? [] : may.split(', ').sort()]).toEqual([part, enforced[part]]);
    }
  });

  it('names every folder and top-level file of src/ as a part', () => {
    const src = new URL('../src/', import.meta.url);
    const parts = readdirSync(src).map((f) => (statSync(new URL(f, src)).isDirectory() ? f : f.replace(/\.ts$/, '')));
    expect(parts.sort()).toEqual(Object.keys(enforced).sort());
  });
});
