// Which dev items the optimizer is shown (and may turn into few-shot anchors).
import { seededRandom } from '../metrics/random.js';
import type { ItemResult, Label, Theme } from '../types.js';
import type { ExampleStrategy } from './defaults.js';
import type { Misalignment } from './misalignments.js';
import type { ShownItem } from './prompts.js';

/**
 * Pick `count` of the dev results, seeded:
 * - balanced: the same number of each human label (as far as each label has items);
 * - misalignment: contrastive — the judge's misses of every kind in turn (false positives,
 *   false negatives, over- and under-scored...), and beside them, correctly judged items of
 *   each label (a third of the set, at least one per label where the count allows);
 * - patterns: one member of every theme first, then the misses, then items of every label.
 * Only dev results are ever passed in; the order of the answer is the order of choice.
 */
export function selectExamples(
  dev: readonly ItemResult[],
  misalignments: readonly Misalignment[],
  themes: readonly Theme[],
  strategy: ExampleStrategy,
  count: number,
  seed: number,
): ItemResult[] {
  const random = seededRandom(seed);
  const usable = shuffle(dev.filter((r) => r.human !== null), random);
  const byId = new Map(usable.map((r) => [r.item.id, r]));
  const chosen: ItemResult[] = [];
  const take = (r: ItemResult | undefined) => {
    if (r && chosen.length < count && !chosen.includes(r)) chosen.push(r);
  };
  if (strategy === 'balanced') {
    roundRobinByLabel(usable).forEach(take);
    return chosen;
  }
  if (strategy === 'patterns') {
    for (const theme of themes) take(shuffle(theme.items.map((id) => byId.get(id)).filter((r): r is ItemResult => r !== undefined), random)[0]);
    misalignments.forEach((m) => take(byId.get(m.item.id)));
    roundRobinByLabel(usable).forEach(take);
    return chosen;
  }
  // Room kept for correctly judged items of each label: the contrast the optimizer needs to
  // see what the humans pass and fail, not only where the judge went wrong.
  const missed = new Set(misalignments.map((m) => m.item.id));
  const right = roundRobinByLabel(usable.filter((r) => !missed.has(r.item.id) && r.verdict.status === 'ok'));
  const labels = new Set(right.map((r) => r.human)).size;
  const keep = Math.min(right.length, Math.max(labels, Math.floor(count / 3)));
  const misses = roundRobinBy(misalignments, (m) => m.kind).map((m) => byId.get(m.item.id));
  for (const r of misses) if (chosen.length < count - keep) take(r);
  right.forEach(take);
  misses.forEach(take);
  return chosen;
}

/**
 * A candidate's few-shot set, label-balanced: the items the optimizer named, one human label
 * in turn, topped up from the other shown items of the labels it left out (a set of one label
 * teaches a judge that label), and trimmed where one label is over-represented. At least one
 * item of each shown label where `max` allows; never more than `max`. Returns the named set
 * unchanged when it is empty (the rubric alone) or the shown items carry a single label.
 */
export function balanceFewShot(named: readonly ShownItem[], shown: readonly ShownItem[], max: number): ShownItem[] {
  const labels = [...new Set(shown.map((s) => s.human))].sort((a, b) => String(a).localeCompare(String(b)));
  if (named.length === 0 || labels.length <= 1) return [...named];
  const size = Math.min(max, Math.max(named.length, labels.length));
  // Per label: the named items first, then the other shown ones (correctly judged first: a clean anchor).
  const queues = labels.map((l) => [
    ...named.filter((s) => s.human === l),
    ...shown.filter((s) => s.human === l && !named.includes(s)).sort((a, b) => Number(a.kind !== undefined) - Number(b.kind !== undefined)),
  ]);
  // Labels the optimizer chose from come first when the set cannot hold every label.
  const named_ = (i: number) => (named.some((s) => s.human === labels[i]) ? 1 : 0);
  const order = labels.map((_, i) => i).sort((a, b) => named_(b) - named_(a));
  const out: ShownItem[] = [];
  for (let i = 0; out.length < size && queues.some((q) => i < q.length); i++) {
    for (const q of order) if (out.length < size && i < queues[q]!.length) out.push(queues[q]![i]!);
  }
  return out;
}

/** One element of each group in turn (groups in order of first appearance). */
function roundRobinBy<T>(xs: readonly T[], key: (x: T) => unknown): T[] {
  const groups = new Map<unknown, T[]>();
  for (const x of xs) {
    const g = groups.get(key(x)) ?? [];
    g.push(x);
    groups.set(key(x), g);
  }
  const lists = [...groups.values()];
  const out: T[] = [];
  for (let i = 0; lists.some((g) => i < g.length); i++) for (const g of lists) if (i < g.length) out.push(g[i]!);
  return out;
}

/** One item of each label in turn, so any prefix is as balanced as the labels allow. */
function roundRobinByLabel(results: readonly ItemResult[]): ItemResult[] {
  const groups = new Map<Label, ItemResult[]>();
  for (const r of results) {
    const g = groups.get(r.human!) ?? [];
    g.push(r);
    groups.set(r.human!, g);
  }
  const lists = [...groups.entries()].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([, g]) => g);
  const out: ItemResult[] = [];
  for (let i = 0; lists.some((g) => i < g.length); i++) for (const g of lists) if (i < g.length) out.push(g[i]!);
  return out;
}

function shuffle<T>(xs: readonly T[], random: () => number): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}
