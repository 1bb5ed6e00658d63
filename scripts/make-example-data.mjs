// Builds the bundled example data in calibration-suites/data/ from ../shared/data/ (the
// Alternative Annotator Test release; see calibration-suites/data/README.md for sources).
// Run from the repo root: node scripts/make-example-data.mjs [path/to/shared/data]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

const src = process.argv[2] ?? '../shared/data';
const out = 'calibration-suites/data';
const csv = (file) => parse(readFileSync(join(src, file), 'utf8'), { columns: true });
const jsonl = (file, rows) => writeFileSync(join(out, file), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const group = (rows, key, sub) => {
  const m = new Map();
  for (const r of rows) {
    if (!m.has(r.item_id)) m.set(r.item_id, {});
    m.get(r.item_id)[r[key]] = r[sub];
  }
  return m;
};

// CEBaB: aspect sentiment of restaurant reviews, 4 crowd workers per item.
const cebabItems = csv('cebab-aspects/items.csv');
const cebabHuman = group(csv('cebab-aspects/human_labels.csv'), 'annotator_id', 'label');
const cebabLlm = group(csv('cebab-aspects/llm_labels.csv'), 'judge_id', 'label');
const firstOfAspect = (aspect, n) => cebabItems.filter((r) => r.aspect === aspect).slice(0, n);

const service = firstOfAspect('service', 150);
jsonl('cebab-service.jsonl', service.map((r) => ({ id: r.item_id, input: r.review, aspect: r.aspect, labels: cebabHuman.get(r.item_id) })));
jsonl('cebab-service.gpt-4o-mini.jsonl', service.map((r) => ({ id: r.item_id, verdict: cebabLlm.get(r.item_id)['gpt-4o-mini'] })));

// Binary view of the food aspect: does the review praise the food? (Positive -> pass.)
const food = firstOfAspect('food', 150);
const praise = (labels) => Object.fromEntries(Object.entries(labels).map(([a, l]) => [a, l === 'Positive' ? 'pass' : 'fail']));
jsonl('cebab-food-praise.jsonl', food.map((r) => ({ id: r.item_id, input: r.review, labels: praise(cebabHuman.get(r.item_id)) })));

// SummEval consistency, 1-5 by three experts; texts are not in the release (ids only).
const sumHuman = group(csv('summeval-3dims/human_labels.csv'), 'annotator_id', 'label');
const sumLlm = group(csv('summeval-3dims/llm_labels.csv'), 'judge_id', 'label');
const consistency = [...sumHuman.keys()].filter((id) => id.endsWith('__consistency')).slice(0, 100);
jsonl('summeval-consistency.jsonl', consistency.map((id) => ({ id, labels: Object.fromEntries(Object.entries(sumHuman.get(id)).map(([a, l]) => [a, Number(l)])) })));
jsonl('summeval-consistency.gpt-4o.jsonl', consistency.map((id) => ({ id, verdict: Number(sumLlm.get(id)['gpt-4o']) })));
// The same summaries on all three dimensions at once: a multi-criteria suite. (The study
// asked the models about each dimension separately; recorded, they replay the same way.)
const DIMS = ['consistency', 'fluency', 'relevance'];
const summaries = consistency.map((id) => id.replace(/__consistency$/, '')).filter((s) => DIMS.every((d) => sumHuman.has(`${s}__${d}`) && sumLlm.has(`${s}__${d}`)));
const byAnnotator = (s) => {
  const out = {};
  for (const d of DIMS) for (const [a, l] of Object.entries(sumHuman.get(`${s}__${d}`))) (out[a] ??= {})[d] = Number(l);
  return out;
};
jsonl('summeval-3dims.jsonl', summaries.map((id) => ({ id, labels: byAnnotator(id) })));
jsonl('summeval-3dims.gpt-4o.jsonl', summaries.map((id) => ({ id, verdict: Object.fromEntries(DIMS.map((d) => [d, Number(sumLlm.get(`${id}__${d}`)['gpt-4o'])])) })));
// Pairs derived from the same ratings (not in the release as pairs): two summaries of one
// article by different systems, in relevance (consistency is mostly 5s: nearly every pair
// would be a tie). The humans prefer the one with the higher
// mean of the three experts' scores, a tie when equal; gpt-4o's preference compares its two
// scores. Ids: <article>__<system A>_vs_<system B>.
const PAIR_DIM = 'relevance';
const byArticle = new Map();
for (const id of sumHuman.keys()) {
  const [article, system, dim] = id.split('__');
  if (dim !== PAIR_DIM || !sumLlm.get(id)?.['gpt-4o']) continue;
  if (!byArticle.has(article)) byArticle.set(article, []);
  byArticle.get(article).push(system);
}
const mean = (labels) => Object.values(labels).reduce((a, l) => a + Number(l), 0) / Object.values(labels).length;
const prefer = (x, y) => (x > y ? 'A' : x < y ? 'B' : 'tie');
const pairs = [];
for (const [article, systems] of [...byArticle.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
  systems.sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  for (let i = 0; i + 1 < systems.length && pairs.length < 150; i += 8) {
    const [a, b] = [systems[i], systems[i + 1]];
    const [ia, ib] = [`${article}__${a}__${PAIR_DIM}`, `${article}__${b}__${PAIR_DIM}`];
    pairs.push({ id: `${article}__${a}_vs_${b}`, label: prefer(mean(sumHuman.get(ia)), mean(sumHuman.get(ib))), verdict: prefer(Number(sumLlm.get(ia)['gpt-4o']), Number(sumLlm.get(ib)['gpt-4o'])) });
  }
}
jsonl('summeval-pairs.jsonl', pairs.map(({ id, label }) => ({ id, label })));
jsonl('summeval-pairs.gpt-4o.jsonl', pairs.map(({ id, verdict }) => ({ id, verdict })));
console.log(`wrote ${service.length} + ${food.length} CEBaB items, ${consistency.length} SummEval items, ${summaries.length} SummEval summaries on ${DIMS.length} dimensions and ${pairs.length} derived SummEval pairs to ${out}`);
