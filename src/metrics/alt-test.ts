import type { Label, MetricValue } from '../types.js';
import { benjaminiYekutieli } from './benjamini-yekutieli.js';
import type { PanelItem } from './human-ceiling.js';
import { defined, undefinedMetric } from './metric-value.js';
import { tTestLess } from './student-t.js';

export type AltTestScoring = 'accuracy' | 'neg_rmse';

export interface AltTestOptions {
  /** Cost-benefit allowance for the judge (0.2 experts, 0.15 skilled, 0.1 crowd, per the authors). */
  epsilon: number;
  /** False discovery rate of the Benjamini–Yekutieli correction. */
  q: number;
  /** Annotators with fewer items than this are not tested. */
  minInstances: number;
  /** Test ρ_judge > (1 − ε)·ρ_human instead of ρ_judge > ρ_human − ε. */
  multiplicative: boolean;
  scoring: AltTestScoring;
}

export interface AltTestAnnotator {
  annotator: string;
  /** Items this annotator labeled that were used. */
  n: number;
  /** ρ: the share of those items where the judge matches the others at least as well as this annotator does. */
  advantageProbability: number;
  pValue: number;
  /** The judge "wins" against this annotator (H0 rejected after BY correction). */
  rejected: boolean;
}

export interface AltTestResult {
  winningRate: number;
  advantageProbability: number;
  passed: boolean;
  annotators: AltTestAnnotator[];
}

/** How well one label represents the other annotators' labels. */
export const ALT_TEST_SCORES: Record<AltTestScoring, (pred: Label, others: readonly Label[]) => number> = {
  accuracy: (pred, others) => others.filter((o) => o === pred).length / others.length,
  neg_rmse: (pred, others) => -Math.sqrt(others.reduce<number>((a, o) => a + (Number(pred) - Number(o)) ** 2, 0) / others.length),
};

/** Mean Jaccard similarity of a label set with each other annotator's set (for multi-label judges). */
export function jaccardScore(pred: ReadonlySet<string>, others: readonly ReadonlySet<string>[]): number {
  const j = (a: ReadonlySet<string>, b: ReadonlySet<string>) => {
    const union = new Set([...a, ...b]).size;
    return union === 0 ? 1 : [...a].filter((x) => b.has(x)).length / union;
  };
  return others.reduce((s, o) => s + j(pred, o), 0) / others.length;
}

/**
 * The Alternative Annotator Test (Calderon, Reichart & Dror, ACL 2025). Leave each annotator
 * out in turn; on every item they labeled (with at least one other annotator and a judge
 * verdict), score the judge's label and the left-out annotator's label against the remaining
 * annotators; W_judge = 1 when the judge scores at least as well, W_human = 1 when the human
 * does. A one-sided one-sample t-test of W_human − W_judge < ε (additive) or of
 * (1 − ε)·W_human − W_judge < 0 (multiplicative) gives a p-value per annotator; BY at q
 * decides which are rejected. Winning rate = share rejected (the judge passes at ≥ 0.5);
 * advantage probability = mean ρ over tested annotators. Follows the authors' reference
 * procedure (github.com/nitaytech/AltTest) with scipy's t-test.
 */
export function altTest(items: readonly PanelItem[], opts: AltTestOptions): AltTestResult | { insufficient: string } {
  const score = ALT_TEST_SCORES[opts.scoring];
  const kept = items.filter((it) => it.judge !== null && Object.keys(it.labels).length >= 2);
  const annotators = [...new Set(kept.flatMap((it) => Object.keys(it.labels)))];
  const tested: Omit<AltTestAnnotator, 'rejected'>[] = [];
  for (const h of annotators) {
    const mine = kept.filter((it) => it.labels[h] !== undefined);
    if (mine.length < opts.minInstances) continue;
    const diffs: number[] = [];
    let judgeWins = 0;
    for (const it of mine) {
      const others = Object.entries(it.labels).filter(([a]) => a !== h).map(([, l]) => l);
      const humanScore = score(it.labels[h]!, others);
      const judgeScore = score(it.judge!, others);
      const wJudge = judgeScore >= humanScore ? 1 : 0;
      const wHuman = humanScore >= judgeScore ? 1 : 0;
      judgeWins += wJudge;
      diffs.push(opts.multiplicative ? (1 - opts.epsilon) * wHuman - wJudge : wHuman - wJudge);
    }
    const { p } = tTestLess(diffs, opts.multiplicative ? 0 : opts.epsilon);
    tested.push({ annotator: h, n: mine.length, advantageProbability: judgeWins / mine.length, pValue: p });
  }
  if (tested.length === 0) {
    return { insufficient: `insufficient evidence: no annotator labeled ${opts.minInstances}+ items shared with another annotator and the judge (alt_test.min_instances)` };
  }
  const rejected = benjaminiYekutieli(tested.map((t) => t.pValue), opts.q);
  const result = tested.map((t, i) => ({ ...t, rejected: rejected[i]! }));
  const winningRate = rejected.filter(Boolean).length / tested.length;
  return {
    winningRate,
    advantageProbability: result.reduce((a, t) => a + t.advantageProbability, 0) / result.length,
    passed: winningRate >= 0.5,
    annotators: result,
  };
}

/** The alt_test_* metrics from a result; n = items used. */
export function altTestMetrics(items: readonly PanelItem[], result: AltTestResult | { insufficient: string }): Record<string, MetricValue> {
  if ('insufficient' in result) {
    const m = (): MetricValue => ({ ...undefinedMetric(0, result.insufficient), insufficient: true });
    return { alt_test_winning_rate: m(), alt_test_advantage_probability: m(), alt_test_passed: m() };
  }
  const n = items.filter((it) => it.judge !== null && Object.keys(it.labels).length >= 2).length;
  return {
    alt_test_winning_rate: defined(result.winningRate, n),
    alt_test_advantage_probability: defined(result.advantageProbability, n),
    alt_test_passed: defined(result.passed ? 1 : 0, n),
  };
}
