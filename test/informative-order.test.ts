// annotate --order informative: the items that shrink the intervals most come first — the
// judge's uncertain verdicts and the classes the labeled set lacks; seeded and reproducible.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { informativeOrder } from '../src/scaffold/informative-order.js';
import { BIN } from './helpers/cli.mjs';
import { makeProject } from './helpers/project.js';

describe('informativeOrder', () => {
  it('puts uncertain verdicts and the classes the labeled set lacks first, balancing the classes as it goes', () => {
    const c = (id: string, verdict: string | null, confidence?: number) => ({ id, verdict, ...(confidence !== undefined ? { confidence } : {}), otherLabels: [] as string[] });
    const order = informativeOrder([c('a', 'pass', 0.95), c('b', 'pass', 0.55), c('c', 'fail', 0.95), c('d', 'pass', 0.9), c('e', 'fail', 0.6), c('f', null)], ['pass', 'pass', 'pass'], 0);
    // Unreadable first (uncertainty 1 + ½), then the rare class (fail) by uncertainty, then the uncertain pass.
    expect(order.slice(0, 4)).toEqual(['f', 'e', 'c', 'b']);
    expect(new Set(order)).toEqual(new Set(['a', 'b', 'c', 'd', 'e', 'f']));
    // Annotators who disagree make an item worth another label.
    expect(informativeOrder([{ id: 'x', verdict: 'pass', confidence: 0.9, otherLabels: [] }, { id: 'y', verdict: 'pass', confidence: 0.9, otherLabels: ['pass', 'fail'] }], [], 0)[0]).toBe('y');
    // Seeded: the same inputs, the same order.
    const same = Array.from({ length: 30 }, (_, i) => c(`i${i}`, 'pass'));
    expect(informativeOrder(same, [], 1)).toEqual(informativeOrder(same, [], 1));
  });
});

function annotateOnce(dir: string, args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'annotate', 'answers', '--annotator', 'bob', ...args], { cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', fail);
    child.on('close', () => done(out));
    child.stdin.end('q\n'); // look at the first item, then quit
  });
}

describe('judge-test annotate --order informative', () => {
  it('shows the most informative item first; the default stays file order', async () => {
    // Four items labeled pass; six to label. The code judge is unsure about u3 and says fail to u5.
    const rows = [
      ...Array.from({ length: 4 }, (_, i) => ({ id: `l${i}`, output: `labeled ${i}`, labels: { ann: 'pass' } })),
      ...Array.from({ length: 6 }, (_, i) => ({ id: `u${i}`, output: `unlabeled ${i}`, labels: {} })),
    ];
    const dir = makeProject({
      'calibration-suites/answers.yaml': 'suite: answers\njudge:\n  id: j\n  provider: module\n  path: ./j.js\n  scale: binary\nitems: ./data/items.jsonl\n',
      'calibration-suites/j.js': 'export default ({ id }) => ({ verdict: id === "u5" ? "fail" : "pass", confidence: id === "u3" ? 0.55 : 0.95 });\n',
      'calibration-suites/data/items.jsonl': rows.map((r) => JSON.stringify(r)).join('\n') + '\n',
    });
    expect(await annotateOnce(dir, [])).toMatch(/1\/10 · l0/);
    const informative = await annotateOnce(dir, ['--order', 'informative']);
    expect(informative).toMatch(/1\/10 · u5\b/);
    expect(informative).not.toMatch(/0\.55|verdict/); // still blind: the judge's verdict is not shown
  });
});
