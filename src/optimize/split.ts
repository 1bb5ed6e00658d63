// Dev / holdout split for --optimize. The optimizer sees dev only; a rewrite must prove
// itself on the holdout.
import { hash } from 'node:crypto';
import type { Item, Label } from '../types.js';

export interface Split {
  dev: Item[];
  holdout: Item[];
}

/**
 * Each item's side is decided by a seeded hash of its id alone, so an item never changes
 * side when others are added, removed, reordered or relabeled: a holdout stays unseen
 * across runs. Stability rules out exact stratification (a new item would have to push an
 * old one across); within every label the holdout share is `holdout` in expectation, and
 * `splitCounts` reports what it came to so a lopsided split is visible.
 */
export function splitItems(items: readonly Item[], holdout: number, seed: number): Split {
  const split: Split = { dev: [], holdout: [] };
  for (const item of items) (unitHash(seed, item.id) < holdout ? split.holdout : split.dev).push(item);
  return split;
}

/** A uniform number in [0, 1) from the seed and the id (first 48 bits of sha256). */
export function unitHash(seed: number, id: string): number {
  return hash('sha256', `${seed}\u0000${id}`, 'buffer').readUIntBE(0, 6) / 2 ** 48;
}

/** Items per human label on each side: label -> [dev, holdout]. */
export function splitCounts(split: Split, humanLabel: (item: Item) => Label | null): Record<string, [number, number]> {
  const counts: Record<string, [number, number]> = {};
  const add = (item: Item, side: 0 | 1) => {
    const key = String(humanLabel(item));
    (counts[key] ??= [0, 0])[side]++;
  };
  split.dev.forEach((i) => add(i, 0));
  split.holdout.forEach((i) => add(i, 1));
  return counts;
}
