// `judge-test init` scaffolds a project that runs with no key, with editor schemas, and never overwrites.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

describe('judge-test init', () => {
  it('creates a working example that passes with no API key', async () => {
    const dir = makeProject({});
    const init = await runCli(['init'], { cwd: dir });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Created judges\/example\.yaml, judges\/example\.mjs, calibration-suites\/example\.yaml/);
    const run = await runCli([], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✓ calibration-suites\/example\.yaml > example answers are correct/);
    expect(readFileSync(join(dir, 'calibration-suites/example.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/judge-test\/dist\/schemas\/suite\.schema\.json\n/);
  });

  it('works in a CommonJS package and in one with no "type", without a warning', async () => {
    for (const pkg of [{ name: 'cjs', version: '1.0.0', type: 'commonjs' }, { name: 'untyped', version: '1.0.0' }]) {
      const dir = makeProject({ 'package.json': JSON.stringify(pkg) });
      expect((await runCli(['init'], { cwd: dir })).code).toBe(0);
      const run = await runCli([], { cwd: dir });
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stderr).toBe(''); // no MODULE_TYPELESS_PACKAGE_JSON warning, no "Unexpected token 'export'"
      expect(run.stdout).toMatch(/✓ calibration-suites\/example\.yaml/);
    }
  });

  it('refuses to overwrite and writes nothing when a file exists', async () => {
    const dir = makeProject({ 'judges/example.mjs': '// mine\n' });
    const r = await runCli(['init'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: init: judges/example.mjs already exists; nothing was written (init never overwrites)');
    expect(readFileSync(join(dir, 'judges/example.mjs'), 'utf8')).toBe('// mine\n');
    expect(existsSync(join(dir, 'calibration-suites/example.yaml'))).toBe(false);
  });
});

describe('JSON Schemas for editors', () => {
  const schema = (name: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`../dist/schemas/${name}.schema.json`, import.meta.url)), 'utf8'));
  it('are generated from the zod schemas at build time', () => {
    const suite = schema('suite');
    expect(suite.title).toBe('judge-test calibration suite');
    expect(suite.required).toEqual(['suite', 'items']);
    expect(suite.oneOf).toEqual([{ required: ['judge'] }, { required: ['judges'] }]);
    expect(suite.additionalProperties).toBe(false);
    expect(Object.keys(suite.properties)).toEqual(expect.arrayContaining(['thresholds', 'slices', 'aggregation', 'min_items', 'bootstrap', 'alt_test', 'unlabeled']));
    const judge = schema('judge');
    expect(judge.properties.provider.enum).toEqual(['openai', 'azure-openai', 'anthropic', 'anthropic-bedrock', 'anthropic-vertex', 'module', 'recorded', 'panel']);
    // One of scale or criteria (checked by zod; a JSON Schema says both are optional).
    expect(judge.required).toEqual(['id', 'provider']);
    expect(Object.keys(judge.properties)).toEqual(expect.arrayContaining(['scale', 'criteria']));
    expect(Object.keys(schema('config').properties)).toContain('prices');
  });
});
