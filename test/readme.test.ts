// The README documents every metric a threshold can name: the docs cannot drift from the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { metricNamesFor } from '../src/metrics/index.js';
import type { Scale } from '../src/types.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const scales: Scale[] = [{ kind: 'binary' }, { kind: 'ordinal', min: 1, max: 5 }, { kind: 'categorical', labels: ['a', 'b'] }];

describe('README', () => {
  it.each(scales.map((s) => [s.kind, s] as const))('names every %s metric', (_kind, scale) => {
    const missing = metricNamesFor(scale).filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});

describe('README set-up', () => {
  it('runs the examples with a command that starts at once in a fresh clone (not npx, which installs the checkout into its cache first)', () => {
    const setup = /## Set-up: two commands[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)![1]!.trim().split('\n');
    expect(setup[0]).toMatch(/^npm ci && node bin\/judge-test\.js\s+#/);
    expect(setup[1]).toMatch(/^npm ci && npm test\s+#/);
  });
});
