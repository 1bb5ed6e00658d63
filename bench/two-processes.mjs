// Two judge-test processes started together on one project and one cache (two CI jobs, a
// developer's second terminal): how many calls they make together for N items. Alone, a run
// makes N; without sharing, two make 2N.
// Usage: node bench/two-processes.mjs [items=200]     (needs `npm run build`)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimServer } from '../test/helpers/sim-server.mjs';

const n = Number(process.argv[2] ?? 200);
const bin = fileURLToPath(new URL('../bin/judge-test.js', import.meta.url));
const sim = await startSimServer();
const dir = mkdtempSync(join(tmpdir(), 'judge-test-two-'));
try {
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites'));
  writeFileSync(join(dir, 'judges/sim.yaml'), 'id: sim\nprovider: openai\nmodel: m\nscale: binary\nrubric: Pass correct answers.\n');
  writeFileSync(join(dir, 'calibration-suites/s.yaml'), 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n');
  writeFileSync(join(dir, 'calibration-suites/d.jsonl'), Array.from({ length: n }, (_, i) => JSON.stringify({ id: `i${i}`, output: `a${i} [[slow:20]]`, label: 'pass' })).join('\n') + '\n');
  const run = () => new Promise((r) => spawn(process.execPath, [bin, '--concurrency', '8'], { cwd: dir, env: { PATH: process.env.PATH, OPENAI_BASE_URL: sim.openaiBaseURL }, stdio: 'ignore' }).on('close', r));
  await Promise.all([run(), run()]);
  console.log(`two processes started together, ${n} items: ${sim.calls.length} calls (alone: ${n}; sharing nothing: ${2 * n})`);
} finally {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
}
