// `annotate --order informative`: which unlabeled item to label next so the thresholded
// metrics' intervals shrink fastest (the ideas of active learning for evaluation: uncertainty
// sampling, Lewis & Gale 1994; class balance, since an interval is as wide as its rarest
// class is small). Each item scores its judge's uncertainty (1 − confidence, the samples'
// disagreement, or ½ when unknown; an unreadable verdict counts as 1), one point when the
// annotators who labeled it disagree, and the rarity of its predicted class among what is
// labeled so far — updated as the order is built, so the classes stay balanced. Ties break
// by a seeded shuffle: the same inputs give the same order.
import { seededRandom } from '../metrics/random.js';
import type { Label } from '../types.js';

export interface Candidate {
  id: string;
  /** The judge's verdict, when known (cached or local); null: it could not be read. */
  verdict?: Label | null;
  confidence?: number;
  flipRate?: number;
  /** Labels other annotators already gave it. */
  otherLabels: Label[];
}

function base(c: Candidate): number {
  const uncertainty = c.verdict === null ? 1 : c.confidence !== undefined ? 1 - c.confidence : c.flipRate !== undefined ? c.flipRate : 0.5;
  const disagreement = new Set(c.otherLabels.map(String)).size > 1 ? 1 : 0;
  return uncertainty + disagreement;
}

/** The candidates' ids, most informative first, given the labels already in the set. */
export function informativeOrder(candidates: readonly Candidate[], labeled: readonly Label[], seed: number): string[] {
  const random = seededRandom(seed + 881);
  const tie = new Map(candidates.map((c) => [c.id, random()]));
  // Per predicted class, best first; the unknown class apart.
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = c.verdict === undefined || c.verdict === null ? '' : String(c.verdict);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  for (const g of groups.values()) g.sort((a, b) => base(b) - base(a) || tie.get(a.id)! - tie.get(b.id)!);
  const counts = new Map<string, number>();
  for (const l of labeled) counts.set(String(l), (counts.get(String(l)) ?? 0) + 1);
  let total = labeled.length;
  const out: string[] = [];
  const next = new Map([...groups.keys()].map((k) => [k, 0]));
  while (out.length < candidates.length) {
    let best: { key: string; score: number; c: Candidate } | undefined;
    for (const [key, g] of groups) {
      const c = g[next.get(key)!];
      if (!c) continue;
      // 1 for a class nothing labeled has yet, down to 0 for one that is all of them.
      const rarity = key === '' ? 0.5 : total === 0 ? 0.5 : 1 - (counts.get(key) ?? 0) / total;
      const score = base(c) + rarity;
      if (!best || score > best.score || (score === best.score && tie.get(c.id)! < tie.get(best.c.id)!)) best = { key, score, c };
    }
    out.push(best!.c.id);
    next.set(best!.key, next.get(best!.key)! + 1);
    if (best!.key !== '') {
      counts.set(best!.key, (counts.get(best!.key) ?? 0) + 1);
      total++;
    }
  }
  return out;
}
