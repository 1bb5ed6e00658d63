/**
 * A small seeded PRNG (mulberry32): the same seed gives the same bootstrap intervals on
 * every machine. Statistically fine for resampling; not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The same generator, drawing `count` uniform indices in [0, count) and handing each to
 * `take`: the hot loop of every bootstrap, kept free of a call per random number.
 */
export function seededIndexDrawer(seed: number): (count: number, take: (index: number) => void) => void {
  let a = seed >>> 0;
  return (count, take) => {
    for (let i = 0; i < count; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      take((((t ^ (t >>> 14)) >>> 0) / 4294967296) * count | 0);
    }
  };
}
