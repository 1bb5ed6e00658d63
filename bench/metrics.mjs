// Metric speed: every judge-vs-human metric with its interval (Wilson for proportions,
// 2,000 stratified bootstrap resamples for the rest) on 10,000 items, per scale.
// The bar: under 2 s on this machine. Usage: node bench/metrics.mjs [items] [resamples]
import { computeMetrics, seededRandom, scaleLabels } from '../dist/index.js';

const n = Number(process.argv[2] ?? 10_000);
const resamples = Number(process.argv[3] ?? 2_000);
const random = seededRandom(42);
const scales = {
  binary: { kind: 'binary' },
  categorical: { kind: 'categorical', labels: ['Positive', 'Negative', 'unknown'] },
  ordinal: { kind: 'ordinal', min: 1, max: 5 },
};
for (const [name, scale] of Object.entries(scales)) {
  const labels = scaleLabels(scale);
  const pick = () => labels[(random() * labels.length) | 0];
  const human = Array.from({ length: n }, pick);
  const judge = human.map((h) => (random() < 0.75 ? h : pick()));
  const t = performance.now();
  const { metrics } = computeMetrics({ scale, human, judge, answered: n, unparseable: 0 }, labels, { resamples, seed: 1, confidence: 0.95 });
  const ms = performance.now() - t;
  const withCi = Object.values(metrics).filter((m) => m.ci).length;
  console.log(`metrics ${name}: ${Object.keys(metrics).length} metrics (${withCi} with intervals), ${n} items, ${resamples} resamples: ${ms.toFixed(0)} ms`);
}
