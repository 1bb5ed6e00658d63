/**
 * Benjamini–Yekutieli step-up procedure (2001): controls the false discovery rate at q under
 * any dependence between the tests. Sort the m p-values; reject the k smallest, k the
 * largest rank with p_(k) ≤ k·q / (m·H_m), H_m = 1 + 1/2 + … + 1/m. Returns, per input
 * p-value, whether it is rejected. Matches statsmodels' `multipletests(method='fdr_by')`.
 */
export function benjaminiYekutieli(pValues: readonly number[], q: number): boolean[] {
  const m = pValues.length;
  const harmonic = Array.from({ length: m }, (_, i) => 1 / (i + 1)).reduce((a, b) => a + b, 0);
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  let k = -1;
  order.forEach(({ p }, rank) => {
    if (p <= ((rank + 1) / m) * (q / harmonic)) k = rank;
  });
  const rejected = new Array<boolean>(m).fill(false);
  for (let r = 0; r <= k; r++) rejected[order[r]!.i] = true;
  return rejected;
}
