// How often --optimize's holdout test accepts a candidate that is worse than, as good as, or
// better than the current rubric, at the bundled sizes: 41 dev and 19 holdout items, 3
// candidates a round, 3 rounds. The suite is the issue's: binary, kappa >= 0.6, fp_rate <= 0.1.
// The current judge is right on 75% of items (kappa ≈ 0.5: failing). A candidate keeps most of
// its verdicts: it fixes 40% of the current judge's mistakes and breaks enough of its right
// answers to land at the scenario's accuracy (worse 70%, equal 75%, better 80%).
//
// Each round the candidates are ranked on dev by the gauge, and the best is tried on the
// holdout with the real decision (decideOnHoldout); a search "accepts" if any round does.
//
//   npm run build && node bench/optimize-acceptance.mjs [searches per scenario, default 1000] [dev items, default 41] [holdout items, default 19]
import { pathToFileURL } from 'node:url';
import { decideOnHoldout, gaugeOf } from '../dist/optimize/acceptance.js';
import { yardstickOf, thresholdKey } from '../dist/optimize/objective.js';
import { judgeMetricFunctions } from '../dist/metrics/index.js';
import { pairTable } from '../dist/metrics/pair-table.js';
import { seededRandom } from '../dist/metrics/random.js';

const SCALE = { kind: 'binary' };
const LABELS = ['pass', 'fail'];
const THRESHOLDS = [
  { metric: 'kappa', op: '>=', target: 0.6 },
  { metric: 'fp_rate', op: '<=', target: 0.1 },
];
export const SCENARIOS = { worse: 0.7, equal: 0.75, better: 0.8, 'much better': 0.85 };

function other(label) {
  return label === 'pass' ? 'fail' : 'pass';
}

/** Verdicts right with probability `accuracy`. */
function judgeOf(humans, accuracy, random) {
  return humans.map((h) => (random() < accuracy ? h : other(h)));
}

/** A candidate near `current`: fixes 40% of its mistakes, breaks right answers to land at `accuracy` on average. */
function candidateOf(humans, current, p0, accuracy, random) {
  const fix = 0.4;
  const breakRate = 1 - (accuracy - (1 - p0) * fix) / p0;
  return humans.map((h, i) => {
    const right = current[i] === h;
    if (right) return random() < breakRate ? other(h) : h;
    return random() < fix ? h : current[i];
  });
}

/**
 * Searches of `rounds` rounds for one scenario; returns the share of searches that accepted a
 * candidate and the share of consultations that did. `rule: 'point'` replays the old rule (a
 * better point estimate on the holdout and no metric worse beyond noise) for comparison.
 */
export function simulate({ accuracy, searches, rounds = 3, candidates = 3, dev = 41, holdout = 19, p0 = 0.75, confidence = 0.9, resamples = 1000, seed = 1, rule = 'test' }) {
  const random = seededRandom(seed);
  const fns = judgeMetricFunctions(SCALE);
  let accepted = 0;
  let consultations = 0;
  let acceptedConsultations = 0;
  for (let s = 0; s < searches; s++) {
    const humans = { dev: [], holdout: [] };
    for (const side of ['dev', 'holdout']) for (let i = 0; i < (side === 'dev' ? dev : holdout); i++) humans[side].push(random() < 0.5 ? 'pass' : 'fail');
    const yard = { dev: yardstickOf(SCALE, humans.dev), holdout: yardstickOf(SCALE, humans.holdout) };
    const focus = new Set(THRESHOLDS.map(thresholdKey));
    const gauge = { dev: gaugeOf(SCALE, THRESHOLDS, focus, yard.dev), holdout: gaugeOf(SCALE, THRESHOLDS, focus, yard.holdout) };
    const value = (side, verdicts) => {
      const t = pairTable(humans[side], verdicts, LABELS);
      return gauge[side].terms.reduce((a, term) => a + (term.sign * (fns[term.metric](t).value ?? 0)) / term.span, 0);
    };
    const current = { dev: judgeOf(humans.dev, p0, random), holdout: judgeOf(humans.holdout, p0, random) };
    for (let round = 1; round <= rounds; round++) {
      const proposals = Array.from({ length: candidates }, () => ({
        dev: candidateOf(humans.dev, current.dev, p0, accuracy, random),
        holdout: candidateOf(humans.holdout, current.holdout, p0, accuracy, random),
      }));
      const best = proposals.map((p) => ({ p, score: value('dev', p.dev) })).sort((a, b) => b.score - a.score)[0];
      // The search tries the holdout only with a candidate better than the current rubric on dev.
      if (best.score <= value('dev', current.dev)) continue;
      consultations++;
      const decision = decideOnHoldout(
        { human: humans.holdout, before: current.holdout, after: best.p.holdout },
        { scale: SCALE, gauge: gauge.holdout, vetoMetrics: THRESHOLDS.map((t) => t.metric), confidence, consultations: rounds, bootstrap: { resamples, seed: seed * 7919 + s * 31 + round, confidence: 0.95, method: 'percentile' } },
      );
      // rule 'point': the rule --optimize had before: a better point estimate and no veto.
      const ok = rule === 'point' ? !/worse beyond noise/.test(decision.reason) && value('holdout', best.p.holdout) > value('holdout', current.holdout) : decision.ok;
      if (ok) {
        acceptedConsultations++;
        accepted++;
        break;
      }
    }
  }
  return { searches: accepted / searches, consultations: consultations > 0 ? acceptedConsultations / consultations : 0, consulted: consultations };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const searches = Number(process.argv[2] ?? 1000);
  const dev = Number(process.argv[3] ?? 41);
  const holdout = Number(process.argv[4] ?? 19);
  console.log(`${searches} searches per scenario (3 rounds × 3 candidates, ${dev} dev / ${holdout} holdout, confidence 90% over the search)`);
  for (const rule of ['test', 'point']) {
    console.log(rule === 'test' ? 'the holdout test:' : 'the old rule (better point estimate, no veto), for comparison:');
    for (const [name, accuracy] of Object.entries(SCENARIOS)) {
      const t0 = performance.now();
      const r = simulate({ accuracy, searches, dev, holdout, seed: 11, rule });
      console.log(`  ${name.padEnd(7)} (accuracy ${accuracy} vs 0.75): accepted in ${(r.searches * 100).toFixed(1)}% of searches, ${(r.consultations * 100).toFixed(1)}% of ${r.consulted} holdout consultations  [${((performance.now() - t0) / 1000).toFixed(1)} s]`);
    }
  }
}
