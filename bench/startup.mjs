// Cold start-up: `judge-test --version` against a bare `node -e 0`, interleaved in one run
// so both see the same machine load. The bar: within 2x of bare node.
// Usage: node bench/startup.mjs [runs=30]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 30);
const bin = fileURLToPath(new URL('../bin/judge-test.js', import.meta.url));
const time = (args) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bare = [];
const version = [];
const help = [];
time(['-e', '0']); // warm the file cache once for both
time([bin, '--version']);
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  version.push(time([bin, '--version']));
  help.push(time([bin, '--help']));
}
const b = median(bare);
const v = median(version);
console.log(`startup (median of ${runs}, interleaved): node -e 0 ${b.toFixed(1)} ms | judge-test --version ${v.toFixed(1)} ms (${(v / b).toFixed(2)}x) | judge-test --help ${median(help).toFixed(1)} ms`);
