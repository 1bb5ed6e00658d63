// Calls with and without early_stop on a 5,000-item suite against the local test server, for
// a clearly passing (95% right), a clearly failing (67%) and a borderline (80%) judge; the
// threshold is accuracy >= 0.8, early_stop {confidence: 0.95, looks: 5}.
// Usage: npm run build && node bench/early-stop.mjs
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.mjs';
import { startSimServer } from '../test/helpers/sim-server.mjs';

let every = 20;
const sim = await startSimServer(({ prompt }) => {
  const n = Number(/item (\d+)/.exec(prompt)?.[1] ?? 0);
  const truth = n % 2 ? 'fail' : 'pass';
  return { verdict: n % every === 0 ? (truth === 'pass' ? 'fail' : 'pass') : truth, reason: 'r' };
});
const N = 5000;
const rows = [];
for (const [name, e] of [['clearly passing (95% right)', 20], ['clearly failing (67% right)', 3], ['borderline (80% right)', 5]]) {
  for (const early of [false, true]) {
    every = e;
    const dir = mkdtempSync(join(tmpdir(), 'jt-early-'));
    mkdirSync(join(dir, 'calibration-suites'));
    writeFileSync(join(dir, 'calibration-suites/items.jsonl'), Array.from({ length: N }, (_, i) => JSON.stringify({ id: `i${i}`, output: `item ${i}`, label: i % 2 ? 'fail' : 'pass' })).join('\n'));
    writeFileSync(join(dir, 'calibration-suites/big.yaml'), `suite: big\njudge:\n  id: j\n  provider: openai\n  model: sim\n  baseURL: ${sim.openaiBaseURL}\n  scale: binary\n  rubric: r\nitems: ./items.jsonl\n${early ? 'early_stop: {confidence: 0.95, looks: 5}\n' : ''}thresholds:\n  accuracy: ">= 0.8"\n`);
    sim.reset();
    const t = performance.now();
    const r = await runCli(['--reporter', 'json', '--concurrency', '32'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-bench' }, timeoutMs: 600_000 });
    const s = JSON.parse(r.stdout).suites[0];
    rows.push(`${name.padEnd(28)} ${early ? 'early_stop' : 'all items '}  ${String(sim.calls.length).padStart(5)} calls  ${s.status.padEnd(6)}  ${s.early_stop ? `decided at look ${s.early_stop.look} on ${s.early_stop.judged} items` : 'judged every item'}  ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
}
await sim.close();
console.log(`${N} items, accuracy >= 0.8, early_stop {confidence: 0.95, looks: 5}:\n${rows.join('\n')}`);
