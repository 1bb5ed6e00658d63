// The gate never shows greener than the truth: whatever makes the exit code non-zero is what
// CI sees, through every way the output can go (issue "The gate never shows greener").
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

/** A suite whose code judge fails what humans passed: the run exits 1. */
function failingProject(): string {
  const items = Array.from({ length: 12 }, (_, i) => JSON.stringify({ id: `i${i}`, input: `q${i}`, output: `a${i}`, label: 'pass' })).join('\n');
  return makeProject({
    'judges/strict.mjs': 'export default () => ({ verdict: "fail", reason: "too strict" });\n',
    'calibration-suites/s.yaml': 'suite: strict\njudge:\n  id: strict\n  provider: module\n  path: ../judges/strict.mjs\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
    'calibration-suites/items.jsonl': items + '\n',
  });
}

describe('the exit code', () => {
  it('is the run\'s even when stdout is closed before anything is printed (judge-test | head -0)', async () => {
    const dir = failingProject();
    for (let i = 0; i < 3; i++) {
      const child = spawn(process.execPath, [BIN], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' } });
      child.stdout.destroy(); // the reader is gone: the first write gets EPIPE
      child.stderr.resume();
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(1);
    }
  });
});
