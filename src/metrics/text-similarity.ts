/**
 * Ratcliff–Obershelp similarity, 2·M / (|a| + |b|) with M the characters in matching blocks,
 * computed exactly as Python's `difflib.SequenceMatcher(None, a, b).ratio()`, including its
 * "autojunk" rule (in a b of 200+ characters, characters occurring in more than 1% + 1 of
 * positions are not used to start a match). Strings are compared by code point.
 * Ratcliff & Metzener (1988), Dr. Dobb's Journal.
 */
export function sequenceRatio(aText: string, bText: string): number {
  const a = Array.from(aText);
  const b = Array.from(bText);
  const total = a.length + b.length;
  if (total === 0) return 1;
  const b2j = new Map<string, number[]>();
  b.forEach((ch, j) => {
    const list = b2j.get(ch);
    if (list) list.push(j);
    else b2j.set(ch, [j]);
  });
  if (b.length >= 200) {
    const limit = Math.floor(b.length / 100) + 1;
    for (const [ch, list] of [...b2j]) if (list.length > limit) b2j.delete(ch);
  }
  let matches = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    const [i, j, k] = longestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (k === 0) continue;
    matches += k;
    if (alo < i && blo < j) queue.push([alo, i, blo, j]);
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
  }
  return (2 * matches) / total;
}

/** difflib's find_longest_match with no junk function (popular characters may only extend a match). */
function longestMatch(a: string[], b: string[], b2j: Map<string, number[]>, alo: number, ahi: number, blo: number, bhi: number): [number, number, number] {
  let besti = alo;
  let bestj = blo;
  let best = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const next = new Map<number, number>();
    for (const j of b2j.get(a[i]!) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      next.set(j, k);
      if (k > best) {
        besti = i - k + 1;
        bestj = j - k + 1;
        best = k;
      }
    }
    j2len = next;
  }
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    besti--;
    bestj--;
    best++;
  }
  while (besti + best < ahi && bestj + best < bhi && a[besti + best] === b[bestj + best]) best++;
  return [besti, bestj, best];
}
