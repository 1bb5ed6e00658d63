// End to end: the built binary on temp projects, against the simulated OpenAI server.
import { cpSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VerdictCache } from '../src/cache/store.js';
import { loadSuites } from '../src/config/load-suite.js';
import { cacheAnswer, planTask } from '../src/judge/evaluate-item.js';
import { sequenceRatio } from '../src/metrics/text-similarity.js';
import { createProvider } from '../src/providers/index.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { binaryItems, jsonlLines, makeProject, openaiJudge, waitUntil } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const env = () => ({ OPENAI_BASE_URL: sim.openaiBaseURL, OPENAI_API_KEY: 'sk-test-secret-key-0123456789' });

// 10 items: 4 TP, 4 TN, 1 FP, 1 FN -> accuracy 0.8, fp_rate 0.2, kappa 0.6.
const ROWS = [
  ...['a', 'b', 'c', 'd'].map((id) => ({ id, human: 'pass' as const, judge: 'pass' })),
  ...['e', 'f', 'g', 'h'].map((id) => ({ id, human: 'fail' as const, judge: 'fail' })),
  { id: 'fp-1', human: 'fail' as const, judge: 'pass', notes: 'cites the wrong year' },
  { id: 'fn-1', human: 'pass' as const, judge: 'fail' },
];

function project(thresholds: string, judgeExtra = '') {
  return makeProject({
    'judges/sim.yaml': openaiJudge(judgeExtra),
    'calibration-suites/answers.yaml': `suite: answers are correct\njudge: ../judges/sim.yaml\nitems: ./data/answers.jsonl\nmin_items: 5\nthresholds:\n${thresholds}`,
    'calibration-suites/data/answers.jsonl': binaryItems(ROWS),
  });
}

/** Writes the verdicts a run against OpenAI's default endpoint would cache for the project's one suite (each item's [[verdict:x]]). */
async function seedDefaultEndpointCache(dir: string): Promise<void> {
  const [suite] = loadSuites(join(dir, 'calibration-suites/s.yaml'));
  const provider = await createProvider({ judge: suite!.judge, env: {}, timeoutMs: 1000 });
  const cache = new VerdictCache(join(dir, '.judge-cache'));
  for (const item of suite!.items) {
    const verdict = /\[\[verdict:(\w+)\]\]/.exec(String(item.fields.output))![1]!;
    expect(cacheAnswer(planTask(suite!.judge, provider, item), 0, { text: JSON.stringify({ reason: `simulated verdict ${verdict}`, verdict }) }, cache, {})).toBeNull();
  }
  cache.close();
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as JsonReport;

describe('the bundled examples', () => {
  it('run with no API key and pass', async () => {
    // On a copy, as the README's command runs them (history on), so the run cannot append to
    // the repository's tracked history files.
    const copy = makeProject({});
    for (const part of ['calibration-suites', 'judges']) cpSync(join(REPO, part), join(copy, part), { recursive: true });
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'examples.json'], { cwd: copy });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ calibration-suites\/cebab-service\.yaml/);
    expect(r.stdout).toMatch(/set OPENAI_API_KEY, or OPENAI_BASE_URL/);
    const report = readJson(join(copy, 'examples.json'));
    expect(report.success).toBe(true);
    const byName = Object.fromEntries(report.suites.map((s) => [s.file, s]));
    expect(byName['calibration-suites/live-correctness.yaml']!.status).toBe('skipped');
    expect(byName['calibration-suites/cebab-service.yaml']!.status).toBe('passed');
    expect(byName['calibration-suites/cebab-service.yaml']!.items).toHaveLength(150);
    expect(byName['calibration-suites/summeval-consistency.yaml']!.metrics.spearman!.value).toBeGreaterThan(0.4);
    expect(report.stats.calls).toBe(0);
    // One answer per item read locally (150 + 150 + 100 + 100 + 150 pairs): the three criterion views share theirs.
    expect(report.stats.local).toBe(650);
    // The pairwise example, on pairs derived from the experts' ratings.
    expect(byName['calibration-suites/summeval-pairs.yaml']!.metrics.accuracy_excluding_ties!.value).toBeCloseTo(32 / 43, 12);
    // The multi-criteria example: a view per criterion, and the criteria together.
    const dims = report.suites.filter((s) => s.file === 'calibration-suites/summeval-3dims.yaml');
    expect(dims.map((s) => [s.name.split(' › ')[1], s.status])).toEqual([
      ['consistency', 'passed'],
      ['fluency', 'passed'],
      ['relevance', 'passed'],
      ['all criteria', 'passed'],
    ]);
  });
});

describe('a live suite', () => {
  it('passes, writes JSON, and a re-run makes zero provider calls', async () => {
    const dir = project('  accuracy: ">= 0.8"\n  fp_rate: "<= 0.2"\n  kappa: { min: 0.6 }\n');
    const args = ['--reporter', 'json', '--outputFile', 'out.json'];
    const first = await runCli(args, { cwd: dir, env: env() });
    expect(first.code, first.stderr).toBe(0);
    expect(sim.calls).toHaveLength(10);
    const report = readJson(join(dir, 'out.json'));
    expect(report.stats).toMatchObject({ calls: 10, cached: 0 });
    const suite = report.suites[0]!;
    expect(suite).toMatchObject({ file: 'calibration-suites/answers.yaml', name: 'answers are correct', judge: 'sim-judge', status: 'passed' });
    expect(suite.metrics.accuracy).toMatchObject({ value: 0.8, n: 10 });
    expect(suite.metrics.accuracy!.ci![0]).toBeLessThan(0.8);
    expect(suite.metrics.kappa!.ci![1]).toBeGreaterThan(0.6);
    expect(suite.metrics.fp_rate!.value).toBeCloseTo(0.2);
    expect(suite.metrics.kappa!.value).toBeCloseTo(0.6);
    expect(suite.thresholds.map((t) => [t.metric, t.op, t.target, t.status])).toEqual([
      ['accuracy', '>=', 0.8, 'passed'],
      ['fp_rate', '<=', 0.2, 'passed'],
      ['kappa', '>=', 0.6, 'passed'],
    ]);
    expect(suite.items.find((i) => i.id === 'fp-1')).toMatchObject({ human: 'fail', judge: 'pass', outcome: 'FP', reason: 'simulated verdict pass' });
    expect(suite.items.find((i) => i.id === 'fn-1')!.outcome).toBe('FN');
    // The only item with a human note: its similarity to the judge's reason is the suite's.
    const fp = suite.items.find((i) => i.id === 'fp-1')!;
    expect(fp.rationale_similarity).toBeCloseTo(sequenceRatio('simulated verdict pass', 'cites the wrong year'), 12);
    expect(suite.metrics.rationale_similarity).toMatchObject({ value: fp.rationale_similarity, n: 1 });

    const cacheFile = join(dir, '.judge-cache/sim-judge.jsonl');
    const cacheText = readFileSync(cacheFile, 'utf8');
    expect(cacheText.trim().split('\n')).toHaveLength(10);
    expect(cacheText).not.toContain('sk-test-secret');

    sim.reset();
    const second = await runCli(args, { cwd: dir, env: env() });
    expect(second.code).toBe(0);
    expect(sim.calls).toHaveLength(0);
    expect(readJson(join(dir, 'out.json')).stats).toMatchObject({ calls: 0, cached: 10 });
    expect(readJson(join(dir, 'out.json')).suites[0]!.metrics.kappa!.value).toBeCloseTo(0.6);

    // Cached verdicts replay without a key (CI with a committed cache), for the endpoint that
    // gave them: with none configured, a local server's verdicts are not OpenAI's.
    const keyless = await runCli(['--offline'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    expect(keyless.code, keyless.stderr).toBe(0);
    const asOpenAI = await runCli(['--offline'], { cwd: dir });
    expect(asOpenAI.code).toBe(2);
    expect(asOpenAI.stderr).toMatch(/^judge-test: --offline: no cached verdict for 10 item\(s\)/);

    // One word of the rubric changed: every verdict of that judge is recomputed.
    writeFileSync(join(dir, 'judges/sim.yaml'), openaiJudge().replace('Pass correct answers.', 'Pass correct answers only.'));
    const third = await runCli(args, { cwd: dir, env: env() });
    expect(third.code).toBe(0);
    expect(sim.calls).toHaveLength(10);

    // --no-cache calls again and writes nothing.
    sim.reset();
    const before = readFileSync(cacheFile, 'utf8');
    await runCli([...args, '--no-cache'], { cwd: dir, env: env() });
    expect(sim.calls).toHaveLength(10);
    expect(readFileSync(cacheFile, 'utf8')).toBe(before);
  });

  it('skip_without_key skips only when something is not cached', async () => {
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nskip_without_key: true\nitems: ./d.jsonl\nthresholds:\n  accuracy: ">= 0.5"\n',
      'calibration-suites/d.jsonl': binaryItems(ROWS),
    });
    const skipped = await runCli(['--reporter', 'json'], { cwd: dir });
    expect(skipped.code).toBe(0);
    const s = (JSON.parse(skipped.stdout) as JsonReport).suites[0]!;
    expect(s.status).toBe('skipped');
    expect(s.message).toBe('set OPENAI_API_KEY, or OPENAI_BASE_URL (or baseURL in the judge) for an OpenAI-compatible server (10 of 10 items not cached)');
    // A cache committed from OpenAI's own endpoint (made here with the keys a run against it
    // uses) replays with no key at all: nothing left to call, so nothing to skip.
    await seedDefaultEndpointCache(dir);
    const replayed = await runCli(['--reporter', 'json'], { cwd: dir });
    expect((JSON.parse(replayed.stdout) as JsonReport).suites[0]!.status).toBe('passed');
  });

  it('fails a missed threshold with exit 1, and JUnit shows the failure and the items behind it', async () => {
    const dir = project('  kappa: ">= 0.9"\n  accuracy: ">= 0.5"\n');
    const r = await runCli(['--reporter', 'default', '--reporter', 'junit', '--outputFile.junit', 'reports/junit.xml'], { cwd: dir, env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ calibration-suites\/answers\.yaml/);
    expect(r.stdout).toMatch(/✗ kappa 0\.600 \[0\.\d{3}, 1\.000\] \(target >= 0\.9, n=10\)/);
    expect(r.stdout).toMatch(/False positives .*\(1\)\n\s+fp-1: human fail, judge pass — judge: "simulated verdict pass" — notes: "cites the wrong year"/);
    const xml = readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
    const suites = doc.testsuites;
    expect(suites).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    const suite = suites.testsuite;
    expect(suite.name).toBe('answers are correct');
    const cases = [suite.testcase].flat();
    expect(cases.map((c: { name: string }) => c.name)).toEqual(['kappa >= 0.9', 'accuracy >= 0.5']);
    expect(cases[0].classname).toBe('calibration-suites/answers');
    expect(cases[0].failure.message).toMatch(/^kappa 0\.600 \[0\.\d{3}, 1\.000\] \(target >= 0\.9, n=10\)$/);
    expect(cases[0].failure['#text']).toMatch(/fp-1: human fail, judge pass/);
    expect(cases[0].failure['#text']).toMatch(/fn-1: human pass, judge fail/);
    expect(cases[1].failure).toBeUndefined();
    const props = [suite.properties.property].flat().map((p: { name: string; value: string }) => [p.name, p.value]);
    expect(props).toContainEqual(['judge', 'sim-judge']);
    expect(props).toContainEqual(['model', 'sim-model']);
    expect(props).toContainEqual(['metric.accuracy', expect.stringMatching(/^0\.800 \[0\.\d{3}, 0\.\d{3}\] \(n=10\)$/)]);
  });

  it('reports unparseable answers as their own outcome and rate', async () => {
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': `suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\nthresholds:\n  unparseable_rate: "<= 0.1"\n`,
      'calibration-suites/d.jsonl': binaryItems([{ id: 'ok', human: 'pass', judge: 'pass' }]) + JSON.stringify({ id: 'bad', output: '[[malformed]]', label: 'pass' }) + '\n',
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env: env() });
    expect(r.code).toBe(1);
    const suite = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(suite.metrics.unparseable_rate).toMatchObject({ value: 0.5, n: 2 });
    expect(suite.items.find((i) => i.id === 'bad')).toMatchObject({ outcome: 'unparseable', judge: null, raw: 'I think this one is fine, probably.', error: 'no JSON object in the answer' });
    expect(suite.metrics.accuracy).toMatchObject({ value: 1, n: 1 });
    // An unparseable answer is never cached: the next run asks again.
    sim.reset();
    await runCli(['--reporter', 'json'], { cwd: dir, env: env() });
    expect(sim.calls.map((c) => c.prompt.includes('[[malformed]]'))).toEqual([true, true]);
  });

  it('exits 3 when the provider keeps failing, naming judge and item, without leaking the key', async () => {
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': `suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n`,
      'calibration-suites/d.jsonl': JSON.stringify({ id: 'down', output: '[[500:99]]', label: 'pass' }) + '\n',
    });
    const r = await runCli(['--retries', '1'], { cwd: dir, env: env() });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/judge "sim-judge", item "down": openai: HTTP 500/);
    expect(r.stdout + r.stderr).not.toContain('sk-test-secret');
  });

  it('filters suites by file and by name, and --bail stops after a failure', async () => {
    const files: Record<string, string> = { 'judges/sim.yaml': openaiJudge(), 'calibration-suites/data/d.jsonl': binaryItems(ROWS) };
    for (const n of ['alpha', 'beta', 'gamma']) {
      files[`calibration-suites/${n}.yaml`] = `suite: ${n} suite\njudge: ../judges/sim.yaml\nitems: ./data/d.jsonl\nthresholds:\n  kappa: "${n === 'alpha' ? '>= 0.99' : '>= 0.5'}"\n`;
    }
    const dir = makeProject(files);
    const names = (out: string) => (JSON.parse(out) as JsonReport).suites.map((s) => `${s.name}:${s.status}`);
    const byFile = await runCli(['beta', '--reporter', 'json'], { cwd: dir, env: env() });
    expect(names(byFile.stdout)).toEqual(['beta suite:passed']);
    const byName = await runCli(['-t', '^(gamma|beta)', '--reporter', 'json'], { cwd: dir, env: env() });
    expect(names(byName.stdout)).toEqual(['beta suite:passed', 'gamma suite:passed']);
    const bail = await runCli(['--bail', '--concurrency', '1', '--no-cache', '--reporter', 'json'], { cwd: dir, env: env() });
    expect(bail.code).toBe(1);
    expect(names(bail.stdout)).toEqual(['alpha suite:failed', 'beta suite:skipped', 'gamma suite:skipped']);
  });

  it('keeps concurrency within --concurrency', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `i${i}`, human: 'pass' as const, judge: 'pass' }));
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': `suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n`,
      'calibration-suites/d.jsonl': rows.map((r) => JSON.stringify({ id: r.id, output: `[[slow:60]] ${r.id}`, label: 'pass' })).join('\n'),
    });
    const r = await runCli(['--concurrency', '3'], { cwd: dir, env: env() });
    expect(r.code).toBe(0);
    expect(sim.calls).toHaveLength(12);
    expect(sim.maxInFlight).toBe(3);
  });
});

describe('Ctrl-C', () => {
  for (const noCache of [false, true]) {
    it(`stops, reports what finished, exits 130${noCache ? ' (--no-cache: nothing said to be cached)' : ' and keeps finished verdicts cached'}`, async () => {
      sim.reset();
      const fast = Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: `fast${i}`, output: `f${i}`, label: 'pass' }));
      const slow = Array.from({ length: 4 }, (_, i) => JSON.stringify({ id: `slow${i}`, output: `[[slow:30000]] s${i}`, label: 'pass' }));
      const dir = makeProject({
        'judges/sim.yaml': openaiJudge(),
        'calibration-suites/s.yaml': `suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n`,
        'calibration-suites/d.jsonl': [...fast, ...slow].join('\n'),
      });
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('./helpers/cli.mjs');
      const child = spawn(process.execPath, [BIN, '--concurrency', '8', ...(noCache ? ['--no-cache'] : [])], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env() } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      // Interrupt once the 4 fast verdicts are in (the cache, or the server's answers with
      // --no-cache) and the 4 slow calls are in flight.
      const cacheFile = join(dir, '.judge-cache/sim-judge.jsonl');
      await waitUntil(() => sim.calls.length >= 8 && (noCache ? sim.answered >= 4 : jsonlLines(cacheFile).length === 4), 'the fast verdicts are in and the slow calls sent');
      child.kill('SIGINT');
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(130);
      expect(stderr).toMatch(/Stopping/);
      // The summary counts what the suite line says was judged (with --no-cache the last fast
      // answer may still be on its way when the signal lands).
      const judged = Number(/cancelled after (\d) of 8 items/.exec(stdout)![1]);
      if (!noCache) expect(judged).toBe(4);
      expect(judged).toBeGreaterThan(0);
      expect(stdout).toMatch(new RegExp(`Items\\s+${judged} judged`));
      if (noCache) {
        expect(stdout).not.toContain('are cached');
        expect(stdout).toContain('--no-cache: nothing was cached');
        expect(existsSync(cacheFile)).toBe(false);
      } else {
        const lines = readFileSync(cacheFile, 'utf8').trim().split('\n');
        expect(lines.map((l) => JSON.parse(l).item).sort()).toEqual(['fast0', 'fast1', 'fast2', 'fast3']);
      }
    });
  }
});

describe('the cache store', () => {
  it('keeps every finished verdict through kill -9', async () => {
    const fast = Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: `fast${i}`, output: `f${i}`, label: 'pass' }));
    const slow = JSON.stringify({ id: 'slow', output: '[[slow:30000]]', label: 'pass' });
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': [...fast, slow].join('\n'),
    });
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.mjs');
    const child = spawn(process.execPath, [BIN], { cwd: dir, env: { PATH: process.env.PATH, ...env() } });
    const cacheFile = join(dir, '.judge-cache/sim-judge.jsonl');
    await waitUntil(() => sim.calls.length >= 6 && jsonlLines(cacheFile).length === 5, 'the fast verdicts are cached and the slow call sent');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const lines = readFileSync(join(dir, '.judge-cache/sim-judge.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).item).sort()).toEqual(['fast0', 'fast1', 'fast2', 'fast3', 'fast4']);
  });

  it('two processes filling the same cache at once lose and corrupt nothing', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: `i${i}`, human: 'pass' as const, judge: i % 3 ? 'pass' : 'fail' }));
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': binaryItems(rows),
    });
    const [a, b] = await Promise.all([runCli(['--concurrency', '4'], { cwd: dir, env: env() }), runCli(['--concurrency', '4'], { cwd: dir, env: env() })]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const lines = readFileSync(join(dir, '.judge-cache/sim-judge.jsonl'), 'utf8').split('\n').filter(Boolean);
    const entries = lines.map((l) => JSON.parse(l)); // every line is whole JSON
    expect(new Set(entries.map((e) => e.item)).size).toBe(60);
    sim.reset();
    const after = await runCli([], { cwd: dir, env: env() });
    expect(after.stderr).toBe('');
    expect(sim.calls).toHaveLength(0);
  });

  it('never caches a truncated answer', async () => {
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': binaryItems([{ id: 'whole', human: 'pass', judge: 'pass' }]) + JSON.stringify({ id: 'cut', output: '[[truncated]]', label: 'pass' }) + '\n',
    });
    await runCli([], { cwd: dir, env: env() });
    sim.reset();
    await runCli([], { cwd: dir, env: env() });
    expect(sim.calls.map((c) => c.prompt.includes('[[truncated]]'))).toEqual([true]);
  });

  it('skips a torn or corrupt line with a warning and recomputes that verdict', async () => {
    const dir = project('  accuracy: ">= 0.5"\n');
    await runCli([], { cwd: dir, env: env() });
    const file = join(dir, '.judge-cache/sim-judge.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    // Corrupt one line and tear the last one, as a crash mid-write would.
    lines[0] = '<<<<<<< HEAD';
    writeFileSync(file, lines.join('\n').slice(0, -20));
    sim.reset();
    const r = await runCli([], { cwd: dir, env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/skipped 2 torn or corrupt cache line\(s\)/);
    expect(sim.calls).toHaveLength(2);
    // The new lines start on a fresh line: the file is whole again.
    sim.reset();
    const again = await runCli([], { cwd: dir, env: env() });
    expect(sim.calls).toHaveLength(0);
    expect(again.stderr).toMatch(/skipped 2/); // the old damage stays visible until pruned
    expect(existsSync(file)).toBe(true);
    expect(readdirSync(join(dir, '.judge-cache'))).toEqual(['sim-judge.jsonl']);
  });
});

describe('one call per cache key', () => {
  it('two suites sharing a judge and items call each item once in a run', async () => {
    sim.reset();
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/a.yaml': 'suite: a\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/b.yaml': 'suite: b\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': binaryItems(ROWS),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(sim.calls).toHaveLength(ROWS.length);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.stats.calls).toBe(ROWS.length);
    expect(report.suites.map((s) => s.items.length)).toEqual([ROWS.length, ROWS.length]);
    expect(report.suites[1]!.metrics).toEqual(report.suites[0]!.metrics);
  });
});

describe('two processes on one cache', () => {
  it('a run started beside another replays what the other has paid for instead of calling again', async () => {
    sim.reset();
    const rows = Array.from({ length: 40 }, (_, i) => JSON.stringify({ id: `i${i}`, output: `[[slow:250]] a${i}`, label: 'pass' }));
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge(),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\n',
      'calibration-suites/d.jsonl': rows.join('\n') + '\n',
    });
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./helpers/cli.mjs');
    const start = () => new Promise((r) => spawn(process.execPath, [BIN, '--concurrency', '4'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env() } }).on('close', r));
    const first = start();
    // The second starts when the first has cached a quarter of the items.
    await waitUntil(() => jsonlLines(join(dir, '.judge-cache/sim-judge.jsonl')).length >= 10, 'a quarter is cached');
    const second = start();
    expect(await Promise.all([first, second])).toEqual([0, 0]);
    // Without re-reading the cache, the second would call the 30 items it did not find at its
    // start (70 calls in all); it finds most of them as the first answers them.
    expect(sim.calls.length).toBeLessThan(60);
    expect(new Set(jsonlLines(join(dir, '.judge-cache/sim-judge.jsonl')).map((l) => JSON.parse(l).item)).size).toBe(40);
  });
});
