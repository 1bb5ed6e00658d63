// Which order to label in: on the bundled real data, the labels are hidden and revealed in
// file order, in a random order, and in annotate's informative order; after every 10 labels
// the 95% bootstrap interval of the judge's kappa is measured. Reported: the labels each order
// needed before the interval's half-width stayed under the target.
// Usage: npm run build && node bench/informative-order.mjs [half-width=0.15]
import { readFileSync } from 'node:fs';
import { bootstrapTableIntervals } from '../dist/metrics/bootstrap.js';
import { kappaOf } from '../dist/metrics/cohen-kappa.js';
import { consensus } from '../dist/metrics/consensus.js';
import { pairTable } from '../dist/metrics/pair-table.js';
import { seededRandom } from '../dist/metrics/random.js';
import { informativeOrder } from '../dist/scaffold/informative-order.js';

const target = Number(process.argv[2] ?? 0.15);
const read = (f) => readFileSync(new URL(`../calibration-suites/data/${f}`, import.meta.url), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const sets = [
  { name: 'CEBaB service (150, 4 annotators), kappa', items: read('cebab-service.jsonl'), verdicts: read('cebab-service.gpt-4o-mini.jsonl'), labels: ['Positive', 'Negative', 'unknown'], metric: (t) => kappaOf(t) },
  { name: 'CEBaB food praise (150, binary), kappa', items: read('cebab-food-praise.jsonl'), verdicts: null, labels: ['pass', 'fail'], metric: (t) => kappaOf(t) },
  { name: 'SummEval consistency (100, 3 experts), quadratic kappa', items: read('summeval-consistency.jsonl'), verdicts: read('summeval-consistency.gpt-4o.jsonl'), labels: [1, 2, 3, 4, 5], metric: (t) => kappaOf(t, 'quadratic') },
];
/** The labels after which the interval stays within ±target (small samples can look narrow by luck: the last time it was wider counts). */
function needed(order, data) {
  let since = null;
  for (let n = 10; n <= order.length; n += 10) {
    const picked = order.slice(0, n).map((id) => data.get(id)).filter((d) => d.human !== null);
    const t = pairTable(picked.map((d) => d.human), picked.map((d) => d.judge), data.labels);
    const ci = picked.length < 5 ? null : bootstrapTableIntervals(t, { kappa: data.metric }, { resamples: 300, seed: 1, confidence: 0.95, method: 'percentile' }).kappa;
    const ok = ci !== null && ci !== undefined && (ci[1] - ci[0]) / 2 <= target;
    if (!ok) since = null;
    else if (since === null) since = n;
  }
  return since;
}
for (const set of sets) {
  // The food-praise judge is code (a lexicon): its verdicts come from running it.
  const lexicon = set.verdicts ? null : (await import('../judges/food-praise.js')).default;
  const verdict = new Map(set.verdicts ? set.verdicts.map((v) => [v.id, v.verdict]) : set.items.map((it) => [it.id, lexicon({ input: it.input }).verdict]));
  const data = new Map(set.items.map((it) => [it.id, { human: consensus(Object.values(it.labels), 'majority'), judge: verdict.get(it.id) }]));
  data.labels = set.labels;
  data.metric = set.metric;
  const ids = set.items.map((it) => it.id);
  const random = seededRandom(3);
  const randoms = Array.from({ length: 20 }, () => [...ids].sort(() => random() - 0.5)).map((o) => needed(o, data));
  // The informative order sees what annotate sees: the judge's verdicts, no human label.
  const informative = informativeOrder(ids.map((id) => ({ id, verdict: verdict.get(id), otherLabels: [] })), [], 0);
  const mean = (xs) => xs.filter((x) => x !== null).reduce((a, b) => a + b, 0) / xs.filter((x) => x !== null).length;
  console.log(`${set.name}: labels until kappa's 95% interval is within ±${target}: file order ${needed(ids, data) ?? 'never'}, random order ${mean(randoms).toFixed(0)} (mean of 20), informative ${needed(informative, data) ?? 'never'}`);
}
