// samples: k (self-consistency) and confidence from logprobs, through the simulated OpenAI server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JsonReport } from '../src/report/json.js';
import { verdictTokenProbability } from '../src/providers/openai.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

let sim: Awaited<ReturnType<typeof startSimServer>>;
beforeAll(async () => {
  sim = await startSimServer();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

function project(judgeExtra: string, outputs: string[]) {
  return makeProject({
    'judges/sim.yaml': openaiJudge(judgeExtra),
    'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\n',
    'calibration-suites/d.jsonl': outputs.map((o, i) => JSON.stringify({ id: `i${i}`, output: o, label: 'pass' })).join('\n'),
  });
}

describe('samples: k', () => {
  it('calls k times per item, takes the majority, and reports flip rate and self-consistency', async () => {
    // i0: always pass. i1: every 3rd sample flips (pass, pass, fail). i2: every 2nd flips (fail, pass, fail -> fail).
    const dir = project('samples: 3\n', ['[[verdict:pass]]', '[[verdict:pass]] [[flip:3]]', '[[verdict:fail]] [[flip:2]]']);
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env });
    expect(r.stderr).toBe('');
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(sim.calls).toHaveLength(9);
    expect(s.items.map((i) => [i.judge, i.samples, i.flip_rate, i.confidence])).toEqual([
      ['pass', ['pass', 'pass', 'pass'], 0, 1],
      ['pass', ['pass', 'pass', 'fail'], 1 / 3, 2 / 3],
      ['fail', ['fail', 'pass', 'fail'], 1 / 3, 2 / 3],
    ]);
    expect(s.metrics.self_consistency!.value).toBeCloseTo((1 + 2 / 3 + 2 / 3) / 3, 12);
    // Each sample has its own cache entry: a re-run makes no call and gives the same verdicts.
    sim.reset();
    const again = JSON.parse((await runCli(['--reporter', 'json'], { cwd: dir, env })).stdout) as JsonReport;
    expect(sim.calls).toHaveLength(0);
    expect(again.suites[0]!.items.map((i) => i.samples)).toEqual(s.items.map((i) => i.samples));
  });
});

describe('a tie among the samples', () => {
  it('is no consensus, shown and not scored — never a pass', async () => {
    // samples: 2 with every 2nd sample flipped: fail then pass, a 1–1 tie; the humans say fail.
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge('samples: 2\n'),
      // Two items are needed: with the tie left out, one is too few and the suite fails.
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 2\nthresholds:\n  accuracy: ">= 0.5"\n',
      'calibration-suites/d.jsonl': [JSON.stringify({ id: 'tie', output: '[[verdict:fail]] [[flip:2]]', label: 'fail' }), JSON.stringify({ id: 'clear', output: '[[verdict:fail]]', label: 'fail' })].join('\n'),
    });
    const env = { OPENAI_BASE_URL: sim.openaiBaseURL };
    const r = await runCli(['--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env });
    const s = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(s.items.map((i) => [i.id, i.judge, i.samples, i.outcome])).toEqual([
      ['tie', null, ['fail', 'pass'], 'no_consensus'],
      ['clear', 'fail', ['fail', 'fail'], 'TN'],
    ]);
    expect(r.code).toBe(1);
    expect(s.metrics.fp_rate!.n).toBe(1); // the tie is not scored
    expect(r.stdout).toMatch(/The judge's samples tie \(not scored; set tie: pass \| fail on the judge to break them\) \(1\)\n\s+tie:/);
  });

  it('is broken the way the judge says (tie: fail | pass)', async () => {
    const items = [JSON.stringify({ id: 'tie', output: '[[verdict:fail]] [[flip:2]]', label: 'fail' })].join('\n');
    for (const [tie, expected] of [['fail', 'TN'], ['pass', 'FP']] as const) {
      const dir = makeProject({
        'judges/sim.yaml': openaiJudge(`samples: 2\ntie: ${tie}\n`),
        'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\n',
        'calibration-suites/d.jsonl': items,
      });
      const r = await runCli(['--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
      expect((JSON.parse(r.stdout) as JsonReport).suites[0]!.items[0]!.outcome).toBe(expected);
    }
  });

  it('on an ordinal scale is a mean halfway between two points', async () => {
    // 2 and 3: the mean 2.5 is no scale point; it is not rounded up.
    const dir = makeProject({
      'judges/sim.yaml': openaiJudge('samples: 2\n').replace('scale: binary', 'scale: { ordinal: { min: 1, max: 5 } }'),
      'calibration-suites/s.yaml': 'suite: s\njudge: ../judges/sim.yaml\nitems: ./d.jsonl\nmin_items: 1\n',
      'calibration-suites/d.jsonl': [JSON.stringify({ id: 'half', output: '[[verdict:2]] [[step:2]]', label: 2 })].join('\n'),
    });
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    const item = (JSON.parse(r.stdout) as JsonReport).suites[0]!.items[0]!;
    expect([item.samples, item.judge, item.outcome]).toEqual([[2, 3], null, 'no_consensus']);
  });
});

describe('confidence: logprobs', () => {
  it('asks for logprobs and takes the verdict token\'s probability as the confidence', async () => {
    const dir = project('confidence: logprobs\n', ['[[verdict:pass]] [[logprob:0.6]]', '[[verdict:fail]] [[logprob:0.95]]']);
    const r = await runCli(['--reporter', 'json'], { cwd: dir, env: { OPENAI_BASE_URL: sim.openaiBaseURL } });
    const s = (JSON.parse(r.stdout) as JsonReport).suites[0]!;
    expect(sim.calls[0]!.body).toMatchObject({ logprobs: true, top_logprobs: 5 });
    expect(s.items.map((i) => i.confidence)).toEqual([expect.closeTo(0.6, 12), expect.closeTo(0.95, 12)]);
    // Item 0 right with 0.6, item 1 wrong with 0.95.
    expect(s.metrics.brier!.value).toBeCloseTo(((1 - 0.6) ** 2 + 0.95 ** 2) / 2, 12);
  });

  it('finds the verdict token in a JSON answer, or the first token of a bare one', () => {
    const tokens = [{ token: '{"reason":"ok","verdict":"', logprob: 0 }, { token: 'pass', logprob: Math.log(0.7) }, { token: '"}', logprob: 0 }];
    expect(verdictTokenProbability(tokens, tokens.map((t) => t.token).join(''))).toBeCloseTo(0.7, 12);
    expect(verdictTokenProbability([{ token: ' fail', logprob: Math.log(0.4) }], ' fail')).toBeCloseTo(0.4, 12);
    expect(verdictTokenProbability([], 'x')).toBeUndefined();
  });

  it('is a config error for providers without logprobs', async () => {
    const dir = makeProject({
      'calibration-suites/s.yaml': 'suite: s\njudge:\n  id: j\n  provider: anthropic\n  model: m\n  rubric: r\n  scale: binary\n  confidence: logprobs\nitems: [{id: a, label: pass}]\n',
    });
    const r = await runCli([], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/confidence: expected logprobs only with provider openai/);
  });
});
