import type { Label } from '../types.js';
import { confusionMatrix } from './confusion-matrix.js';

/**
 * The joint counts of (human, judge) label pairs over a scale's labels, in scale order.
 * Every judge-vs-human metric here is a function of this table, which is what makes
 * bootstrapping cheap: a resample only has to rebuild the counts.
 */
export interface PairTable {
  labels: Label[];
  /** counts[h][j]: items the humans labeled labels[h] and the judge labeled labels[j]. */
  counts: number[][];
  n: number;
}

export function pairTable(human: readonly Label[], judge: readonly Label[], labels: readonly Label[]): PairTable {
  const { counts } = confusionMatrix(human, judge, labels);
  return { labels: [...labels], counts, n: human.length };
}

export function rowSums(t: PairTable): number[] {
  return t.counts.map((r) => r.reduce((a, b) => a + b, 0));
}

export function colSums(t: PairTable): number[] {
  return t.labels.map((_, j) => t.counts.reduce((a, r) => a + r[j]!, 0));
}

/** The numeric value of each label (ordinal scales). */
export function values(t: PairTable): number[] {
  return t.labels.map(Number);
}

/** Σ over cells of count · f(human value, judge value, h, j). */
export function sumCells(t: PairTable, f: (x: number, y: number, h: number, j: number) => number): number {
  const v = values(t);
  let s = 0;
  t.counts.forEach((row, h) => row.forEach((c, j) => c && (s += c * f(v[h]!, v[j]!, h, j))));
  return s;
}

/** The labels that occur in either list, in order of first appearance (for the array APIs). */
export function labelsOf(...lists: (readonly Label[])[]): Label[] {
  return [...new Set(lists.flat())];
}
