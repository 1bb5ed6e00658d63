// Writes JSON Schemas for judge, suite and config files, generated from the same zod schemas
// that validate them, to dist/schemas/ (run by `npm run build`). Editors with the YAML
// language server pick them up from a `# yaml-language-server: $schema=...` line.
import { mkdirSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { judgeSchema, suiteSchema } from '../dist/config/schemas.js';
import { userConfigSchema } from '../dist/settings/config-file.js';

const out = new URL('../dist/schemas/', import.meta.url);
mkdirSync(out, { recursive: true });
for (const [name, schema, title] of [
  ['judge', judgeSchema, 'judge-test judge'],
  ['suite', suiteSchema, 'judge-test calibration suite'],
  ['config', userConfigSchema, 'judge-test config'],
]) {
  // Input side: what a user writes (before transforms); refinements a JSON Schema cannot say are left to zod.
  const json = { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
  // A suite names one judge or several to compare: zod says it with a refinement, JSON Schema with oneOf.
  if (name === 'suite') json.oneOf = [{ required: ['judge'] }, { required: ['judges'] }];
  writeFileSync(new URL(`${name}.schema.json`, out), JSON.stringify(json, null, 2) + '\n');
}
