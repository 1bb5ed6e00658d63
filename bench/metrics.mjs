// Metric speed: every metric of a suite — judge vs humans, the human ceiling, calibration,
// the Alt-Test, rationale similarity — with its interval (Wilson for proportions, 2,000
// bootstrap resamples for the rest), on 10,000 items with three annotators, per scale.
// The bar: under 2 s on this machine. Usage: node bench/metrics.mjs [items] [resamples]
import { seededRandom } from '../dist/metrics/random.js';
import { scaleLabels } from '../dist/index.js';
import { itemResult, scoreSuite } from '../dist/assert/score-suite.js';
import { DEFAULT_CALIBRATION } from '../dist/metrics/calibration.js';

const n = Number(process.argv[2] ?? 10_000);
const resamples = Number(process.argv[3] ?? 2_000);
const random = seededRandom(42);
const scales = {
  binary: { kind: 'binary' },
  categorical: { kind: 'categorical', labels: ['Positive', 'Negative', 'unknown'] },
  ordinal: { kind: 'ordinal', min: 1, max: 5 },
};
const only = process.env.SCALE;
for (const [name, scale] of Object.entries(scales)) {
  if (only && name !== only) continue;
  const labels = scaleLabels(scale);
  const pick = () => labels[(random() * labels.length) | 0];
  const near = (l) => (random() < 0.75 ? l : pick());
  const items = Array.from({ length: n }, (_, i) => {
    const truth = pick();
    return { id: `i${i}`, fields: {}, labels: { a: near(truth), b: near(truth), c: near(truth) }, notes: 'the answer misses the point', source: { file: 'x', line: 1, column: 1 } };
  });
  const suite = {
    name, file: 'x', items, thresholds: [], slices: {}, skipWithoutKey: false, minItems: 10, aggregation: 'majority',
    bootstrap: { resamples, seed: 1, confidence: 0.95 }, calibration: DEFAULT_CALIBRATION,
    altTest: { epsilon: 0.2, q: 0.05, minInstances: 30, multiplicative: false, scoring: scale.kind === 'ordinal' ? 'neg_rmse' : 'accuracy' },
    judge: { id: 'j', provider: 'recorded', rubric: '', examples: [], scale, responseFormat: 'text', samples: 1, limits: {}, file: 'x' },
  };
  const results = items.map((it, i) => itemResult(suite, i, { label: near(it.labels.a), reason: 'the answer is off topic', confidence: 0.5 + random() / 2, status: 'ok', cached: false }));
  const t = performance.now();
  const r = scoreSuite(suite, results, 0);
  const ms = performance.now() - t;
  const all = Object.values(r.metrics);
  console.log(`metrics ${name}: ${all.length} metrics (${all.filter((m) => m.ci).length} with intervals), ${n} items × 3 annotators, ${resamples} resamples: ${ms.toFixed(0)} ms`);
}
