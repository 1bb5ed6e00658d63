// Semantic agreement of rationales: the cosine of embeddings of the judge's reason and the
// human note, from an OpenAI-compatible /v1/embeddings, cached, per item and per suite.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosineSimilarity } from '../src/metrics/cosine.js';
import type { JsonReport } from '../src/report/json.js';
import { runCli } from './helpers/cli.mjs';
import { makeProject, openaiJudge } from './helpers/project.js';
import { directiveScript, simEmbedding, startSimServer } from './helpers/sim-server.mjs';

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/metrics/cosine.json', import.meta.url), 'utf8')) as { cases: { a: number[]; b: number[]; cosine: number }[] };

describe('cosine similarity', () => {
  it('matches SciPy (1 − scipy.spatial.distance.cosine)', () => {
    for (const c of fixtures.cases) expect(cosineSimilarity(c.a, c.b)).toBeCloseTo(c.cosine, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBeNull();
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });
});

// The judge's reason is whatever follows [[why:...]] in the item; the human note says why they labeled it.
const ROWS = [
  { id: 'a', verdict: 'pass', label: 'pass', why: 'the answer cites its source', note: 'cites a source for the claim' },
  { id: 'b', verdict: 'pass', label: 'pass', why: 'it is polite and well formatted', note: 'correct figure with a cited source' },
  { id: 'c', verdict: 'fail', label: 'fail', why: 'no source is cited', note: 'no source cited' },
  { id: 'd', verdict: 'pass', label: 'fail', why: 'looks fine', note: 'wrong year' },
  { id: 'e', verdict: 'fail', label: 'fail', why: 'wrong', note: '' },
];
const script = (req: Parameters<typeof directiveScript>[0]) => {
  const reply = directiveScript(req);
  const why = /\[\[why:([^\]]+)\]\]/.exec(req.prompt)?.[1];
  return why ? { ...reply, reason: why } : reply;
};

describe('rationale_semantic_similarity', () => {
  let sim: Awaited<ReturnType<typeof startSimServer>>;
  beforeAll(async () => {
    sim = await startSimServer(script);
  });
  afterAll(() => sim.close());

  const project = () =>
    makeProject({
      'judges/j.yaml': openaiJudge(`baseURL: ${sim.openaiBaseURL}\n`),
      'calibration-suites/s.yaml': `suite: s\njudge: ../judges/j.yaml\nitems: ./d.jsonl\nmin_items: 2\nrationale_embedding: { model: sim-embed, baseURL: ${sim.openaiBaseURL} }\nthresholds:\n  accuracy: ">= 0.5"\n`,
      'calibration-suites/d.jsonl': ROWS.map((r) => JSON.stringify({ id: r.id, output: `[[verdict:${r.verdict}]] [[why:${r.why}]]`, label: r.label, ...(r.note ? { notes: r.note } : {}) })).join('\n'),
    });

  it('embeds each reason and note once, caches the similarities, and lists the items right for another reason', async () => {
    const dir = project();
    sim.reset();
    const r = await runCli(['--reporter', 'verbose', '--reporter', 'json', '--outputFile.json', 'r.json'], { cwd: dir, env: { OPENAI_API_KEY: 'sk-test-embed-1234567890' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // One request: the unique texts of the 4 items with both a reason and a note.
    expect(sim.embeddingCalls).toHaveLength(1);
    expect(sim.embeddingCalls[0]!.model).toBe('sim-embed');
    expect(sim.embeddingCalls[0]!.input).toHaveLength(8);
    const suite = (JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as JsonReport).suites[0]!;
    const expected = ROWS.filter((x) => x.note).map((x) => cosineSimilarity(simEmbedding(x.why), simEmbedding(x.note))!);
    const got = ROWS.filter((x) => x.note).map((x) => suite.items.find((i) => i.id === x.id)!.rationale_semantic_similarity!);
    got.forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
    expect(suite.items.find((i) => i.id === 'e')!.rationale_semantic_similarity).toBeUndefined();
    expect(suite.metrics.rationale_semantic_similarity!.value).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length, 12);
    expect(suite.metrics.rationale_semantic_similarity!.n).toBe(4);
    // b: right verdict, but the judge's reason has nothing to do with the humans'.
    expect(expected[1]).toBeLessThan(0.5);
    expect(r.stdout).toMatch(/Right verdict, another reason \(semantic similarity of reason and note < 0\.5\) \(1\)\n\s+b: human pass, judge pass — judge: "it is polite and well formatted" — notes: "correct figure with a cited source" — semantic similarity (\d\.\d\d)\n/);
    expect(/semantic similarity (\d\.\d\d)\n/.exec(r.stdout)![1]).toBe(expected[1]!.toFixed(2));
    expect(readFileSync(join(dir, '.judge-cache/embeddings/sim-embed.jsonl'), 'utf8')).not.toContain('sk-test');
    expect((await runCli(['cache', 'stats'], { cwd: dir })).stdout).toMatch(/^embeddings\/: 4 rationale similarities, [\d.]+ KiB$/m);

    // Cached: a re-run embeds nothing, even with no key at all.
    sim.reset();
    const again = await runCli(['--offline', '--reporter', 'json', '--outputFile', 'r2.json'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(sim.embeddingCalls).toHaveLength(0);
    const suite2 = (JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8')) as JsonReport).suites[0]!;
    expect(suite2.metrics.rationale_semantic_similarity!.value).toBe(suite.metrics.rationale_semantic_similarity!.value);
  });

  it('without a key it says why the metric is missing, and a threshold on it fails with the reason', async () => {
    const dir = project();
    await runCli([], { cwd: dir, env: { OPENAI_API_KEY: 'sk-x' } }); // verdicts cached, embeddings too
    const rmEmbeddings = (await import('node:fs')).rmSync;
    rmEmbeddings(join(dir, '.judge-cache/embeddings'), { recursive: true });
    const suiteFile = join(dir, 'calibration-suites/s.yaml');
    const text = readFileSync(suiteFile, 'utf8').replace(/, baseURL: [^ }]+/, '');
    (await import('node:fs')).writeFileSync(suiteFile, text + '  rationale_semantic_similarity: ">= 0.3"\n');
    const r = await runCli(['--reporter', 'default'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warning: suite "s": set OPENAI_API_KEY (or a baseURL) to embed 4 rationale(s) with sim-embed');
    expect(r.stdout).toContain('✗ rationale_semantic_similarity >= 0.3: rationale_semantic_similarity is undefined: set OPENAI_API_KEY (or a baseURL) to embed 4 rationale(s) with sim-embed');
  });
});
