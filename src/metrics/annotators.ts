import type { Label, MetricValue } from '../types.js';
import { kappaOf } from './cohen-kappa.js';
import { majorityLabel } from './majority.js';
import { pairTable } from './pair-table.js';

export interface AnnotatorSummary {
  annotator: string;
  items: number;
  /** Items where this annotator differs from the majority of the others (items with another label). */
  deviations: number;
  /** Share of compared items where they match the others' majority. */
  agreementWithRest: number | null;
  /** Cohen's kappa against the others' majority (weighted quadratically on ordinal scales). */
  kappaWithRest: MetricValue;
  /** Deviation rate in the first and second half of their items, in file order: drift. */
  firstHalf: number | null;
  secondHalf: number | null;
}

export interface DisputedItem {
  id: string;
  labels: Record<string, Label>;
  /** 1 − (largest label share): 0 = everyone agrees. */
  dispute: number;
}

/**
 * The calibration-session view of a panel (see the calibration-sessions seed): each
 * annotator against the majority of the others (leave-one-out, so nobody is compared with
 * their own vote), their drift across the items, and the items people dispute most.
 */
export function annotatorReport(
  items: readonly { id: string; labels: Record<string, Label> }[],
  scaleLabels: readonly Label[],
  ordinal: boolean,
): { annotators: AnnotatorSummary[]; disputed: DisputedItem[] } {
  const names = [...new Set(items.flatMap((i) => Object.keys(i.labels)))].sort();
  const annotators = names.map((a) => {
    const mine: boolean[] = [];
    const own: Label[] = [];
    const rest: Label[] = [];
    for (const it of items) {
      const label = it.labels[a];
      if (label === undefined) continue;
      const others = Object.entries(it.labels).filter(([b]) => b !== a).map(([, l]) => l);
      const consensus = others.length ? majorityLabel(others) : null;
      if (consensus === null) continue;
      mine.push(label === consensus);
      own.push(label);
      rest.push(consensus);
    }
    const rate = (xs: boolean[]) => (xs.length ? xs.filter((x) => !x).length / xs.length : null);
    const half = Math.floor(mine.length / 2);
    return {
      annotator: a,
      items: items.filter((i) => i.labels[a] !== undefined).length,
      deviations: mine.filter((x) => !x).length,
      agreementWithRest: mine.length ? mine.filter(Boolean).length / mine.length : null,
      kappaWithRest: kappaOf(pairTable(own, rest, scaleLabels), ordinal ? 'quadratic' : 'none'),
      firstHalf: rate(mine.slice(0, half)),
      secondHalf: rate(mine.slice(half)),
    };
  });
  const disputed = items
    .filter((i) => Object.keys(i.labels).length >= 2)
    .map((i) => {
      const values = Object.values(i.labels);
      const top = Math.max(...values.map((v) => values.filter((x) => x === v).length));
      return { id: i.id, labels: i.labels, dispute: 1 - top / values.length };
    })
    .filter((d) => d.dispute > 0)
    .sort((x, y) => y.dispute - x.dispute);
  return { annotators, disputed };
}
