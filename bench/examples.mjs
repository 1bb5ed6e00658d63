// Re-running the bundled examples (what a user does on every rubric edit): median wall time
// of `judge-test` in the repo root, process start to exit.
// Usage: node bench/examples.mjs [runs=10]
import { fileURLToPath } from 'node:url';
import { runCli } from '../test/helpers/cli.mjs';

const runs = Number(process.argv[2] ?? 10);
const root = fileURLToPath(new URL('..', import.meta.url));
const times = [];
for (let i = 0; i < runs + 1; i++) {
  const t = performance.now();
  const r = await runCli([], { cwd: root });
  if (r.code !== 0) throw new Error(`examples exited ${r.code}: ${r.stderr}`);
  if (i > 0) times.push(performance.now() - t); // the first run warms the file cache
}
times.sort((a, b) => a - b);
console.log(`examples re-run (${runs} runs): median ${times[Math.floor(runs / 2)].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms`);
