// --optimize end to end: the real CLI and the real openai client against the simulated
// server, whose judge follows the rubric it is given and whose optimizer role proposes
// scripted rewrites — one harmful, one that overfits dev, one that helps.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

interface SimCall { api: string; prompt: string; status: number; body: { response_format?: { json_schema?: { name?: string } }; tools?: { name: string }[] } }

/** The role of a request: the structured-output schema's name (OpenAI) or the forced tool's (Anthropic). */
const roleOf = (body: SimCall['body']) => body.response_format?.json_schema?.name ?? body.tools?.[0]?.name;

/** The simulated judge grades by the rubric in its system prompt; the optimizer role is scripted. */
function script() {
  let misalignedSeen: string[] = [];
  return ({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
    const role = roleOf(body);
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
    const dry = await runCli(['--optimize', '--dry-run', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'dry.json'], { cwd: dir, env });
    expect(dry.stderr).not.toContain('internal error');
    expect(dry.code).toBe(1); // the judge on disk still fails
    // Before the search: what it can cost at most (3 rounds × (3 candidates on dev + the best on the holdout) judge calls, 2 optimizer calls a round).
    const most = 3 * (3 * SPLIT.dev.length + SPLIT.holdout.length);
    expect(dry.stderr).toMatch(new RegExp(`optimize: grounded: the search makes at most ${most} judge calls \\(≈[\\d,]+ input tokens; sim-model has no price\\) and 6 optimizer calls; --max-cost and optimize\\.max_calls bound it`));
    // The search's calls are counted and priced with the run (sim-model has no price: tokens only).
    const dryStats = (JSON.parse(readFileSync(join(dir, 'dry.json'), 'utf8')) as JsonReport).stats;
    expect(dryStats.calls).toBe(sim.calls.length);
    expect(dryStats.spent!.inputTokens).toBeGreaterThan(1000);
    expect(dry.stdout).toMatch(/Cost\s+unpriced \([1-9][\d,]* in \+ [1-9][\d,]* out tokens\)/);
    const dryLog = (JSON.parse(readFileSync(join(dir, 'dry.json'), 'utf8')) as JsonReport).suites[0]!.optimization!;
    expect(dryLog.spent.optimizer.inputTokens).toBeGreaterThan(0);
    expect(dryLog.spent.judge.inputTokens).toBeGreaterThan(0);
    // ...and match the calls the server saw: the search's optimizer calls, and its judge calls
    // (every verdict call but the first run's 60 of the rubric on disk).
    const seen = sim.calls as SimCall[];
    const tokensOf = (cs: SimCall[]) => cs.reduce((n, c) => n + Math.ceil(JSON.stringify((c.body as { messages: unknown }).messages).length / 4), 0);
    const optimizerSeen = seen.filter((c) => ['themes', 'candidates'].includes(roleOf(c.body) ?? ''));
    const searchJudgeSeen = seen.filter((c) => roleOf(c.body) === 'verdict' && !c.prompt.includes('Rubric:\nPass answers that are correct.\n'));
    expect(dryLog.calls.optimizer).toBe(optimizerSeen.length);
    expect(dryLog.spent.optimizer.inputTokens).toBe(tokensOf(optimizerSeen));
    expect(dryLog.calls.judge).toBe(searchJudgeSeen.length);
    expect(dryLog.spent.judge.inputTokens).toBe(tokensOf(searchJudgeSeen));
    expect(dry.stdout).toContain(`search cost: ${optimizerSeen.length} optimizer calls (+1 cached), unpriced (${dryLog.spent.optimizer.inputTokens.toLocaleString('en-US')} in + `);
    expect(dry.stdout).toContain(`; ${searchJudgeSeen.length} judge calls`);
    expect(readFileSync(judgeFile, 'utf8')).toBe(JUDGE.replace('temperature: 0', `baseURL: ${sim.openaiBaseURL}\ntemperature: 0`));
    // The log is written for review (every candidate, its rubric, examples and scores); the judge is not.
    expect(JSON.parse(readFileSync(logFile, 'utf8'))).toMatchObject({ accepted: true, written: false });
    expect(dry.stdout).toContain('--dry-run: judges/grounded.yaml is unchanged');
    expect(dry.stdout).toContain('write one with: judge-test optimize apply calibration-suites/grounded.yaml <round.candidate>');
    expect(dry.stdout).toContain(`+  ${HELPFUL}`);
    expect(dry.stdout).toContain('-  Pass answers that are correct.');
    const callsFirst = sim.calls.length;
    expect(callsFirst).toBeGreaterThan(0);

    // The holdout never reaches the optimizer: no holdout answer in any optimizer prompt.
    // The holdout is read off the judge calls, not from splitItems (a broken split must not
    // hide a leak): candidates are scored on dev only, so the items the harmful candidate
    // judged are dev, and every other item is holdout.
    const calls = sim.calls as SimCall[];
    const judgedWith = (rubric: string) => new Set(calls.filter((c) => roleOf(c.body) === 'verdict' && c.prompt.includes(rubric)).map((c) => /answer (q\d+)/.exec(c.prompt)![1]!));
    const devSeen = judgedWith(HARMFUL);
    const holdoutSeen = ITEMS.map((r) => r.id).filter((id) => !devSeen.has(id));
    expect(judgedWith('Pass answers that are correct.\n').size).toBe(ITEMS.length); // the current rubric: dev and holdout
    expect(holdoutSeen.length).toBeGreaterThanOrEqual(12);
    expect(devSeen.size).toBeGreaterThanOrEqual(30);
    const optimizerCalls = calls.filter((c) => ['themes', 'candidates'].includes(roleOf(c.body) ?? ''));
    // themes and candidates in round 1; round 2 asks for candidates only, since its themes
    // prompt (same rubric, same misses) is answered from the cache.
    expect(optimizerCalls.map((c) => roleOf(c.body))).toEqual(['themes', 'candidates', 'candidates']);
    // Round 2 sees what each round-1 candidate broke: the harmful one failed cited answers the current rubric passed.
    const round2 = optimizerCalls[2]!.prompt;
    expect(round2).toMatch(/"Fail every answer unless it is perfect in every respect\.\\n": dev: degenerate: [^\n]*\n  It got these right before wrong:\n\n#### item "q\d+"\n/);
    expect(round2).toMatch(/output: answer q\d+: correct \[source: doc \d+\]\nhuman label: "pass"; this candidate's verdict: "fail"\nthis candidate's reason: graded by the rubric \(fail\)/);
    for (const c of optimizerCalls) {
      for (const id of holdoutSeen) expect(c.prompt).not.toContain(`answer ${id}`);
      expect(c.prompt).not.toContain('sk-test-secret');
    }

    // Nothing changed: the same search replays from the caches without one call.
    sim.reset();
    const again = await runCli(['--optimize', '--dry-run'], { cwd: dir, env });
    expect(again.code).toBe(1);
    expect(sim.calls.length).toBe(0);
    expect(again.stdout).toContain(`+  ${HELPFUL}`);

    // For real: the file is rewritten in place, comments kept, and the log says why.
    const real = await runCli(['--optimize', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'html', '--outputFile.html', 'r.html', '--reporter', 'junit', '--outputFile.junit', 'r.xml', '--reporter', 'markdown', '--outputFile.markdown', 'r.md'], { cwd: dir, env });
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
    // It fails everything: never a candidate, whatever its shortfall.
    expect(harmful).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^dev: degenerate: its verdicts are nearly constant \(100% fail/) });
    expect(harmful.holdout).toBeUndefined(); // only the best on dev is tried on the holdout
    expect(harmful.newErrors).toEqual([...devSeen].filter((id) => Number(id.slice(1)) % 3 === 0).sort());
    expect(overfit).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^holdout: not better beyond chance \(kappa >= \+ fp_rate <= \+0\.000, p = 1\.000, needs <= 0\.033\) although dev improved: it does not generalize$/) });
    expect(overfit.dev.objective.shortfall).toBe(0); // perfect on dev...
    expect(overfit.ignoredExamples).toEqual([[...HOLDOUT][0]]); // ...and its holdout example was never used
    expect(overfit.examples).toEqual([]);
    expect(r2.candidates[0]).toMatchObject({ decision: 'accepted', rubric: HELPFUL + '\n', reason: expect.stringMatching(/; holdout: better beyond chance \(kappa >= \+ fp_rate <= \+[\d.]+, p = 0\.0\d\d, needs <= 0\.033\)$/) });
    // Every uncited answer on the holdout flipped to fail, none the other way: p = 2^-(their number).
    const uncited = ITEMS.filter((r) => HOLDOUT.has(r.id) && r.notes).length;
    expect(r2.candidates[0].holdout.gain).toMatchObject({ gauge: 'kappa >= + fp_rate <=', p: 2 ** -uncited });
    expect(r2.candidates[0].holdout.gain.confidence).toBeCloseTo(1 - 0.1 / 3, 12);

    // The holdout kappa rose and the suite passes.
    const before = log.before.holdout.metrics.kappa.value;
    const after = log.after.holdout.metrics.kappa.value;
    expect(before).toBeCloseTo(0.545, 3); // the lenient rubric on the seeded holdout
    expect(after).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport;
    expect(report.suites[0]!.status).toBe('passed');
    expect(report.suites[0]!.optimization!.written).toBe(true);
    const html = readFileSync(join(dir, 'r.html'), 'utf8');
    expect(html).toContain('<h3>Optimization</h3>');
    expect(html).toMatch(/<td>ignores missing citations<\/td><td class="num">15<\/td>/);
    expect(html).toMatch(/<tr><td>kappa<\/td><td class="num">0\.328 \[[\d.]+, [\d.]+\]<\/td><td class="num">1\.000/);
    expect(html).toContain('Rewrote judges/grounded.yaml');
    // The search's cost, optimizer and judge apart, in every reporter (replayed from the caches: all cached).
    expect(real.stdout).toMatch(/search cost: 0 optimizer calls \(\+4 cached\), \S+ \(0 in \+ 0 out tokens\); 0 judge calls \(\+\d+ cached\)/);
    expect(html).toMatch(/search cost: 0 optimizer calls \(\+4 cached\)/);
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(/<property name="optimize.search_cost" value="0 optimizer calls \(\+4 cached\)[^"]*"\/>\s*<property name="optimize.outcome" value="candidate 2.1 accepted, judge file rewritten"\/>/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toMatch(/### --optimize\n\n- grounded: candidate 2\.1 accepted, judge file rewritten · search cost: 0 optimizer calls \(\+4 cached\)/);
    for (const f of [logFile, join(dir, 'r.json'), join(dir, 'r.html'), ...['grounded', 'optimizer/grounded'].map((n) => join(dir, `.judge-cache/${n}.jsonl`))]) {
      expect(readFileSync(f, 'utf8')).not.toContain('sk-test-secret');
    }

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
    expect(r.stdout).toMatch(/✗ candidate 1\.2: holdout: not better beyond chance/);
    const log = JSON.parse(readFileSync(join(dir, 'calibration-suites/grounded.optimize.json'), 'utf8'));
    expect(log).toMatchObject({ accepted: false, after: null, rubric: { after: null } });
  }, 60_000);

  it('optimizes an Anthropic judge through the Messages API, the optimizer answering by tool call', async () => {
    const dir = project(sim.openaiBaseURL);
    const judgeFile = join(dir, 'judges/grounded.yaml');
    writeFileSync(judgeFile, JUDGE.replace('provider: openai', 'provider: anthropic'));
    sim.reset();
    const r = await runCli(['--optimize'], { cwd: dir, env: { ANTHROPIC_API_KEY: 'sk-ant-test-1234567890', ANTHROPIC_BASE_URL: sim.anthropicBaseURL } });
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(0);
    expect(readFileSync(judgeFile, 'utf8')).toContain(`rubric: |\n  ${HELPFUL}\n`);
    const roles = (sim.calls as SimCall[]).filter((c) => c.api === 'anthropic').map((c) => roleOf(c.body));
    expect(roles.filter((x) => x === 'themes' || x === 'candidates')).toEqual(['themes', 'candidates', 'candidates']);
    expect(roles.filter((x) => x === 'record_verdict').length).toBeGreaterThan(60);
  }, 60_000);

  it('stops at the call budget, changes nothing, and says so', async () => {
    const dir = project(sim.openaiBaseURL);
    writeFileSync(join(dir, 'judge-test.config.mjs'), 'export default { optimize: { max_calls: 50 } };\n');
    const original = readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8');
    sim.reset();
    const r = await runCli(['--optimize'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stopped: the call budget is spent (before judging the holdout items)');
    expect(readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8')).toBe(original);
    // 60 for the first run; then the budget: 2 optimizer calls and the two candidates on the
    // 39 dev items (the budget is checked between evaluations, so one may overshoot it).
    expect(sim.calls.length).toBe(60 + 2 + 39 + 39);
  }, 60_000);

  it('stops at --max-cost before a candidate evaluation would exceed it, changing nothing', async () => {
    const dir = project(sim.openaiBaseURL);
    writeFileSync(join(dir, 'judge-test.config.mjs'), "export default { prices: { 'sim-model': { input: 1, output: 1 } } };\n");
    const original = readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8');
    // $1 per million tokens: the first run's 60 calls fit in $0.012, and so does one
    // candidate's 39 dev calls after the optimizer's; the second candidate's estimate does not.
    const r = await runCli(['--optimize', '--max-cost', '0.012'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('stopped: the call budget is spent (--max-cost: judging the dev items would exceed it)');
    expect(r.stdout).toMatch(/search cost: 2 optimizer calls, \$[\d.]+ \([\d,]+ in \+ [\d,]+ out tokens\); 39 judge calls \(\+60 cached\), \$[\d.]+/);
    expect(readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8')).toBe(original);
  }, 60_000);

  it('does not optimize recorded verdicts, and says why', async () => {
    const dir = makeProject({
      'calibration-suites/rec.yaml': 'suite: rec\njudge:\n  id: rec\n  provider: recorded\n  path: ./v.jsonl\n  scale: binary\nitems: ./items.jsonl\nthresholds:\n  accuracy: ">= 0.9"\n',
      'calibration-suites/items.jsonl': ITEMS.map((r) => JSON.stringify(r)).join('\n'),
      'calibration-suites/v.jsonl': ITEMS.map((r) => JSON.stringify({ id: r.id, verdict: 'pass' })).join('\n'),
    });
    const r = await runCli(['--optimize'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Not optimized: its verdicts are recorded: they do not depend on the rubric');
  });

  it('refuses --dry-run without --optimize, and --optimize with --watch', async () => {
    const dir = project(sim.openaiBaseURL);
    expect((await runCli(['--dry-run'], { cwd: dir })).stderr).toContain('--dry-run goes with --optimize');
    const w = await runCli(['--optimize', '--watch'], { cwd: dir });
    expect(w.code).toBe(2);
    expect(w.stderr).toContain('--optimize runs on its own');
  });

  it('Ctrl-C during the search writes nothing and exits 130', async () => {
    const judging = script();
    // The candidates answer never comes in time: the search is interrupted while waiting for it.
    const slow = await startSimServer(((req: { body: SimCall['body']; prompt: string }) => ({ ...judging(req), ...(roleOf(req.body) === 'candidates' ? { delayMs: 30_000 } : {}) })) as never);
    try {
      const dir = project(slow.openaiBaseURL);
      const judgeFile = join(dir, 'judges/grounded.yaml');
      const original = readFileSync(judgeFile, 'utf8');
      const { spawn } = await import('node:child_process');
      const { BIN } = await import('./helpers/cli.mjs');
      const child = spawn(process.execPath, [BIN, '--optimize'], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1', OPENAI_API_KEY: 'sk-x' } });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      while (!(slow.calls as SimCall[]).some((c) => roleOf(c.body) === 'candidates')) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGINT');
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(130);
      expect(stderr).toContain('interrupted; no file was changed');
      expect(readFileSync(judgeFile, 'utf8')).toBe(original);
      expect(existsSync(join(dir, 'calibration-suites/grounded.optimize.json'))).toBe(false);
    } finally {
      await slow.close();
    }
  }, 60_000);

  it('optimizes the failing criterion of a multi-criteria judge', async () => {
    const base = script();
    // The same judge, answering two criteria: grounded by the rubric, polite always.
    const composite = await startSimServer(((req: { body: SimCall['body']; prompt: string }) => {
      const reply = base(req) as { verdict?: string; text?: string };
      if (reply.verdict === undefined || !req.prompt.includes('"verdicts"')) return reply;
      return { text: JSON.stringify({ reason: 'graded', verdicts: { grounded: reply.verdict, polite: 'pass' } }) };
    }) as never);
    try {
      const dir = makeProject({
        'judges/grounded.yaml': JUDGE.replace('scale: binary', 'criteria:\n  grounded: binary\n  polite: binary').replace('temperature: 0', `baseURL: ${composite.openaiBaseURL}\ntemperature: 0`),
        'calibration-suites/grounded.yaml': 'suite: g\njudge: ../judges/grounded.yaml\nitems: ./data/grounded.jsonl\nmin_items: 5\nthresholds:\n  grounded: { kappa: ">= 0.7", fp_rate: "<= 0.1" }\n  polite: { accuracy: ">= 0.9" }\n',
        'calibration-suites/data/grounded.jsonl': ITEMS.map(({ label, ...r }) => JSON.stringify({ ...r, label: { grounded: label, polite: 'pass' } })).join('\n') + '\n',
      });
      const r = await runCli(['--optimize'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      expect(readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8')).toContain(`rubric: |\n  ${HELPFUL}\n`);
      expect(r.stdout).toMatch(/✓ calibration-suites\/grounded\.yaml > g › grounded/);
      expect(r.stdout).toMatch(/✓ calibration-suites\/grounded\.yaml > g › polite/);
      const log = JSON.parse(readFileSync(join(dir, 'calibration-suites/grounded.optimize.json'), 'utf8'));
      expect(log).toMatchObject({ suite: 'g › grounded', accepted: true });
    } finally {
      await composite.close();
    }
  }, 60_000);
});

describe('--optimize never accepts a degenerate judge', () => {
  it('a candidate that fails everything is rejected, even when it meets an fp_rate ceiling for free', async () => {
    // The current judge passes everything (kappa 0, fp_rate 1); the only candidate fails
    // everything (kappa 0, fp_rate 0): by summed shortfall it looks better (1.5 -> 0.6).
    const constant = await startSimServer((({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
      const role = roleOf(body);
      if (role === 'themes') return { text: JSON.stringify({ themes: [] }) };
      if (role === 'candidates') return { text: JSON.stringify({ candidates: [{ rubric: 'Fail any answer that contains a number.', examples: [], rationale: 'strict' }] }) };
      return { verdict: /Fail any answer/.test(prompt) ? 'fail' : 'pass', reason: 'by the rubric' };
    }) as never);
    try {
      const dir = makeProject({
        'judges/grounded.yaml': JUDGE.replace('temperature: 0', `baseURL: ${constant.openaiBaseURL}\ntemperature: 0`),
        'calibration-suites/grounded.yaml': `suite: grounded\njudge: ../judges/grounded.yaml\nitems: ./data/grounded.jsonl\nmin_items: 5\nthresholds:\n  kappa: ">= 0.6"\n  fp_rate: "<= 0.1"\n`,
        'calibration-suites/data/grounded.jsonl': ITEMS.map((r) => JSON.stringify(r)).join('\n') + '\n',
      });
      const r = await runCli(['--optimize', '--optimize-rounds', '1', '--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(1);
      const log = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.optimization!;
      expect(log.accepted).toBe(false);
      expect(log.rounds[0]!.candidates[0]).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^dev: degenerate: .*(constant|chance)/) });
      expect(readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8')).toContain('Pass answers that are correct.');
    } finally {
      await constant.close();
    }
  });
});

describe('--optimize re-checks the humans', () => {
  it('lists the dev items every candidate disagrees with and whose label has no note', async () => {
    // Two wrong answers on dev are mislabeled pass, one of them with a note explaining it.
    const devIds = splitItems(ITEMS.map((r) => ({ id: r.id, fields: {}, labels: {}, source: { file: '', line: 0, column: 0 } }) as Item), 0.3, 0).dev.map((i) => i.id);
    const [bare, noted] = devIds.filter((id) => Number(id.slice(1)) % 3 === 2);
    const items = ITEMS.map((r) => (r.id === bare ? { ...r, label: 'pass' } : r.id === noted ? { ...r, label: 'pass', notes: 'we accept this on purpose' } : r));
    const two = await startSimServer((({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
      const role = roleOf(body);
      if (role === 'themes') return { text: JSON.stringify({ themes: [] }) };
      if (role === 'candidates') return { text: JSON.stringify({ candidates: [{ rubric: HELPFUL, examples: [], rationale: 'cite' }, { rubric: `${HELPFUL} Be strict.`, examples: [], rationale: 'cite, strictly' }] }) };
      const rubric = /Rubric:\n([\s\S]*?)\n\nAnswer with a JSON/.exec(prompt)?.[1] ?? '';
      const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(prompt)?.[1] ?? '';
      let verdict = output.includes('WRONG') ? 'fail' : 'pass';
      if (/cite a source/.test(rubric) && !output.includes('[source:')) verdict = 'fail';
      return { verdict, reason: 'by the rubric' };
    }) as never);
    try {
      const dir = makeProject({
        'judges/grounded.yaml': JUDGE.replace('temperature: 0', `baseURL: ${two.openaiBaseURL}\ntemperature: 0`),
        'calibration-suites/grounded.yaml': `suite: grounded\njudge: ../judges/grounded.yaml\nitems: ./data/grounded.jsonl\nmin_items: 5\nthresholds:\n  kappa: ">= 0.95"\n`,
        'calibration-suites/data/grounded.jsonl': items.map((r) => JSON.stringify(r)).join('\n') + '\n',
      });
      const r = await runCli(['--optimize', '--optimize-rounds', '1', '--dry-run', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json', '--reporter', 'html', '--outputFile.html', 'r.html', '--reporter', 'markdown', '--outputFile.markdown', 'r.md'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(r.stderr).not.toContain('internal error');
      const log = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.optimization!;
      expect(log.recheck).toEqual([bare]);
      expect(r.stdout).toContain(`Labels to re-check (every candidate disagrees, no note or rationale): ${bare}`);
      expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain(`Labels to re-check (every candidate disagrees, no note or rationale): ${bare}`);
      expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain(`  - labels to re-check: ${bare}`);
    } finally {
      await two.close();
    }
  });
});

describe('--optimize on an ordinal scale', () => {
  // Cited correct answers are worth 5, uncited correct ones 3, wrong ones 1. The lenient judge
  // gives every correct answer 5: it over-scores a third of the items by 2 points.
  const SCORED = ITEMS.map(({ label, ...r }, i) => ({ ...r, label: i % 3 === 0 ? 5 : i % 3 === 1 ? 3 : 1 }));
  const ORDINAL_HELPFUL = 'Score 5 for a correct answer that cites a source such as [source: ...], 3 for a correct uncited one, 1 for a wrong one.';
  const ORDINAL_HARMFUL = 'Score 1: no answer is good enough.';

  it('rejects the harmful and the overfit rewrite in every round, accepts the helpful one, and the suite then passes', async () => {
    let misalignedSeen: string[] = [];
    const sim = await startSimServer((({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
      const role = roleOf(body);
      if (role === 'themes') {
        misalignedSeen = [...prompt.matchAll(/### item "([^"]+)"/g)].map((m) => m[1]!);
        return { text: JSON.stringify({ themes: [{ name: 'over-scores uncited answers', description: 'gives 5 without a source', items: misalignedSeen }] }) };
      }
      if (role === 'candidates') {
        const overfit = `Score 5 for a correct answer, 1 for a wrong one. Score 3 exactly these: ${misalignedSeen.map((id) => `answer ${id}`).join(', ')}.`;
        const candidates = prompt.includes('Already tried')
          ? [{ rubric: ORDINAL_HARMFUL, examples: [], rationale: 'strict again' }, { rubric: ORDINAL_HELPFUL, examples: [], rationale: 'ask for citations' }]
          : [{ rubric: ORDINAL_HARMFUL, examples: [], rationale: 'be strict' }, { rubric: overfit, examples: [], rationale: 'fix them one by one' }];
        return { text: JSON.stringify({ candidates }) };
      }
      const rubric = /Rubric:\n([\s\S]*?)\n\nAnswer with a JSON/.exec(prompt)?.[1] ?? '';
      const output = /<output>\n([\s\S]*?)\n<\/output>/.exec(prompt)?.[1] ?? '';
      const id = /answer (q\d+)/.exec(output)?.[1] ?? '';
      let verdict = output.includes('WRONG') ? 1 : 5;
      if (/no answer is good enough/.test(rubric)) verdict = 1;
      if (/cites a source/.test(rubric) && verdict === 5 && !output.includes('[source:')) verdict = 3;
      if (new RegExp(`answer ${id}\\b`).test(rubric)) verdict = 3;
      return { verdict, reason: `graded by the rubric (${verdict})` };
    }) as never);
    try {
      const dir = makeProject({
        'judges/graded.yaml': `id: graded\nprovider: openai\nmodel: sim-model\nbaseURL: ${sim.openaiBaseURL}\ntemperature: 0\nscale: {ordinal: {min: 1, max: 5}}   # flow style, kept\nrubric: |\n  Score 5 for a correct answer, 1 for a wrong one.\n`,
        'calibration-suites/graded.yaml': `suite: graded\njudge: ../judges/graded.yaml\nitems: ./data/graded.jsonl\nmin_items: 5\nthresholds:\n  kappa_quadratic: ">= 0.9"\n  mae: "<= 0.3"\n`,
        'calibration-suites/data/graded.jsonl': SCORED.map((r) => JSON.stringify(r)).join('\n') + '\n',
      });
      const r = await runCli(['--optimize', '--reporter', 'json', '--outputFile', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(r.stderr).not.toContain('internal error');
      expect(r.code).toBe(0);
      const log = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.optimization!;
      const byRubric = (text: string) => log.rounds.flatMap((round) => round.candidates).filter((c) => c.rubric.startsWith(text));
      expect(byRubric(ORDINAL_HARMFUL)).toHaveLength(2);
      for (const c of byRubric(ORDINAL_HARMFUL)) expect(c).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^dev: degenerate: its verdicts are nearly constant \(100% 1/) });
      const [overfit] = byRubric('Score 5 for a correct answer, 1 for a wrong one. Score 3 exactly');
      expect(overfit).toMatchObject({ decision: 'rejected', reason: expect.stringMatching(/^holdout: not better beyond chance \(kappa_quadratic >= \+ mae <= \+0\.000, p = 1\.000.* it does not generalize$/) });
      expect(byRubric(ORDINAL_HELPFUL)).toEqual([expect.objectContaining({ decision: 'accepted', reason: expect.stringMatching(/holdout: better beyond chance/) })]);
      const judge = readFileSync(join(dir, 'judges/graded.yaml'), 'utf8');
      expect(judge).toContain('scale: {ordinal: {min: 1, max: 5}}   # flow style, kept\n');
      expect(judge).toContain(`rubric: |\n  ${ORDINAL_HELPFUL}\n`);
      // A plain run of the rewritten judge passes, answered from the cache.
      sim.reset();
      const plain = await runCli([], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(plain.code).toBe(0);
      expect(sim.calls.length).toBe(0);
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe('judge-test optimize apply', () => {
  it('writes a logged candidate byte-exactly as --optimize would, examples too, and refuses a changed judge or a bad log', async () => {
    // Round 1: the harmful rewrite and the helpful one, which names two shown dev items as few-shot examples.
    const sim = await startSimServer((({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
      const role = roleOf(body);
      if (role === 'themes') return { text: JSON.stringify({ themes: [] }) };
      if (role === 'candidates') {
        const shownIds = [...prompt.matchAll(/^### item "([^"]+)"/gm)].map((m) => m[1]!);
        return { text: JSON.stringify({ candidates: [{ rubric: HARMFUL, examples: [], rationale: 'strict' }, { rubric: HELPFUL, examples: shownIds.slice(0, 2), rationale: 'cite' }] }) };
      }
      const rubric = /Rubric:\n([\s\S]*?)\n\n/.exec(prompt)?.[1] ?? '';
      // The item's output is the last one: few-shot examples come before it.
      const output = [...prompt.matchAll(/<output>\n([\s\S]*?)\n<\/output>/g)].at(-1)?.[1] ?? '';
      let verdict = output.includes('WRONG') ? 'fail' : 'pass';
      if (/perfect in every respect/.test(rubric)) verdict = 'fail';
      if (/cite a source/.test(rubric) && !output.includes('[source:')) verdict = 'fail';
      return { verdict, reason: 'by the rubric' };
    }) as never);
    try {
      const env = { OPENAI_API_KEY: 'sk-x' };
      const reviewed = project(sim.openaiBaseURL);
      const direct = project(sim.openaiBaseURL);
      const judgeOf = (dir: string) => readFileSync(join(dir, 'judges/grounded.yaml'), 'utf8');
      const original = judgeOf(reviewed);

      const dry = await runCli(['--optimize', '--dry-run', '--optimize-rounds', '1'], { cwd: reviewed, env });
      expect(dry.stderr).not.toContain('internal error');
      expect(judgeOf(reviewed)).toBe(original);
      const log = JSON.parse(readFileSync(join(reviewed, 'calibration-suites/grounded.optimize.json'), 'utf8'));
      const helpful = log.rounds[0].candidates[1];
      expect(helpful).toMatchObject({ round: 1, index: 2, decision: 'accepted', rubric: HELPFUL + '\n' });
      // The optimizer named two shown items; the set is label-balanced: one pass, one fail.
      expect(helpful.exampleSet.map((e: { verdict: string }) => e.verdict).sort()).toEqual(['fail', 'pass']);

      const real = await runCli(['--optimize', '--optimize-rounds', '1'], { cwd: direct, env });
      expect(real.code).toBe(0);
      const written = judgeOf(direct);
      expect(written).toContain('examples:\n');

      const apply = await runCli(['optimize', 'apply', 'calibration-suites/grounded.yaml', '1.2'], { cwd: reviewed, env: {} });
      expect(apply.stderr).toBe('');
      expect(apply.code).toBe(0);
      expect(apply.stdout).toContain('candidate 1.2 (accepted: ');
      expect(apply.stdout).toContain(`+  ${HELPFUL}`);
      expect(apply.stdout).toContain('Rewrote judges/grounded.yaml');
      expect(judgeOf(reviewed)).toBe(written);
      // ...and the rewritten judge passes.
      expect((await runCli([], { cwd: reviewed, env })).code).toBe(0);

      // The judge changed since the search: nothing is written.
      const again = await runCli(['optimize', 'apply', 'calibration-suites/grounded.yaml', '1.1'], { cwd: reviewed, env: {} });
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('judges/grounded.yaml changed since the search that logged candidate 1.1; run --optimize again');
      expect(judgeOf(reviewed)).toBe(written);
      // No such candidate; a log that is not one; a malformed command.
      const missing = await runCli(['optimize', 'apply', 'calibration-suites/grounded.yaml', '4.1'], { cwd: direct, env: {} });
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('no candidate "4.1" in the log; it has 1.1, 1.2');
      writeFileSync(join(direct, 'calibration-suites/grounded.optimize.json'), JSON.stringify({ judgeSha256: 'x', rounds: [] }));
      const forged = await runCli(['optimize', 'apply', 'calibration-suites/grounded.yaml', '1.2'], { cwd: direct, env: {} });
      expect(forged.code).toBe(2);
      expect(forged.stderr).toMatch(/calibration-suites\/grounded\.optimize\.json: optimize apply: not a search log \(judgeSha256: /);
      expect((await runCli(['optimize', 'apply'], { cwd: direct, env: {} })).stderr).toContain('expected `optimize apply <suite> <candidate>`');
      expect(judgeOf(direct)).toBe(written);
    } finally {
      await sim.close();
    }
  }, 60_000);
});

describe('--optimize keeps a Pareto set', () => {
  it('keeps candidates that trade one threshold for another, shows them to the optimizer, and reports them', async () => {
    // A fails the uncited answers but those with a number divisible by 4 (kappa up most); B fails
    // every uncited answer and the cited ones with an even number (fp_rate 0, but new false negatives).
    const A = 'Fail uncited answers, unless their number is divisible by 4.';
    const B = 'Fail uncited answers, and cited ones with an even number.';
    const number = (output: string) => Number(/answer q(\d+)/.exec(output)?.[1] ?? 1);
    const even = (output: string) => number(output) % 2 === 0;
    const sim = await startSimServer((({ body, prompt }: { body: SimCall['body']; prompt: string }) => {
      const role = roleOf(body);
      if (role === 'themes') return { text: JSON.stringify({ themes: [] }) };
      if (role === 'candidates') return { text: JSON.stringify({ candidates: [{ rubric: A, examples: [], rationale: 'a' }, { rubric: B, examples: [], rationale: 'b' }] }) };
      const rubric = /Rubric:\n([\s\S]*?)\n\n/.exec(prompt)?.[1] ?? '';
      const output = [...prompt.matchAll(/<output>\n([\s\S]*?)\n<\/output>/g)].at(-1)?.[1] ?? '';
      const cited = output.includes('[source:');
      let verdict = output.includes('WRONG') ? 'fail' : 'pass';
      if (rubric.startsWith(A) && !cited && number(output) % 4 !== 0) verdict = 'fail';
      if (rubric.startsWith(B) && (!cited || even(output))) verdict = 'fail';
      return { verdict, reason: 'by the rubric' };
    }) as never);
    try {
      const dir = project(sim.openaiBaseURL);
      const r = await runCli(['--optimize', '--dry-run', '--optimize-rounds', '2', '--reporter', 'default', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } });
      expect(r.stderr).not.toContain('internal error');
      const log = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!.optimization!;
      const [a, b] = log.rounds[0]!.candidates;
      // Neither beats the other on both thresholds on dev.
      expect(a!.dev!.metrics.kappa!.value!).toBeGreaterThan(b!.dev!.metrics.kappa!.value!);
      expect(b!.dev!.metrics.fp_rate!.value!).toBeLessThan(a!.dev!.metrics.fp_rate!.value!);
      const pareto = new Map(log.pareto.map((p) => [p.id, p.bestOn]));
      // A stays whatever happened to B on the holdout: the current rubric does not beat it on kappa.
      expect(pareto.get('1.1')).toContain('kappa >=');
      if (b!.decision === 'rejected') expect(pareto.get('1.2')).toContain('fp_rate <=');
      expect(r.stdout).toMatch(/Pareto set on dev: .*1\.1 \(best on kappa >=\)/);
      // Proposed again in round 2, the same rubrics count once.
      expect([...pareto.keys()].filter((id) => id.startsWith('2.'))).toEqual([]);
      // Round 2's request shows the set, to combine.
      const round2 = sim.calls.filter((c) => roleOf((c as SimCall).body) === 'candidates').at(-1) as SimCall;
      expect(round2.prompt).toContain('Promising so far');
      expect(round2.prompt).toContain(`${JSON.stringify(A + '\n')}: best on `);
    } finally {
      await sim.close();
    }
  }, 60_000);
});
