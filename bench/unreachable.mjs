// A wrong base URL: 400 items against a port nothing listens on (connections refused). How
// long until judge-test exits 3, and how many calls it made — the bar: a few seconds,
// not a retry ladder per item (before: 51 s and 2,000 attempts).
// Usage: node bench/unreachable.mjs [items=400] [runs=3]     (needs `npm run build`)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const items = Number(process.argv[2] ?? 400);
const runs = Number(process.argv[3] ?? 3);
const bin = fileURLToPath(new URL('../bin/judge-test.js', import.meta.url));
const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'judge-test-unreachable-'));
try {
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites'));
  writeFileSync(join(dir, 'judges/j.yaml'), `id: j\nprovider: openai\nmodel: m\nbaseURL: http://127.0.0.1:${port}/v1\nscale: binary\nrubric: Pass correct answers.\n`);
  writeFileSync(join(dir, 'calibration-suites/s.yaml'), 'suite: s\njudge: ../judges/j.yaml\nitems: ./items.jsonl\n');
  writeFileSync(join(dir, 'calibration-suites/items.jsonl'), Array.from({ length: items }, (_, i) => JSON.stringify({ id: `i${i}`, input: `q${i}`, output: `a${i}`, label: 'pass' })).join('\n') + '\n');
  const walls = [];
  let calls = 0;
  let code = null;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    code = await new Promise((resolve) => spawn(process.execPath, [bin, '--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir, stdio: 'ignore' }).on('close', resolve));
    walls.push(performance.now() - t);
    calls = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).stats.calls;
  }
  walls.sort((a, b) => a - b);
  console.log(`unreachable endpoint, ${items} items: exit ${code} after ${(walls[Math.floor(runs / 2)] / 1000).toFixed(2)} s (median of ${runs}), ${calls} calls`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
