// What a run pays for code that has not run yet, each in a fresh process (median of `runs`):
// loading a 2,000-row JSONL suite, scoring it cold, and scoring it after the warm-up passes a
// live run makes while its last calls are in flight (2 × 150 resamples on 2,000 verdicts).
// Usage: node bench/cold-paths.mjs [runs=7]     (needs `npm run build`; BENCH_WARM=4x250 tries
// other passes × resamples; BENCH_CLI=<another checkout, built> measures that one, as in
// bench/runner.mjs)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = process.env.BENCH_CLI ? pathToFileURL(process.env.BENCH_CLI.replace(/\/?$/, '/')) : new URL('../', import.meta.url);

if (process.argv[2] === '--child') {
  const [dir, warm] = [process.argv[3], process.argv[4] === 'warm'];
  const { loadSuite } = await import(new URL('dist/config/load-suite.js', root).href);
  const { itemResult, scoreSuite } = await import(new URL('dist/assert/score-suite.js', root).href);
  let t = performance.now();
  const suite = loadSuite(join(dir, 'calibration-suites/s.yaml'));
  const loadMs = performance.now() - t;
  const results = suite.items.map((item, i) => itemResult(suite, i, { status: 'ok', label: /verdict:(\w+)/.exec(item.fields.output)[1], reason: 'simulated', cached: false, usage: { inputTokens: 120, outputTokens: 12 } }));
  // As SuiteRun.warmUpScoring does: the verdicts so far (here all but the last 64), fewer resamples.
  // BENCH_WARM=4x250 tries other passes × resamples (the run makes 2 × 150: SuiteRun.warmUpScoring).
  const [passes, resamples] = (process.env.BENCH_WARM ?? '2x150').split('x').map(Number);
  const warmStart = performance.now();
  if (warm) for (let pass = 0; pass < passes; pass++) scoreSuite({ ...suite, bootstrap: { ...suite.bootstrap, resamples } }, results.slice(0, -64), 0);
  t = performance.now();
  scoreSuite(suite, results, 0);
  process.stdout.write(JSON.stringify({ loadMs, scoreMs: performance.now() - t, warmMs: t - warmStart }));
} else {
  const runs = Number(process.argv[2] ?? 7);
  const dir = mkdtempSync(join(tmpdir(), 'judge-test-cold-'));
  mkdirSync(join(dir, 'judges'));
  mkdirSync(join(dir, 'calibration-suites'));
  writeFileSync(join(dir, 'judges/sim.yaml'), 'id: sim\nprovider: openai\nmodel: gpt-4o-mini\nscale: binary\nrubric: Pass correct answers.\n');
  writeFileSync(join(dir, 'calibration-suites/s.yaml'), 'suite: s\njudge: ../judges/sim.yaml\nitems: ./items.jsonl\nthresholds:\n  kappa: ">= 0.5"\n');
  const rows = Array.from({ length: 2000 }, (_, i) => {
    const human = i % 2 ? 'fail' : 'pass';
    const judge = i % 10 === 0 ? (human === 'pass' ? 'fail' : 'pass') : human;
    return JSON.stringify({ id: `i${i}`, input: `question ${i}`, output: `answer ${i} [[verdict:${judge}]]`, label: human });
  });
  writeFileSync(join(dir, 'calibration-suites/items.jsonl'), rows.join('\n') + '\n');
  const child = (mode) => JSON.parse(spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, mode], { encoding: 'utf8', env: process.env }).stdout);
  const cold = [];
  const warm = [];
  for (let r = 0; r < runs; r++) {
    cold.push(child('cold'));
    warm.push(child('warm'));
  }
  rmSync(dir, { recursive: true, force: true });
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
  console.log(`2,000 items, fresh process, median of ${runs}: load ${median(cold.map((c) => c.loadMs))} ms; scoring cold ${median(cold.map((c) => c.scoreMs))} ms, after the warm-up passes ${median(warm.map((c) => c.scoreMs))} ms (the passes took ${median(warm.map((c) => c.warmMs))} ms)`);
}
