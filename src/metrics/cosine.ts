/**
 * Cosine similarity of two vectors: a·b / (|a| |b|), in [-1, 1]; null when either is all
 * zeros (no direction to compare). The usual measure of how close two embeddings are.
 */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number | null {
  if (a.length !== b.length) throw new RangeError(`cosine of vectors of different lengths (${a.length} and ${b.length})`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  if (na === 0 || nb === 0) return null;
  // Rounding can push a self-similarity a hair past 1.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}
