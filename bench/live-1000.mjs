// A 1,000-item suite against the local simulated OpenAI server: wall time and calls of a
// live run (vs the N·L/C bound) and of the cached re-run.
// Usage: node bench/live-1000.mjs [items=1000] [latencyMs=50] [concurrency=16]
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../test/helpers/cli.mjs';
import { directiveScript, startSimServer } from '../test/helpers/sim-server.mjs';

const [items, latency, concurrency] = [Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 50), Number(process.argv[4] ?? 16)];
const sim = await startSimServer((req) => ({ ...directiveScript(req), delayMs: latency }));
const dir = mkdtempSync(join(tmpdir(), 'judge-test-bench-'));
try {
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites/data'), { recursive: true });
  writeFileSync(join(dir, 'judges/sim.yaml'), 'id: sim\nprovider: openai\nmodel: sim-model\ntemperature: 0\nscale: binary\nrubric: Pass correct answers.\n');
  // A judge that agrees with the humans on 90% of items.
  const rows = Array.from({ length: items }, (_, i) => {
    const human = i % 2 === 0 ? 'pass' : 'fail';
    const judge = i % 10 === 0 ? (human === 'pass' ? 'fail' : 'pass') : human;
    return JSON.stringify({ id: `item-${i}`, input: `question ${i}`, output: `answer ${i} [[verdict:${judge}]]`, label: human });
  });
  writeFileSync(join(dir, 'calibration-suites/data/items.jsonl'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'calibration-suites/big.yaml'), 'suite: big\njudge: ../judges/sim.yaml\nitems: ./data/items.jsonl\nthresholds:\n  kappa: ">= 0.7"\n');
  const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
  const run = async (label) => {
    sim.reset();
    const t = performance.now();
    const r = await runCli(['--concurrency', String(concurrency), '--reporter', 'json', '--outputFile', 'out.json'], { cwd: dir, env, timeoutMs: 600_000 });
    const wall = performance.now() - t;
    if (r.code !== 0) throw new Error(`${label} run exited ${r.code}: ${r.stderr}`);
    const report = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    return { wall, calls: sim.calls.length, maxInFlight: sim.maxInFlight, stats: report.stats, kappa: report.suites[0].metrics.kappa.value };
  };
  const live = await run('live');
  const bound = (items * latency) / concurrency;
  console.log(`live run: ${items} items, latency ${latency} ms, concurrency ${concurrency}: wall ${(live.wall / 1000).toFixed(2)} s (bound N·L/C ${(bound / 1000).toFixed(2)} s, ${(live.wall / bound).toFixed(2)}x), ${live.calls} calls, max in flight ${live.maxInFlight}, kappa ${live.kappa.toFixed(3)}`);
  const cached = await run('cached');
  console.log(`cached re-run: wall ${(cached.wall / 1000).toFixed(2)} s, ${cached.calls} calls, ${cached.stats.cached} cached`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  await sim.close();
}
