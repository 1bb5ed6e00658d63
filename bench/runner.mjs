// The runner at scale, as a table (issue 4's benchmark):
//  1. the simulated server alone (so it is not the bottleneck);
//  2. live runs, N items at latency L: efficiency = (N·L/C) / wall for C = 8, 32, 64, 128;
//  3. 20% of answers 429 (retry-after 1 s) and a server cap of 16 calls at once, vs clean, at C = 16;
//  4. fully cached re-runs: 10,000 and 100,000 items in 20 suites (wall, peak RSS; a million:
//     bench/cached-scale.mjs);
//  5. runner overhead per item.
// Usage: node bench/runner.mjs [N=2000] [L=200]     (needs `npm run build`)
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { directiveScript, startSimServer } from '../test/helpers/sim-server.mjs';
import { loadSuite } from '../dist/config/load-suite.js';
import { createProvider } from '../dist/providers/index.js';
import { planTask } from '../dist/judge/evaluate-item.js';

const N = Number(process.argv[2] ?? 2000);
const L = Number(process.argv[3] ?? 200);
// BENCH_ONLY=live,429,cached runs some of the scenarios; BENCH_C=64 one concurrency of the live runs;
// BENCH_LIVE_SET=1 adds what a run really holds to its peak RSS, BENCH_OLD_GEN=1 what filled
// its old generation, by allocation site (bench/rss-run.mjs).
// BENCH_OUTPUT_CHARS=2000 pads every item's output to about that size (real outputs are KBs:
// what a run holds per item shows then).
const PAD = 'lorem ipsum '.repeat(Math.ceil(Number(process.env.BENCH_OUTPUT_CHARS ?? 0) / 12));
const only = new Set((process.env.BENCH_ONLY ?? 'live,429,cap,cached').split(','));
// BENCH_CLI=<another judge-test checkout, built> measures that one instead (rss-run.mjs loads
// it): run the two in turn for an A/B comparison on the same machine state.
const RSS = fileURLToPath(new URL('./rss-run.mjs', import.meta.url));
const rows = [];
const row = (scenario, figures) => {
  rows.push([scenario, figures]);
  console.log(`${scenario}: ${figures}`);
};

function judgeYaml(id) {
  return `id: ${id}\nprovider: openai\nmodel: gpt-4o-mini\ntemperature: 0\nscale: binary\nrubric: Pass correct answers.\n`;
}

/** A project of `suites` suites with `perSuite` items each. */
function project(suites, perSuite) {
  const dir = mkdtempSync(join(tmpdir(), 'judge-test-runner-'));
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites/data'), { recursive: true });
  writeFileSync(join(dir, 'judges/sim.yaml'), judgeYaml('sim'));
  for (let s = 0; s < suites; s++) {
    const items = Array.from({ length: perSuite }, (_, i) => {
      const human = i % 2 ? 'fail' : 'pass';
      const judge = i % 10 === 0 ? (human === 'pass' ? 'fail' : 'pass') : human;
      return JSON.stringify({ id: `s${s}-i${i}`, input: `question ${s}/${i}`, output: `answer ${i} ${PAD}[[verdict:${judge}]]`, label: human });
    });
    writeFileSync(join(dir, `calibration-suites/data/s${s}.jsonl`), items.join('\n') + '\n');
    writeFileSync(join(dir, `calibration-suites/s${s}.yaml`), `suite: suite ${s}\njudge: ../judges/sim.yaml\nitems: ./data/s${s}.jsonl\nthresholds:\n  kappa: ">= 0.5"\n`);
  }
  return dir;
}

function cli(args, cwd, env = {}) {
  return new Promise((resolve) => {
    const t = performance.now();
    const pass = Object.fromEntries(['BENCH_CLI', 'BENCH_V8_FLAGS', 'BENCH_LIVE_SET', 'BENCH_OLD_GEN'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
    const child = spawn(process.execPath, [RSS, ...args], { cwd, env: { PATH: process.env.PATH, NO_COLOR: '1', ...pass, ...env } });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.resume();
    child.on('close', (code) => resolve({ code, wall: (performance.now() - t) / 1000, rssMb: Number(/maxrss=(\d+)/.exec(err)?.[1] ?? 0) / 1024, cpuMs: Number(/cpu=(\d+)/.exec(err)?.[1] ?? 0), liveSetMb: Number(/liveset=(\d+)/.exec(err)?.[1] ?? 0), err }));
  });
}

function verdictsOf(file) {
  return JSON.parse(readFileSync(file, 'utf8')).suites.flatMap((s) => s.items.map((i) => `${i.id}=${i.judge}`)).join(',');
}

// 1. The server alone: C concurrent raw requests, no judge-test in the way.
async function serverAlone(sim, c, n) {
  const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x [[verdict:pass]]' }] });
  const one = () =>
    new Promise((resolve) => {
      const req = request(`${sim.openaiBaseURL}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => res.resume().on('end', resolve));
      req.end(body);
    });
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: c }, async () => {
    while (next++ < n) await one();
  }));
  return (performance.now() - t) / 1000;
}

// When the CLI's first call arrives and its last answer leaves: start-up and wind-down apart.
let firstArrival = 0;
let lastAnswer = 0;
const clean = only.has('live')
  ? await startSimServer((req) => {
      const now = performance.now();
      if (!firstArrival) firstArrival = now;
      lastAnswer = now + L;
      return { ...directiveScript(req), delayMs: L };
    })
  : null;
if (clean) try {
  // A plain client at the same concurrency: the ceiling the live rows are held to.
  for (const c of [64, 128]) {
    const alone = await serverAlone(clean, c, 2000);
    row(`simulated server alone (2000 requests, C=${c}, latency ${L} ms)`, `${alone.toFixed(2)} s for a bound of ${((2000 * L) / c / 1000).toFixed(2)} s: efficiency ${((2000 * L) / c / 1000 / alone).toFixed(3)}`);
  }
  // The floors of the live rows' CPU per item: a bare node:http client, and the OpenAI SDK set
  // up as the openai provider sets it up and as it comes, each a process of its own (Node's
  // start-up included), sending the same N requests at C = 64.
  const clientCpu = (mode) =>
    new Promise((resolve) => {
      let out = '';
      const child = spawn(process.execPath, [fileURLToPath(new URL('./plain-client.mjs', import.meta.url)), clean.openaiBaseURL, String(N), '64', mode]);
      child.stdout.on('data', (d) => (out += d));
      child.on('close', () => resolve(Number(/cpu=(\d+)/.exec(out)?.[1] ?? NaN)));
    });
  const bare = await clientCpu('http');
  const sdk = await clientCpu('sdk');
  const sdkPlain = await clientCpu('sdk-plain');
  clean.reset();
  row(`plain clients alone (${N} requests, C=64, latency ${L} ms)`, `CPU per request: node:http ${(bare / N).toFixed(2)} ms, OpenAI SDK as the openai provider sets it up ${(sdk / N).toFixed(2)} ms (building every request's headers: ${(sdkPlain / N).toFixed(2)} ms)`);
  // BENCH_C=64 runs one concurrency (repeat runs for a range).
  for (const c of (process.env.BENCH_C ?? '8,32,64,128').split(',').map(Number)) {
    const dir = project(1, N);
    // Each run meets the server as the first did: not holding the earlier runs' requests.
    clean.reset();
    firstArrival = 0;
    const spawned = performance.now();
    const r = await cli(['--concurrency', String(c), '--reporter', 'json', '--outputFile', 'r.json'], dir, { OPENAI_BASE_URL: clean.openaiBaseURL });
    const exited = spawned + r.wall * 1000;
    const bound = (N * L) / c / 1000;
    row(
      `live N=${N} L=${L} ms C=${c}`,
      `wall ${r.wall.toFixed(2)} s, bound ${bound.toFixed(2)} s, efficiency ${(bound / r.wall).toFixed(3)}, runner overhead ${(((r.wall - bound) * 1000) / N).toFixed(2)} ms/item, CPU ${(r.cpuMs / N).toFixed(2)} ms/item, peak RSS ${r.rssMb.toFixed(0)} MB${r.liveSetMb ? ` (live set at most ${r.liveSetMb} MB: BENCH_LIVE_SET)` : ''}; first call ${(firstArrival - spawned).toFixed(0)} ms after start, exit ${(exited - lastAnswer).toFixed(0)} ms after the last answer (exit ${r.code})`,
    );
    for (const line of r.err.match(/^old-gen=.*$/gm) ?? []) console.log(`  ${line.replace(/^old-gen=(\S+) /, '$1 MB  ')}`);
    rmSync(dir, { recursive: true, force: true });
  }
} finally {
  await clean.close();
}


// 3b. Over a server's concurrency cap: the server takes 16 at once and refuses the rest (429,
// retry-after 100 ms); the run at C = 32 against the run at C = 16.
if (only.has('cap')) {
  const dir = project(1, N);
  const walls = {};
  const refused = {};
  for (const c of [16, 32]) {
    const sim = await startSimServer((req) => ({ ...directiveScript(req), delayMs: L }), { maxConcurrent: 16 });
    walls[c] = (await cli(['--concurrency', String(c), '--no-cache', '--reporter', 'json', '--outputFile', `cap${c}.json`], dir, { OPENAI_BASE_URL: sim.openaiBaseURL })).wall;
    refused[c] = sim.rejected;
    await sim.close();
  }
  row(`server cap 16, C=32 vs C=16, N=${N}`, `wall ${walls[32].toFixed(2)} s vs ${walls[16].toFixed(2)} s (${(walls[32] / walls[16]).toFixed(2)}x); refused ${refused[32]} of ${N + refused[32]} requests (${((100 * refused[32]) / (N + refused[32])).toFixed(1)}%)`);
  rmSync(dir, { recursive: true, force: true });
}

// 3. 429s: a fifth of the items are refused once with retry-after 1 s; the server takes 16 at once.
if (only.has('429')) {
  const dir = project(1, N);
  const cleanSim = await startSimServer((req) => ({ ...directiveScript(req), delayMs: L }), { maxConcurrent: 16 });
  const a = await cli(['--concurrency', '16', '--no-cache', '--reporter', 'json', '--outputFile', 'clean.json'], dir, { OPENAI_BASE_URL: cleanSim.openaiBaseURL });
  await cleanSim.close();
  const limited = await startSimServer(
    (req) => {
      const id = /answer (\d+)/.exec(req.prompt)?.[1];
      if (req.attempt === 0 && id !== undefined && Number(id) % 5 === 0) return { status: 429, headers: { 'retry-after': '1' }, delayMs: 5 };
      return { ...directiveScript(req), delayMs: L };
    },
    { maxConcurrent: 16 },
  );
  const b = await cli(['--concurrency', '16', '--no-cache', '--reporter', 'json', '--outputFile', 'limited.json'], dir, { OPENAI_BASE_URL: limited.openaiBaseURL });
  const same = verdictsOf(join(dir, 'clean.json')) === verdictsOf(join(dir, 'limited.json'));
  row(`429s: 20% refused once (retry-after 1 s), server cap 16, C=16, N=${N}`, `wall ${b.wall.toFixed(2)} s vs clean ${a.wall.toFixed(2)} s (${(b.wall / a.wall).toFixed(2)}x), every item judged: ${b.code === 0}, verdicts identical: ${same}, 429s answered: ${limited.rejected + Math.floor(N / 5)}`);
  await limited.close();
  // A storm as real servers make it: every request, retries too, is refused with probability 1/5.
  let refusedInStorm = 0;
  const storm = await startSimServer(
    (req) => {
      const h = [...`${req.prompt}#${req.attempt}`].reduce((x, ch) => (Math.imul(x, 31) + ch.charCodeAt(0)) | 0, 7);
      if (((h >>> 0) % 5) === 0) {
        refusedInStorm++;
        return { status: 429, headers: { 'retry-after': '1' }, delayMs: 5 };
      }
      return { ...directiveScript(req), delayMs: L };
    },
    { maxConcurrent: 16 },
  );
  const s = await cli(['--concurrency', '16', '--no-cache', '--reporter', 'json', '--outputFile', 'storm.json'], dir, { OPENAI_BASE_URL: storm.openaiBaseURL });
  row(`429s: 20% of every request refused, retries too (retry-after 1 s), server cap 16, C=16, N=${N}`, `wall ${s.wall.toFixed(2)} s vs clean ${a.wall.toFixed(2)} s (${(s.wall / a.wall).toFixed(2)}x), every item judged: ${s.code === 0}, verdicts identical: ${verdictsOf(join(dir, 'clean.json')) === verdictsOf(join(dir, 'storm.json'))}, 429s: ${refusedInStorm + storm.rejected}`);
  await storm.close();
  rmSync(dir, { recursive: true, force: true });
}

// 4. Fully cached re-runs: the cache is written directly with the keys the engine computes.
async function fillCache(dir) {
  const lines = [];
  for (let s = 0; ; s++) {
    let suite;
    try {
      suite = loadSuite(join(dir, `calibration-suites/s${s}.yaml`));
    } catch {
      break;
    }
    const provider = await createProvider({ judge: suite.judge, env: { OPENAI_API_KEY: 'x' }, timeoutMs: 1000 });
    for (const item of suite.items) {
      const label = /\[\[verdict:(\w+)\]\]/.exec(item.fields.output)[1];
      lines.push(JSON.stringify({ key: planTask(suite.judge, provider, item).keys[0], judge: 'sim', model: 'gpt-4o-mini', item: item.id, sample: 0, verdict: { label, reason: 'simulated', raw: `{"reason":"simulated","verdict":"${label}"}` }, usage: { inputTokens: 120, outputTokens: 12 } }));
    }
  }
  mkdirSync(join(dir, '.judge-cache'), { recursive: true });
  writeFileSync(join(dir, '.judge-cache/sim.jsonl'), lines.join('\n') + '\n');
}
for (const [suites, perSuite] of only.has('cached') ? [
  [20, 500],
  [20, 5000],
] : []) {
  const dir = project(suites, perSuite);
  await fillCache(dir);
  const r = await cli(['--offline'], dir, { OPENAI_API_KEY: 'x' });
  row(`fully cached re-run, ${suites * perSuite} items in ${suites} suites`, `wall ${r.wall.toFixed(2)} s (whole CLI process), peak RSS ${r.rssMb.toFixed(0)} MB (exit ${r.code})`);
  rmSync(dir, { recursive: true, force: true });
}

console.log('\n| scenario | figures |\n|---|---|');
for (const [s, f] of rows) console.log(`| ${s} | ${f} |`);
