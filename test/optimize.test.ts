// --optimize end to end: the real CLI and the real openai client against the simulated
// server, whose judge follows the rubric it is given and whose optimizer role proposes
// scripted rewrites — one harmful, one that overfits dev, one that helps.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitItems } from '../src/optimize/split.js';
import type { JsonReport } from '../src/report/json.js';
import type { Item } from '../src/types.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';
import { startSimServer } from './helpers/sim-server.mjs';

// 60 answers: a third correct and cited (humans pass), a third correct but uncited (humans
// fail: "no citation"), a third wrong (humans fail). The lenient judge passes every correct
// answer: 20 false positives, kappa ≈ 0.4, fp_rate 0.5.
const ITEMS = Array.from({ length: 60 }, (_, i) => {
  const id = `q${String(i).padStart(2, '0')}`;
  const kind = i % 3;
  const output = kind === 0 ? `answer ${id}: correct [source: doc ${i}]` : kind === 1 ? `answer ${id}: correct` : `answer ${id}: WRONG`;
  return { id, input: `question ${id}`, output, label: kind === 0 ? 'pass' : 'fail', ...(kind === 1 ? { notes: 'correct but cites no source' } : {}) };
});
const SPLIT = splitItems(ITEMS.map((r) => ({ id: r.id, fields: {}, labels: {}, source: { file: '', line: 0, column: 0 } }) as Item), 0.3, 0);
const HOLDOUT = new Set(SPLIT.holdout.map((i) => i.id));

const JUDGE = `# The grounding judge: owned by the search team.
id: grounded
provider: openai
model: sim-model   # the simulated server
temperature: 0
scale: binary
# Edit with care: CI gates on this.
rubric: |
  Pass answers that are correct.
`;

function project(baseURL: string) {
  return makeProject({
    'judges/grounded.yaml': JUDGE.replace('temperature: 0', `baseURL: ${baseURL}\ntemperature: 0`),
    'calibration-suites/grounded.yaml': `suite: grounded\njudge: ../judges/grounded.yaml\nitems: ./data/grounded.jsonl\nmin_items: 5\nthresholds:\n  kappa: ">= 0.7"\n  fp_rate: "<= 0.1"\n`,
    'calibration-suites/data/grounded.jsonl': ITEMS.map((r) => JSON.stringify(r)).join('\n') + '\n',
  });
}

const HARMFUL = 'Fail every answer unless it is perfect in every respect.';
const HELPFUL = 'Pass answers that are correct and cite a source such as [source: ...]. Fail uncited answers, however correct.';

interface SimCall { api: string; prompt: string; status: number; body: { response_format?: { json_schema?: { name?: string } } } }

/** The simulated judge grades by the rubric in its system prompt; the optimizer role is scripted. */
function script() {
  let misalignedSeen: string[] = [];
  return ({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
    const role = body.response_format?.json_schema?.name;
    if (role === 'themes') {
      misalignedSeen = [...prompt.matchAll(/### item "([^"]+)"/g)].map((m) => m[1]!);
      // One real theme, plus an id the model invented: it must be dropped.
      return { text: JSON.stringify({ themes: [{ name: 'ignores missing citations', description: 'passes correct answers that cite no source', items: [...misalignedSeen, 'no-such-item'] }] }) };
    }
    if (role === 'candidates') {
      const holdoutId = [...HOLDOUT][0]!;
      const overfit = `Pass answers that are correct. Fail exactly these answers: ${misalignedSeen.map((id) => `answer ${id}`).join(', ')}.`;
      const candidates = prompt.includes('Already tried')
        ? [{ rubric: HELPFUL, examples: [], rationale: 'ask for citations' }]
        : [
            { rubric: HARMFUL, examples: [], rationale: 'be strict' },
            // It also names a holdout item as a few-shot example: never used.
            { rubric: overfit, examples: [holdoutId], rationale: 'fix the misses one by one' },
          ];
      return { text: JSON.stringify({ candidates }) };
    }
    const rubric = /Rubric:\n([\s\S]*?)\n\nAnswer with a JSON/.exec(prompt)?.[1] ?? '';
    const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(prompt)?.[1] ?? '';
    const id = /answer (q\d+)/.exec(output)?.[1] ?? '';
    let verdict = output.includes('WRONG') ? 'fail' : 'pass';
    if (/perfect in every respect/.test(rubric)) verdict = 'fail';
    if (/cite a source/.test(rubric) && !output.includes('[source:')) verdict = 'fail';
    if (new RegExp(`answer ${id}\\b`).test(rubric)) verdict = 'fail';
    return { verdict, reason: `graded by the rubric (${verdict})` };
  };
}

describe('--optimize', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer(script() as never);
  });
  afterAll(() => sim.close());

  it('rejects the harmful and the overfit rewrite, accepts the one the holdout confirms, and leaks no holdout item', async () => {
    expect(HOLDOUT.size).toBeGreaterThanOrEqual(12); // the seeded split this test relies on
    const dir = project(sim.openaiBaseURL);
    const judgeFile = join(dir, 'judges/grounded.yaml');
    const logFile = join(dir, 'calibration-suites/grounded.optimize.json');
    const env = { OPENAI_API_KEY: 'sk-test-secret-123456789' };

    // --dry-run: the whole search and the diff, but no file changes.
    sim.reset();
    const dry = await runCli(['--optimize', '--dry-run'], { cwd: dir, env });
    expect(dry.stderr).not.toContain('internal error');
    if (process.env.SHOW_OPTIMIZE) console.log(dry.stdout, dry.stderr);
    expect(dry.code).toBe(1); // the judge on disk still fails
    expect(readFileSync(judgeFile, 'utf8')).toBe(JUDGE.replace('temperature: 0', `baseURL: ${sim.openaiBaseURL}\ntemperature: 0`));
    expect(existsSync(logFile)).toBe(false);
    expect(dry.stdout).toContain('--dry-run: judges/grounded.yaml is unchanged');
    expect(dry.stdout).toContain(`+  ${HELPFUL}`);
    expect(dry.stdout).toContain('-  Pass answers that are correct.');
    const callsFirst = sim.calls.length;
    expect(callsFirst).toBeGreaterThan(0);

    // The holdout never reaches the optimizer: no holdout answer in any optimizer prompt.
    const optimizerCalls = (sim.calls as SimCall[]).filter((c) => ['themes', 'candidates'].includes(c.body.response_format?.json_schema?.name ?? ''));
    // themes and candidates in round 1; round 2 asks for candidates only, since its themes
    // prompt (same rubric, same misses) is answered from the cache.
    expect(optimizerCalls.map((c) => c.body.response_format!.json_schema!.name)).toEqual(['themes', 'candidates', 'candidates']);
    for (const c of optimizerCalls) {
      for (const id of HOLDOUT) expect(c.prompt).not.toContain(`answer ${id}`);
      expect(c.prompt).not.toContain('sk-test-secret');
    }

    // Nothing changed: the same search replays from the caches without one call.
    sim.reset();
    const again = await runCli(['--optimize', '--dry-run'], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(sim.calls.length).toBe(0);
    expect(again.stdout).toContain(`+  ${HELPFUL}`);

    // For real: the file is rewritten in place, comments kept, and the log says why.
    const real = await runCli(['--optimize', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env });
    expect(real.code).toBe(0);
    expect(sim.calls.length).toBe(0);
    const rewritten = readFileSync(judgeFile, 'utf8');
    expect(rewritten).toContain('# The grounding judge: owned by the search team.');
    expect(rewritten).toContain('# Edit with care: CI gates on this.');
    expect(rewritten).toContain('# the simulated server');
    expect(rewritten).toContain(`rubric: |\n  ${HELPFUL}\n`);
    expect(real.stdout).toContain('Rewrote judges/grounded.yaml');

    const log = JSON.parse(readFileSync(logFile, 'utf8'));
    expect(log.accepted).toBe(true);
    expect(log.stop).toBe('every threshold passes on dev and holdout');
    const [r1, r2] = log.rounds;
    expect(r1.themes).toEqual([expect.objectContaining({ name: 'ignores missing citations' })]);
    expect(r1.themes[0].items).not.toContain('no-such-item');
    expect(r1.themes[0].items.every((id: string) => !HOLDOUT.has(id))).toBe(true);
    const [harmful, overfit] = r1.candidates;
    expect(harmful).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^dev: ranked below candidate 2/) });
    expect(harmful.holdout).toBeUndefined(); // only the best on dev is tried on the holdout
    expect(overfit).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^holdout: thresholds no closer to met .* it does not generalize$/) });
    expect(overfit.dev.objective.shortfall).toBe(0); // perfect on dev...
    expect(overfit.ignoredExamples).toEqual([[...HOLDOUT][0]]); // ...and its holdout example was never used
    expect(overfit.examples).toEqual([]);
    expect(r2.candidates[0]).toMatchObject({ decision: 'accepted', rubric: HELPFUL + '\n' });

    // The holdout kappa rose and the suite passes.
    const before = log.before.holdout.metrics.kappa.value;
    const after = log.after.holdout.metrics.kappa.value;
    expect(before).toBeLessThan(0.7);
    expect(after).toBeGreaterThan(before);
    expect(after).toBeGreaterThanOrEqual(0.7);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(report.suites[0]!.status).toBe('passed');
    expect(report.suites[0]!.optimization!.written).toBe(true);

    // Now the suite passes: a plain run and another --optimize make no calls.
    const plain = await runCli([], { cwd: dir, env });
    expect(plain.code).toBe(0);
    const noop = await runCli(['--optimize'], { cwd: dir, env });
    expect(noop.code).toBe(0);
    expect(sim.calls.length).toBe(0);
    expect(readFileSync(judgeFile, 'utf8')).toBe(rewritten);
  }, 120_000);

  it('leaves the file untouched and says why when no candidate is accepted', async () => {
    const dir = project(sim.openaiBaseURL);
    const judgeFile = join(dir, 'judges/grounded.yaml');
    const original = readFileSync(judgeFile, 'utf8');
    // One round: only the harmful and the overfit candidates are proposed.
    const r = await runCli(['--optimize', '--optimize-rounds', '1'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(r.code).toBe(1);
    expect(readFileSync(judgeFile, 'utf8')).toBe(original);
    expect(r.stdout).toContain('No candidate was accepted: judges/grounded.yaml is unchanged.');
    expect(r.stdout).toMatch(/✗ candidate 2: holdout: thresholds no closer to met/);
    const log = JSON.parse(readFileSync(join(dir, 'calibration-suites/grounded.optimize.json'), 'utf8'));
    expect(log).toMatchObject({ accepted: false, after: null, rubric: { after: null } });
  }, 60_000);
});
