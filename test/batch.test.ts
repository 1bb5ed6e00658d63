// --batch: the uncached calls go through the OpenAI Batch API (JSONL upload) or Anthropic
// Message Batches on the simulated server; answers fill the cache; a failed request is
// judged live; a run killed while waiting resumes the recorded batch without resubmitting.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { BIN, runCli } from './helpers/cli.mjs';
import { binaryItems, makeProject, waitUntil } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

const judge = (provider: 'openai' | 'anthropic', baseURL: string) => `id: bj\nprovider: ${provider}\nmodel: sim-model\nbaseURL: ${baseURL}\ntemperature: 0\nscale: binary\nrubric: Pass correct answers.\n`;

function project(provider: 'openai' | 'anthropic', baseURL: string, rows = 6) {
  const items = Array.from({ length: rows }, (_, i) => ({ id: `b${i}`, human: (i % 2 ? 'fail' : 'pass') as 'pass' | 'fail', judge: i % 2 ? 'fail' : 'pass' }));
  return makeProject({
    'judges/bj.yaml': judge(provider, baseURL),
    'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/bj.yaml\nitems: ./d.jsonl\nmin_items: 2\nthresholds:\n  accuracy: ">= 0.9"\n',
    // One answer fails in the batch (HTTP 500 on its first attempt) and succeeds live.
    'calibration-suites/d.jsonl': binaryItems(items).replace('answer b3 [[verdict:fail]]', 'answer b3 [[verdict:fail]] [[500:1]]'),
  });
}

describe('--batch', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer(undefined, { batchPolls: 2 });
  });
  afterAll(() => sim.close());

  for (const provider of ['openai', 'anthropic'] as const) {
    it(`${provider}: submits one batch, polls it, caches the answers, judges the failed request live`, async () => {
      const baseURL = provider === 'openai' ? sim.openaiBaseURL : sim.anthropicBaseURL;
      const dir = project(provider, baseURL);
      sim.reset();
      const env = provider === 'openai' ? { OPENAI_API_KEY: 'sk-batch-test-123456' } : { ANTHROPIC_API_KEY: 'sk-ant-batch-test-123456' };
      const r = await runCli(['--batch', '--batch-poll', '20', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env });
      expect(r.code).toBe(0);
      expect(sim.batches).toHaveLength(1);
      expect(sim.batches[0]!.api).toBe(provider);
      expect(sim.batches[0]!.requests).toHaveLength(6);
      expect(r.stderr).toMatch(new RegExp(`batch: submitted batch ${sim.batches[0]!.id}: 6 ${provider} requests`));
      expect(r.stderr).toMatch(/batch: waiting for 1 batch\(es\): 0\/6 requests done/);
      expect(r.stderr).toMatch(/batch: 6 request\(s\) in 1 new and 0 resumed batch\(es\); 5 verdict\(s\) cached in \.judge-cache; 1 without a usable answer \(judged live now; first: bj\/b3: .*500/);
      // The run that follows replays the 5 and calls once, live, for b3.
      const live = (sim.calls as { batch?: boolean }[]).filter((c) => !c.batch);
      expect(live).toHaveLength(1);
      const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
      expect(report.stats).toMatchObject({ calls: 1, cached: 5 });
      expect(report.suites[0]!.metrics.accuracy!.value).toBe(1);
      expect(existsSync(join(dir, '.judge-cache/batches')) ? readdirSync(join(dir, '.judge-cache/batches')) : []).toEqual([]);
      // Everything is cached now: a normal run makes no call.
      sim.reset();
      expect((await runCli([], { cwd: dir, env })).code).toBe(0);
      expect(sim.calls).toHaveLength(0);
      expect(sim.batches).toHaveLength(0);
    });
  }

  for (const crashedBeforeTheId of [false, true]) {
    it(`a run killed ${crashedBeforeTheId ? 'between submitting and recording the batch id' : 'while waiting'} resumes the batch without submitting again`, async () => {
      const slow = await startSimServer(undefined, { batchPolls: 6 });
      try {
        const dir = project('openai', slow.openaiBaseURL, 4);
        const env = { PATH: process.env.PATH, NO_COLOR: '1', OPENAI_API_KEY: 'sk-x' };
        const { spawn } = await import('node:child_process');
        const child = spawn(process.execPath, [BIN, '--batch', '--batch-poll', '60000'], { cwd: dir, env });
        // Kill once the provider has the batch and the record on disk carries its id.
        const recordDir = join(dir, '.judge-cache/batches');
        // Only whole records: an atomic write's temporary file may be half written.
        const recordedId = () => existsSync(recordDir) && readdirSync(recordDir).some((f) => f.endsWith('.json') && JSON.parse(readFileSync(join(recordDir, f), 'utf8')).id !== undefined);
        await waitUntil(() => slow.batches.length === 1 && recordedId(), 'the batch is submitted and its id recorded');
        child.kill('SIGKILL');
        await new Promise((r) => child.on('close', r));
        const records = readdirSync(join(dir, '.judge-cache/batches'));
        expect(records).toHaveLength(1);
        const file = join(dir, '.judge-cache/batches', records[0]!);
        const record = JSON.parse(readFileSync(file, 'utf8'));
        expect(record.id).toBe(slow.batches[0]!.id);
        expect(slow.batches[0]!.ended).toBe(false);
        // The record as it is between the two writes: the provider has the batch, the record no id.
        if (crashedBeforeTheId) writeFileSync(file, JSON.stringify({ ...record, id: undefined }));

        const r = await runCli(['--batch', '--batch-poll', '10'], { cwd: dir, env });
        expect(r.code).toBe(0);
        expect(r.stderr).toContain(`batch: resuming batch ${slow.batches[0]!.id} (4 requests, submitted `);
        expect(r.stderr).toContain('4 request(s) in 0 new and 1 resumed batch(es); 3 verdict(s) cached');
        expect(slow.batches).toHaveLength(1); // nothing submitted twice
        expect(readdirSync(join(dir, '.judge-cache/batches'))).toEqual([]);
        const lines = readFileSync(join(dir, '.judge-cache/bj.jsonl'), 'utf8').trim().split('\n');
        expect(lines).toHaveLength(4); // 3 from the batch, b3 judged live
      } finally {
        await slow.close();
      }
    });
  }

  it('an interrupted submission the provider never received is submitted again', async () => {
    const dir = project('openai', sim.openaiBaseURL, 4);
    sim.reset();
    mkdirSync(join(dir, '.judge-cache/batches'), { recursive: true });
    const tag = 'e'.repeat(24);
    writeFileSync(join(dir, `.judge-cache/batches/${tag}.json`), JSON.stringify({ tag, endpoint: { provider: 'openai', baseURL: sim.openaiBaseURL }, submittedAt: '2026-01-01T00:00:00Z', requests: ['f'.repeat(64)] }));
    const r = await runCli(['--batch', '--batch-poll', '10'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('an interrupted submission (1 requests) never reached the provider: submitting them again');
    expect(sim.batches).toHaveLength(1);
  });

  describe('records from a pull request (or a restored CI cache) are not trusted', () => {
    const records = (dir: string) => join(dir, '.judge-cache/batches');
    const write = (dir: string, name: string, record: unknown) => {
      mkdirSync(records(dir), { recursive: true });
      writeFileSync(join(records(dir), name), typeof record === 'string' ? record : JSON.stringify(record));
    };
    const env = { OPENAI_API_KEY: 'sk-batch-test-123456' };

    it('a tag that walks out of the folder deletes and writes nothing outside it', async () => {
      const dir = project('openai', sim.openaiBaseURL, 2);
      writeFileSync(join(dir, 'victim.txt'), 'keep me');
      write(dir, 'evil.json', { tag: '../../victim', endpoint: { provider: 'openai', baseURL: sim.openaiBaseURL }, submittedAt: 'x', requests: [] });
      write(dir, 'evil2.json', { id: 'batch_1', tag: '../../../victim.txt', endpoint: { provider: 'openai', baseURL: sim.openaiBaseURL }, submittedAt: 'x', requests: [] });
      sim.reset();
      const r = await runCli(['--batch', '--batch-poll', '20'], { cwd: dir, env });
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('keep me');
      expect(existsSync(join(dir, 'package.json'))).toBe(false);
      expect(r.stderr).toMatch(/batch: \.judge-cache\/batches\/evil\.json is not a valid batch record \(.*tag.*\): removed/);
    });

    it('an endpoint written in a record never receives the key', async () => {
      const attacker = await startSimServer();
      try {
        const dir = project('openai', sim.openaiBaseURL, 2);
        const tag = 'a'.repeat(24);
        write(dir, `${tag}.json`, { id: 'batch_9', tag, endpoint: { provider: 'openai', baseURL: attacker.openaiBaseURL }, submittedAt: 'x', requests: ['b'.repeat(64)] });
        const r = await runCli(['--batch', '--batch-poll', '20'], { cwd: dir, env });
        expect(r.code, r.stderr).toBe(0);
        expect(attacker.calls.length + attacker.batches.length).toBe(0);
        expect(r.stderr).toContain(`batch: .judge-cache/batches/${tag}.json is for an endpoint no judge of this run uses: left as it is`);
      } finally {
        await attacker.close();
      }
    });

    it('a stale (404) or corrupt record is reported by its file name, not as an internal error', async () => {
      const dir = project('openai', sim.openaiBaseURL, 2);
      const tag = 'c'.repeat(24);
      write(dir, `${tag}.json`, { id: 'batch_gone', tag, endpoint: { provider: 'openai', baseURL: sim.openaiBaseURL }, submittedAt: 'x', requests: ['d'.repeat(64)] });
      write(dir, 'torn.json', '{"tag": "abc');
      const r = await runCli(['--batch', '--batch-poll', '20'], { cwd: dir, env });
      expect(r.stderr).not.toContain('internal error');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`batch: batch batch_gone of \\.judge-cache/batches/${tag}\\.json is unknown to the provider \\(HTTP 404\\): record removed`));
      expect(r.stderr).toMatch(/batch: \.judge-cache\/batches\/torn\.json is not a valid batch record \(not JSON\): removed/);
      expect(readdirSync(records(dir))).toEqual([]);
    });
  });

  it('refuses --batch with --offline', async () => {
    const dir = project('openai', sim.openaiBaseURL, 2);
    const r = await runCli(['--batch', '--offline'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--batch makes calls: not with --offline');
  });
});
