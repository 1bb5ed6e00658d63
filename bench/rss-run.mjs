// Runs the judge-test CLI in this process, from the same entry bin/judge-test.js uses (the
// bundle when built), and prints to stderr its peak resident memory (KiB) as "maxrss=<n>"
// and its CPU time (ms, user + system) as "cpu=<n>": the benchmarks' memory and CPU figures.
// BENCH_CLI=<another judge-test checkout, built> runs that checkout's CLI instead (A/B);
// BENCH_V8_FLAGS sets V8 flags before it starts; BENCH_LIVE_SET and BENCH_OLD_GEN are memory
// diagnostics (below).
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pathToFileURL } from 'node:url';

// BENCH_V8_FLAGS='--heap-growing-percent=50' tries a V8 setting (the live-memory trade-off).
if (process.env.BENCH_V8_FLAGS) setFlagsFromString(process.env.BENCH_V8_FLAGS);

// BENCH_LIVE_SET=1: a full GC every second, printing the largest heap left after one as
// "liveset=<MB>": what the run really holds, apart from the garbage V8 lets pile up before it
// collects (peak RSS is both). The forced GCs change the run they measure: a diagnostic only.
let liveSet = 0;
if (process.env.BENCH_LIVE_SET) {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc');
  setInterval(() => {
    gc();
    liveSet = Math.max(liveSet, process.memoryUsage().heapUsed);
  }, 1000).unref();
}

// BENCH_OLD_GEN=1: V8's sampling heap profiler, keeping what major GCs collect but not what
// minor ones do: the allocation sites of what outlived the young generation (still held at the
// end, or garbage a mark-compact had to collect), printed as "old-gen=<MB> <site>" lines.
const oldGen = process.env.BENCH_OLD_GEN ? new (await import('node:inspector/promises')).Session() : undefined;
if (oldGen) {
  oldGen.connect();
  await oldGen.post('HeapProfiler.enable');
  await oldGen.post('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: false });
}

/** The profile's bytes by allocating function, largest first. */
function sitesOf(profile, top = 15) {
  const bytes = new Map();
  const walk = (node) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const site = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`;
    if (node.selfSize) bytes.set(site, (bytes.get(site) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child);
  };
  walk(profile.head);
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  return [['(all sites)', total], ...[...bytes].sort((a, b) => b[1] - a[1]).slice(0, top)];
}

const root = process.env.BENCH_CLI ? pathToFileURL(process.env.BENCH_CLI.replace(/\/?$/, '/')) : new URL('../', import.meta.url);
const bundled = new URL('dist/bundle/main.js', root);
const { main } = await import((existsSync(bundled) ? bundled : new URL('dist/cli/main.js', root)).href);
const code = await main(process.argv.slice(2));
if (oldGen) {
  const { profile } = await oldGen.post('HeapProfiler.stopSampling');
  for (const [site, n] of sitesOf(profile)) process.stderr.write(`old-gen=${(n / 1048576).toFixed(1)} ${site}\n`);
}
const usage = process.resourceUsage();
process.stderr.write(`maxrss=${usage.maxRSS}\ncpu=${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)}\n${liveSet ? `liveset=${Math.round(liveSet / 1048576)}\n` : ''}`);
// As bin/judge-test.js: exit as soon as the output is flushed.
if (process.stdout.writableLength === 0 && process.stderr.writableLength === 0) process.exit(code);
process.exitCode = code;
