// The pure parts of --optimize: split, misalignments, example selection, objective,
// optimizer prompts (the holdout guard) and the in-place YAML rewrite.
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findMisalignments } from '../src/optimize/misalignments.js';
import { atLeastAsGood, compareObjectives, dominates, noWorse, objectiveOf, roleOf, shortfallOf, yardstickOf } from '../src/optimize/objective.js';
import { candidatesPrompt, DevOnly, readCandidates, readThemes, themesPrompt, type ShownItem } from '../src/optimize/prompts.js';
import { rewriteJudgeText } from '../src/optimize/rewrite-judge.js';
import { degenerateJudge } from '../src/optimize/optimize-suite.js';
import { balanceFewShot, selectExamples } from '../src/optimize/select-examples.js';
import { splitCounts, splitItems } from '../src/optimize/split.js';
import type { Item, ItemResult, Label, ResolvedJudge, SuiteResult, ThresholdOutcome } from '../src/types.js';

const item = (id: string, label: Label = 'pass', fields: Record<string, unknown> = {}): Item => ({ id, fields: { output: `answer ${id}`, ...fields }, labels: { human: label }, source: { file: 'x', line: 1, column: 1 } });

function result(id: string, human: Label, judge: Label, notes?: string): ItemResult {
  const it = item(id, human);
  if (notes) it.notes = notes;
  const outcome = typeof human === 'number' ? (human === judge ? 'agree' : 'disagree') : human === 'pass' ? (judge === 'pass' ? 'TP' : 'FN') : judge === 'pass' ? 'FP' : 'TN';
  return { item: it, human, verdict: { label: judge, reason: `judge said ${judge}`, status: 'ok', cached: true }, outcome };
}

const judge: ResolvedJudge = { id: 'j', provider: 'openai', model: 'm', rubric: 'Pass correct answers.', examples: [], scale: { kind: 'binary' }, limits: {}, samples: 1, responseFormat: 'json_schema', file: 'j.yaml' };

describe('split', () => {
  it('puts every item on exactly one side, about the holdout share, the same way every time', () => {
    const items = Array.from({ length: 4000 }, (_, i) => item(`item-${i}`, i % 4 === 0 ? 'fail' : 'pass'));
    const s = splitItems(items, 0.3, 7);
    expect(s.dev.length + s.holdout.length).toBe(4000);
    expect(new Set([...s.dev, ...s.holdout].map((i) => i.id)).size).toBe(4000);
    expect(s.holdout.length / 4000).toBeGreaterThan(0.27);
    expect(s.holdout.length / 4000).toBeLessThan(0.33);
    // Within each label too (stratified in expectation).
    const counts = splitCounts(s, (i) => i.labels.human!);
    for (const [dev, holdout] of Object.values(counts)) expect(holdout / (dev + holdout)).toBeCloseTo(0.3, 1);
    expect(splitItems([...items].reverse(), 0.3, 7).holdout.map((i) => i.id).sort()).toEqual(s.holdout.map((i) => i.id).sort());
    expect(splitItems(items, 0.3, 8).holdout.map((i) => i.id)).not.toEqual(s.holdout.map((i) => i.id));
  });

  it('never moves an item when others are added, removed or relabeled', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 60 }), fc.uniqueArray(fc.string({ minLength: 1, maxLength: 8 }), { maxLength: 30 }), fc.integer(), (ids, extra, seed) => {
        const before = splitItems(ids.map((id) => item(id)), 0.3, seed);
        const more = [...extra.filter((id) => !ids.includes(id)).map((id) => item(id, 'fail')), ...ids.map((id) => item(id, 'fail'))];
        const after = new Set(splitItems(more, 0.3, seed).holdout.map((i) => i.id));
        for (const i of before.holdout) expect(after.has(i.id)).toBe(true);
        for (const i of before.dev) expect(after.has(i.id)).toBe(false);
      }),
    );
  });
});

describe('misalignments', () => {
  it('lists false positives and negatives with the judge reason and the human notes', () => {
    const ms = findMisalignments([result('a', 'pass', 'pass'), result('b', 'fail', 'pass', 'no source'), result('c', 'pass', 'fail')]);
    expect(ms.map((m) => [m.item.id, m.kind, m.humanNotes])).toEqual([
      ['b', 'false_positive', 'no source'],
      ['c', 'false_negative', ''],
    ]);
    expect(ms[0]!.reason).toBe('judge said pass');
  });

  it('orders ordinal over- and under-scorings by size', () => {
    const ms = findMisalignments([result('a', 3, 4), result('b', 5, 1), result('c', 2, 2), result('d', 1, 4)]);
    expect(ms.map((m) => [m.item.id, m.kind, m.distance])).toEqual([
      ['b', 'under_scored', -4],
      ['d', 'over_scored', 3],
      ['a', 'over_scored', 1],
    ]);
  });
});

describe('example selection', () => {
  const dev = [
    ...Array.from({ length: 10 }, (_, i) => result(`p${i}`, 'pass', 'pass')),
    ...Array.from({ length: 4 }, (_, i) => result(`f${i}`, 'fail', 'fail')),
    result('fp1', 'fail', 'pass'),
    result('fp2', 'fail', 'pass'),
  ];
  const ms = findMisalignments(dev);

  it('balanced: as many of each label as the labels allow', () => {
    const picked = selectExamples(dev, ms, [], 'balanced', 6, 1);
    expect(picked.filter((r) => r.human === 'pass')).toHaveLength(3);
    expect(picked.filter((r) => r.human === 'fail')).toHaveLength(3);
    expect(selectExamples(dev, ms, [], 'balanced', 6, 1)).toEqual(picked); // seeded
  });

  it('misalignment: the misses first; patterns: one member of every theme first', () => {
    expect(selectExamples(dev, ms, [], 'misalignment', 4, 1).slice(0, 2).map((r) => r.item.id)).toEqual(['fp1', 'fp2']);
    const themes = [{ name: 'a', description: '', items: ['p3'] }, { name: 'b', description: '', items: ['f2'] }];
    const picked = selectExamples(dev, ms, themes, 'patterns', 4, 1).map((r) => r.item.id);
    expect(picked.slice(0, 2)).toEqual(['p3', 'f2']);
    expect(picked.slice(2)).toEqual(['fp1', 'fp2']);
  });
});

describe('contrastive evidence', () => {
  it('shows misses of every kind present and, beside them, correctly judged items of each label', () => {
    const dev = [
      ...Array.from({ length: 10 }, (_, i) => result(`fp${i}`, 'fail', 'pass')),
      ...Array.from({ length: 4 }, (_, i) => result(`fn${i}`, 'pass', 'fail')),
      ...Array.from({ length: 10 }, (_, i) => result(`tp${i}`, 'pass', 'pass')),
      ...Array.from({ length: 10 }, (_, i) => result(`tn${i}`, 'fail', 'fail')),
    ];
    const picked = selectExamples(dev, findMisalignments(dev), [], 'misalignment', 8, 1).map((r) => r.item.id.replace(/\d+$/, ''));
    expect(picked).toHaveLength(8);
    for (const kind of ['fp', 'fn', 'tp', 'tn']) expect(picked, kind).toContain(kind);
    // Still mostly the judge's mistakes: they are what the rewrite is for.
    expect(picked.filter((k) => k === 'fp' || k === 'fn').length).toBeGreaterThanOrEqual(4);
  });
});

describe('objective', () => {
  const t = (metric: string, op: ThresholdOutcome['op'], target: number, actual: number | null, status: ThresholdOutcome['status'] = 'failed'): ThresholdOutcome => ({
    metric, op, target, on: 'estimate', actual, estimate: actual, ci: null, n: 50, status, source: { file: 'x', line: 1, column: 1 },
  });

  // Binary humans: 30 pass, 10 fail. Chance: kappa 0, accuracy 0.75 (always "pass").
  const yard = yardstickOf({ kind: 'binary' }, [...Array(30).fill('pass'), ...Array(10).fill('fail')]);

  it('knows the chance level of each agreement metric: what a judge giving one label to everything scores', () => {
    expect(yard.chance.kappa).toBe(0);
    expect(yard.chance.accuracy).toBeCloseTo(0.75, 12);
    expect(yard.chance.f1).toBeCloseTo((2 * 0.75) / 1.75, 12); // "pass" everything: precision 0.75, recall 1
    const ordinal = yardstickOf({ kind: 'ordinal', min: 1, max: 5 }, [1, 2, 3, 3, 3, 4, 5]);
    expect(ordinal.chance.mae).toBeCloseTo(6 / 7, 12); // always 3: 2+1+0+0+0+1+2 points over 7
    expect(ordinal.chance.kappa_quadratic).toBe(0);
    expect(ordinal.chance.spearman).toBe(0); // undefined for a constant judge: no association
    expect(ordinal.pointsRange).toBe(4);
  });

  it('measures agreement shortfalls in units of chance-to-target, constraints in their own', () => {
    expect(shortfallOf(t('kappa', '>=', 0.7, 0.5), yard)).toBeCloseTo(0.2 / 0.7, 12);
    expect(shortfallOf(t('accuracy', '>=', 0.95, 0.85), yard)).toBeCloseTo(0.1 / 0.2, 12); // chance 0.75
    expect(shortfallOf(t('accuracy', '>=', 0.7, 0.6), yard)).toBeCloseTo(0.1, 12); // chance already meets it: its own unit
    const ordinal = yardstickOf({ kind: 'ordinal', min: 1, max: 5 }, [1, 2, 3, 3, 3, 4, 5]);
    expect(shortfallOf(t('mae', '<=', 0.5, 0.8), ordinal)).toBeCloseTo(0.3 / (6 / 7 - 0.5), 12);
    expect(shortfallOf(t('mae', '<=', 2, 2.4), ordinal)).toBeCloseTo(0.4 / 4, 12); // chance meets it: scale points over the range
    expect(shortfallOf(t('fp_rate', '<=', 0.1, 0.25), yard)).toBeCloseTo(0.15, 12);
    expect(shortfallOf(t('kappa', '>=', 0.7, 0.8, 'passed'), yard)).toBe(0);
    expect(shortfallOf(t('kappa', 'max_drop', 0.05, -0.15), yard)).toBeCloseTo(0.1, 12); // fell 0.15, 0.05 allowed: a constraint
    expect(shortfallOf(t('fp_rate', 'max_drop', 0.05, 0.15), yard)).toBeCloseTo(0.1, 12); // an error rate rising is the drop
    expect(shortfallOf(t('kappa', '>=', 0.7, null), yard)).toBe(1);
    expect(roleOf({ metric: 'fp_rate', op: '<=' })).toBe('constraint');
    expect(roleOf({ metric: 'recall', op: '>=' })).toBe('constraint'); // met for free by passing everything
    expect(roleOf({ metric: 'within_one', op: '>=' })).toBe('agreement');
  });

  it('ranks constraints first, then agreement, then margin on the failing ones, then the shorter rubric', () => {
    const focus = new Set(['kappa >=']);
    const meets = objectiveOf([t('kappa', '>=', 0.7, 0.75, 'passed'), t('fp_rate', '<=', 0.1, 0.05, 'passed')], focus, 500, yard);
    const higherKappa = objectiveOf([t('kappa', '>=', 0.7, 0.9, 'passed'), t('fp_rate', '<=', 0.1, 0.09, 'passed')], focus, 900, yard);
    const breaksFp = objectiveOf([t('kappa', '>=', 0.7, 0.95, 'passed'), t('fp_rate', '<=', 0.1, 0.12)], focus, 100, yard);
    const shorter = objectiveOf([t('kappa', '>=', 0.7, 0.9, 'passed'), t('fp_rate', '<=', 0.1, 0.01, 'passed')], focus, 300, yard);
    // A constraint met beats any agreement: the kappa 0.4 judge within its fp_rate ranks above the kappa 0.69 one over it.
    const lowKappa = objectiveOf([t('kappa', '>=', 0.7, 0.4), t('fp_rate', '<=', 0.1, 0.1, 'passed')], focus, 100, yard);
    const overFp = objectiveOf([t('kappa', '>=', 0.7, 0.69), t('fp_rate', '<=', 0.1, 0.11)], focus, 100, yard);
    const ranked = [overFp, breaksFp, lowKappa, meets, higherKappa, shorter].sort(compareObjectives);
    expect(ranked).toEqual([shorter, higherKappa, meets, lowKappa, overFp, breaksFp]);
    expect(noWorse(lowKappa, overFp)).toBe(true);
    expect(noWorse(overFp, lowKappa)).toBe(false);
  });
});

describe('optimizer prompts', () => {
  const dev = new DevOnly([item('d1'), item('d2')]);
  const shown = (id: string): ShownItem => ({ item: item(id, 'fail'), human: 'fail', judge: 'pass', reason: 'looks right', humanNotes: 'no citation', kind: 'false_positive' });

  it('refuse a holdout item: the holdout is never shown to the optimizer', () => {
    expect(() => themesPrompt(judge, [shown('d1'), shown('h9')], dev)).toThrow('item "h9" is not in the dev split');
    expect(() => candidatesPrompt({ judge, failing: [], themes: [], shown: [shown('h9')], rejected: [], count: 3, maxExamples: 2, round: 1, rounds: 3 }, dev)).toThrow(/not in the dev split/);
    const messages = themesPrompt(judge, [shown('d1')], dev);
    expect(messages[1]!.content).toContain('### item "d1" — false positive');
    expect(messages[1]!.content).toContain('human notes: no citation');
  });

  it('keep only the shown items in themes, each in one theme, and cap the candidates', () => {
    const themes = readThemes({ themes: [{ name: 'a', description: 'x', items: ['d1', 'zz'] }, { name: 'b', description: 'y', items: ['d1', 'd2', 'd2'] }, { name: 'c', description: '', items: ['zz'] }] }, [shown('d1'), shown('d2')]);
    expect(themes).toEqual([{ name: 'a', description: 'x', items: ['d1'] }, { name: 'b', description: 'y', items: ['d2'] }]);
    expect(() => readThemes({ themes: 'none' }, [])).toThrow();
    expect(readCandidates({ candidates: [{ rubric: ' r1 ', examples: ['d1', 'd1'], rationale: '' }, { rubric: 'r2', examples: [], rationale: '' }] }, 1)).toEqual([{ rubric: 'r1', examples: ['d1'], rationale: '' }]);
    expect(() => readCandidates({ candidates: [] }, 3)).toThrow();
  });
});

describe('judge rewrite', () => {
  const file = `# owned by search
id: grounded   # keep this spacing
provider: openai
model: "gpt-4o-mini"
scale: binary
rubric: |   # the part --optimize edits
  Pass answers that are correct.

temperature: 0 # deterministic
`;

  it('changes only the rubric, byte for byte, and reads back', () => {
    const out = rewriteJudgeText(file, false, 'Pass correct, cited answers.\n  - a nested line: with a colon\n', null);
    expect(out).toBe(file.replace('  Pass answers that are correct.\n', '  Pass correct, cited answers.\n    - a nested line: with a colon\n'));
    expect(parseDocument(out).toJS().rubric).toBe('Pass correct, cited answers.\n  - a nested line: with a colon\n');
  });

  it('rewrites an inline judge and a rubric that was a quoted one-liner', () => {
    const suite = 'suite: s\njudge:\n  id: j\n  rubric: "Pass it."   # short\n  scale: binary\nitems: ./x.jsonl\n';
    const out = rewriteJudgeText(suite, true, 'Line one.\nLine two.', null);
    expect(out).toBe('suite: s\njudge:\n  id: j\n  rubric: |   # short\n    Line one.\n    Line two.\n  scale: binary\nitems: ./x.jsonl\n');
    expect(parseDocument(out).toJS().judge.rubric).toBe('Line one.\nLine two.\n');
  });

  it('a few-shot change keeps every byte it does not change (flow-style YAML stays as written)', () => {
    const judge = 'id: j   # mine\nprovider: openai\nmodel: m\nscale: {ordinal: {min: 1, max: 5}}\nrubric: Old.\nexamples:\n  - {input: old, verdict: 2}\ntemperature: 0\n';
    const ex = [{ fields: { input: 'q' }, verdict: 4, reason: 'why' }];
    const replaced = rewriteJudgeText(judge, false, 'New.', ex);
    expect(replaced).toBe('id: j   # mine\nprovider: openai\nmodel: m\nscale: {ordinal: {min: 1, max: 5}}\nrubric: |\n  New.\nexamples:\n  - input: q\n    verdict: 4\n    reason: why\ntemperature: 0\n');
    // Added where there were none; removed when the candidate brings an empty set.
    const added = rewriteJudgeText('id: j\nscale: {ordinal: {min: 1, max: 5}}\nrubric: Old.\n', false, 'New.', ex);
    expect(added).toBe('id: j\nscale: {ordinal: {min: 1, max: 5}}\nrubric: |\n  New.\nexamples:\n  - input: q\n    verdict: 4\n    reason: why\n');
    expect(rewriteJudgeText(judge, false, 'New.', [])).toBe('id: j   # mine\nprovider: openai\nmodel: m\nscale: {ordinal: {min: 1, max: 5}}\nrubric: |\n  New.\ntemperature: 0\n');
    // Inline in a suite file, at the judge's indentation.
    const suite = 'suite: s\njudge:\n  id: j\n  scale: {ordinal: {min: 1, max: 5}}\n  rubric: Old.\nitems: ./x.jsonl\n';
    expect(rewriteJudgeText(suite, true, 'New.', ex)).toBe('suite: s\njudge:\n  id: j\n  scale: {ordinal: {min: 1, max: 5}}\n  rubric: |\n    New.\n  examples:\n    - input: q\n      verdict: 4\n      reason: why\nitems: ./x.jsonl\n');
  });

  it('replaces the few-shot examples when the accepted candidate brings them, keeping comments', () => {
    const out = rewriteJudgeText(file, false, 'New.', [{ fields: { input: 'q', output: 'a: b' }, verdict: 'fail', reason: 'no source' }]);
    const js = parseDocument(out).toJS();
    expect(js.examples).toEqual([{ input: 'q', output: 'a: b', verdict: 'fail', reason: 'no source' }]);
    expect(js.rubric).toBe('New.\n');
    expect(out).toContain('# owned by search');
    expect(out).toContain('# deterministic');
  });
});

describe('degenerateJudge', () => {
  const result = (pairs: [string, string][], kappa: number | null) =>
    ({
      suite: { judge: { scale: { kind: 'binary' } } },
      items: pairs.map(([human, judge]) => ({ human, verdict: { status: 'ok', label: judge } })),
      metrics: { kappa: { value: kappa, n: pairs.length } },
    }) as unknown as SuiteResult;
  const many = (n: number, human: string, judge: string) => Array.from({ length: n }, () => [human, judge] as [string, string]);

  it('a constant judge where the humans are split is degenerate', () => {
    expect(degenerateJudge(result([...many(30, 'pass', 'fail'), ...many(30, 'fail', 'fail')], 0))).toMatch(/nearly constant \(100% fail, where the humans say fail for 50%\)/);
  });
  it('a constant judge where the humans nearly are too is not (a suite of mostly good answers)', () => {
    expect(degenerateJudge(result([...many(58, 'pass', 'pass'), ...many(2, 'fail', 'pass')], null))).toBeUndefined();
  });
  it('agreement at or below chance is degenerate; above it is not', () => {
    expect(degenerateJudge(result([...many(20, 'pass', 'fail'), ...many(20, 'fail', 'pass'), ...many(20, 'pass', 'pass')], -0.2))).toMatch(/chance-corrected agreement with the humans is -0\.200/);
    expect(degenerateJudge(result([...many(20, 'pass', 'pass'), ...many(20, 'fail', 'fail'), ...many(5, 'pass', 'fail')], 0.78))).toBeUndefined();
  });
});

describe('balanceFewShot', () => {
  const s = (id: string, human: string, kind?: ShownItem['kind']): ShownItem => ({ item: item(id, human), human, judge: kind ? (human === 'pass' ? 'fail' : 'pass') : human, reason: '', humanNotes: '', ...(kind ? { kind } : {}) });
  const shown = [s('fp1', 'fail', 'false_positive'), s('fp2', 'fail', 'false_positive'), s('fp3', 'fail', 'false_positive'), s('tp1', 'pass'), s('fn1', 'pass', 'false_negative'), s('tn1', 'fail')];
  const ids = (xs: ShownItem[]) => xs.map((x) => x.item.id);

  it('tops a one-label set up with the other label, correctly judged items first', () => {
    expect(ids(balanceFewShot([shown[0]!], shown, 4))).toEqual(['fp1', 'tp1']);
    // The size the optimizer asked for (at least one per label): two fails become a fail and a pass.
    expect(ids(balanceFewShot([shown[0]!, shown[1]!], shown, 4))).toEqual(['fp1', 'tp1']);
    // Three fails and a pass named: two of each, the fourth from the shown passes.
    expect(ids(balanceFewShot([shown[0]!, shown[1]!, shown[3]!, shown[2]!], shown, 4))).toEqual(['fp1', 'tp1', 'fp2', 'fn1']);
  });
  it('trims an over-represented label and never exceeds the cap', () => {
    expect(ids(balanceFewShot([shown[0]!, shown[1]!, shown[2]!], shown, 2))).toEqual(['fp1', 'tp1']);
  });
  it('keeps the rubric alone when none is named, and a single-label pool as named', () => {
    expect(balanceFewShot([], shown, 4)).toEqual([]);
    expect(ids(balanceFewShot([shown[0]!, shown[1]!], shown.slice(0, 3), 4))).toEqual(['fp1', 'fp2']);
  });
});

describe('Pareto comparisons', () => {
  const m = (kappa: number, fp: number) => new Map([['kappa >=', kappa], ['fp_rate <=', fp]]);
  it('a point dominates another only when it is as good on every threshold and better on one', () => {
    expect(dominates(m(0.1, 0.1), m(0.0, 0.1))).toBe(true);
    expect(dominates(m(0.1, 0.1), m(0.1, 0.1))).toBe(false); // equal: neither
    expect(atLeastAsGood(m(0.1, 0.1), m(0.1, 0.1))).toBe(true);
    expect(dominates(m(0.2, -0.1), m(0.0, 0.1))).toBe(false); // a trade-off: neither
    expect(dominates(m(0.0, 0.1), m(0.2, -0.1))).toBe(false);
  });
});
