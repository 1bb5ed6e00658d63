import type { Label } from '../types.js';

/**
 * Several raters' labels on the same items: ratings[item][rater], null where that rater
 * did not label the item. Used by the multi-rater statistics (Fleiss, Krippendorff, ICC).
 */
export type Ratings = readonly (readonly (Label | null)[])[];

/** For each item, how many raters gave each category (categories in `labels` order). */
export function categoryCounts(ratings: Ratings, labels: readonly Label[]): number[][] {
  const index = new Map(labels.map((l, i) => [l, i]));
  return ratings.map((row) => {
    const counts = new Array<number>(labels.length).fill(0);
    for (const l of row) if (l !== null) counts[index.get(l)!]!++;
    return counts;
  });
}
