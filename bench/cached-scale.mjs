// A fully cached re-run at scale: N items (in S suites of one judge) whose verdicts are all in
// the cache; the whole CLI process's wall time and peak resident memory, and the memory per item
// over a 1-item run of the same layout (what the process costs before any item).
// Usage: node bench/cached-scale.mjs [N=1000000] [S=20]     (needs `npm run build`; BENCH_CLI and
// BENCH_V8_FLAGS as in bench/runner.mjs)
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite } from '../dist/config/load-suite.js';
import { createProvider } from '../dist/providers/index.js';
import { planTask } from '../dist/judge/evaluate-item.js';

const N = Number(process.argv[2] ?? 1_000_000);
const S = Number(process.argv[3] ?? 20);
const RSS = fileURLToPath(new URL('./rss-run.mjs', import.meta.url));

async function project(n, suites) {
  const dir = mkdtempSync(join(tmpdir(), 'judge-test-scale-'));
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites/data'), { recursive: true });
  mkdirSync(join(dir, '.judge-cache'));
  writeFileSync(join(dir, 'judges/sim.yaml'), 'id: sim\nprovider: openai\nmodel: gpt-4o-mini\ntemperature: 0\nscale: binary\nrubric: Pass correct answers.\n');
  const cache = createWriteStream(join(dir, '.judge-cache/sim.jsonl'));
  const write = (stream, text) => (stream.write(text) ? undefined : new Promise((r) => stream.once('drain', r)));
  const per = Math.ceil(n / suites);
  for (let s = 0; s < suites; s++) {
    const count = Math.min(per, n - s * per);
    const rows = [];
    for (let i = 0; i < count; i++) {
      const human = i % 2 ? 'fail' : 'pass';
      const judge = i % 10 === 0 ? (human === 'pass' ? 'fail' : 'pass') : human;
      rows.push(JSON.stringify({ id: `s${s}-i${i}`, input: `What is the capital of country number ${i}?`, output: `The capital of country ${i} is City ${i}. [[verdict:${judge}]]`, label: human }));
    }
    writeFileSync(join(dir, `calibration-suites/data/s${s}.jsonl`), rows.join('\n') + '\n');
    writeFileSync(join(dir, `calibration-suites/s${s}.yaml`), `suite: suite ${s}\njudge: ../judges/sim.yaml\nitems: ./data/s${s}.jsonl\nthresholds:\n  kappa: ">= 0.5"\n`);
    // The cache, written with the keys the engine computes.
    const suite = loadSuite(join(dir, `calibration-suites/s${s}.yaml`));
    const provider = await createProvider({ judge: suite.judge, env: { OPENAI_API_KEY: 'x' }, timeoutMs: 1000 });
    for (const item of suite.items) {
      const label = /\[\[verdict:(\w+)\]\]/.exec(item.fields.output)[1];
      const line = JSON.stringify({ key: planTask(suite.judge, provider, item).keys[0], judge: 'sim', model: 'gpt-4o-mini', item: item.id, sample: 0, verdict: { label, reason: `The answer names City ${item.id}, which is ${label === 'pass' ? 'right' : 'wrong'}.`, raw: `{"reason":"...","verdict":"${label}"}` }, usage: { inputTokens: 120, outputTokens: 12 } });
      await write(cache, line + '\n');
    }
  }
  await new Promise((r) => cache.end(r));
  return dir;
}

function cli(args, cwd) {
  return new Promise((resolve) => {
    const t = performance.now();
    const pass = Object.fromEntries(['BENCH_CLI', 'BENCH_V8_FLAGS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
    const child = spawn(process.execPath, [RSS, ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', OPENAI_API_KEY: 'x', ...pass } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, wall: (performance.now() - t) / 1000, rssMb: Number(/maxrss=(\d+)/.exec(err)?.[1] ?? 0) / 1024, err }));
  });
}

const base = await project(S, S);
const empty = await cli(['--offline'], base);
rmSync(base, { recursive: true, force: true });
const dir = await project(N, S);
const r = await cli(['--offline'], dir);
rmSync(dir, { recursive: true, force: true });
if (r.code !== 0) console.error(r.err.slice(0, 2000));
console.log(`fully cached re-run, ${N.toLocaleString('en-US')} items in ${S} suites: wall ${r.wall.toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB, ${(((r.rssMb - empty.rssMb) * 1024 * 1024) / N / 1024).toFixed(2)} KB per item over a ${S}-item run's ${empty.rssMb.toFixed(0)} MB (exit ${r.code})`);
