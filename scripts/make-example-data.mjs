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
console.log(`wrote ${service.length} + ${food.length} CEBaB items, ${consistency.length} SummEval items and ${summaries.length} SummEval summaries on ${DIMS.length} dimensions to ${out}`);
