// --shard and --merge-reports: shards merged give exactly the metrics of one unsharded run.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { parseShard, shardOf } from '../src/shard/shard.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { seededRandom } from '../src/metrics/random.js';

const random = seededRandom(9);
const binary = Array.from({ length: 200 }, (_, i) => {
  const label = random() < 0.5 ? 'pass' : 'fail';
  return { id: `b${i}`, label, verdict: random() < 0.8 ? label : label === 'pass' ? 'fail' : 'pass' };
});
const ordinal = Array.from({ length: 90 }, (_, i) => {
  const t = 1 + Math.floor(random() * 5);
  const near = () => Math.min(5, Math.max(1, t + [-1, 0, 0, 1][Math.floor(random() * 4)]!));
  return { id: `o${i}`, labels: { a: near(), b: near(), c: near() }, verdict: near() };
});

function project() {
  return makeProject({
    'calibration-suites/binary.yaml': 'suite: binary\njudge:\n  id: b\n  provider: recorded\n  path: ./data/b.v.jsonl\n  scale: binary\nitems: ./data/b.jsonl\nthresholds:\n  kappa: ">= 0.5"\n  fp_rate: { max: 0.3, on: ci_high }\n',
    'calibration-suites/ordinal.yaml': 'suite: ordinal\njudge:\n  id: o\n  provider: recorded\n  path: ./data/o.v.jsonl\n  scale: { ordinal: { min: 1, max: 5 } }\nitems: ./data/o.jsonl\nthresholds:\n  kappa_quadratic: ">= 0.5"\n  judge_to_human_ratio: ">= 0.8"\n',
    'calibration-suites/data/b.jsonl': binary.map((r) => JSON.stringify({ id: r.id, label: r.label })).join('\n'),
    'calibration-suites/data/b.v.jsonl': binary.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict })).join('\n'),
    'calibration-suites/data/o.jsonl': ordinal.map((r) => JSON.stringify({ id: r.id, labels: r.labels })).join('\n'),
    'calibration-suites/data/o.v.jsonl': ordinal.map((r) => JSON.stringify({ id: r.id, verdict: r.verdict })).join('\n'),
  });
}

describe('sharding', () => {
  it('three shards merged give the same metrics, thresholds and exit code as one run', async () => {
    const dir = project();
    const whole = await runCli(['--reporter', 'json', '--outputFile', 'whole.json'], { cwd: dir });
    for (const i of [1, 2, 3]) {
      const r = await runCli(['--shard', `${i}/3`, '--reporter', 'json', '--outputFile', `shard${i}.json`], { cwd: dir });
      expect(r.code, r.stderr).toBe(0); // a shard does not gate
      expect(r.stderr).toMatch(new RegExp(`shard ${i}/3: \\d+ items of 2 suites`));
    }
    expect(readdirSync(join(dir, '.judge-test-reports')).sort()).toEqual(['blob-1-3.json', 'blob-2-3.json', 'blob-3-3.json']);
    const merged = await runCli(['--merge-reports', '--reporter', 'json', '--outputFile', 'merged.json'], { cwd: dir });
    expect(merged.code).toBe(whole.code);
    const a = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8')) as JsonReport;
    const b = JSON.parse(readFileSync(join(dir, 'merged.json'), 'utf8')) as JsonReport;
    expect(b.suites.map((s) => s.name)).toEqual(['binary', 'ordinal']);
    for (const [i, s] of a.suites.entries()) {
      expect(b.suites[i]!.metrics).toEqual(s.metrics);
      expect(b.suites[i]!.thresholds).toEqual(s.thresholds);
      expect(b.suites[i]!.items.map((x) => [x.id, x.outcome])).toEqual(s.items.map((x) => [x.id, x.outcome]));
    }
    // Each shard saw only part of the items.
    const partial = JSON.parse(readFileSync(join(dir, 'shard1.json'), 'utf8')) as JsonReport;
    expect(partial.suites[0]!.items.length).toBeLessThan(200);
    expect(partial.suites[0]!.thresholds).toEqual([]);
  });

  it('a missing shard is a clear error at the merge', async () => {
    const dir = project();
    await runCli(['--shard', '1/2'], { cwd: dir });
    const r = await runCli(['--merge-reports'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('judge-test: --merge-reports: shard 2/2 is missing (the blobs hold 1/2)');
    const none = await runCli(['--merge-reports', 'nowhere'], { cwd: dir });
    expect(none.stderr.trim()).toBe('judge-test: --merge-reports: no blob files in nowhere (run the shards with --reporter blob)');
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('a shard missing whose suite is in no other blob is still an error, not a green merge', async () => {
    // A small suite whose every item falls into one shard: without that shard, no blob names it.
    const dir = makeProject({
      'judges/ok.mjs': 'export default () => "fail";\n',
      'calibration-suites/tiny.yaml': 'suite: tiny\njudge:\n  id: ok\n  provider: module\n  path: ../judges/ok.mjs\n  scale: binary\nitems: [{id: only, label: pass}]\nmin_items: 1\nthresholds:\n  accuracy: ">= 0.9"\n',
    });
    const home = shardOf('calibration-suites/tiny.yaml', 'only', 2);
    const other = home === 1 ? 2 : 1;
    await runCli(['--shard', `${other}/2`], { cwd: dir });
    const r = await runCli(['--merge-reports'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`judge-test: --merge-reports: shard ${home}/2 is missing (the blobs hold ${other}/2)`);
  });

  it('a shard given twice, or a blob of another run, is an error at the merge', async () => {
    const dir = project();
    for (const i of [1, 2]) await runCli(['--shard', `${i}/2`], { cwd: dir });
    const reports = join(dir, '.judge-test-reports');
    writeFileSync(join(reports, 'blob-copy.json'), readFileSync(join(reports, 'blob-1-2.json')));
    const twice = await runCli(['--merge-reports'], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr.trim()).toBe('judge-test: --merge-reports: shard 1/2 is in two blobs (blob-1-2.json, blob-copy.json)');
    rmSync(join(reports, 'blob-copy.json'));
    // The suite changes between the shards: shard 2 judged other items than shard 1 planned with.
    const file = join(dir, 'calibration-suites/data/b.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8') + '\n' + JSON.stringify({ id: 'late', label: 'pass' }));
    const verdicts = join(dir, 'calibration-suites/data/b.v.jsonl');
    writeFileSync(verdicts, readFileSync(verdicts, 'utf8') + '\n' + JSON.stringify({ id: 'late', verdict: 'pass' }));
    await runCli(['--shard', '2/2'], { cwd: dir });
    const foreign = await runCli(['--merge-reports'], { cwd: dir });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr.trim()).toBe('judge-test: --merge-reports: blob-1-2.json and blob-2-2.json are shards of different runs (their suites or items differ): re-run every shard');
  });

  it('splits evenly and deterministically', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(parseShard('4/3')).toBeNull();
    expect(parseShard('0/3')).toBeNull();
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[shardOf('calibration-suites/x.yaml', `item-${i}`, 4) - 1]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(100);
    expect(shardOf('s.yaml', 'a', 5)).toBe(shardOf('s.yaml', 'a', 5));
  });
});
