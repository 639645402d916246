/** The absolute-discounting steps of the Kneser–Ney 3-gram (src/evaluate/ngram.ts), as pure functions. */

/** One interpolated absolute-discount step: the discounted count of w in `row`, plus the freed mass × lower. */
export function interpolate(
  row: Map<number, number> | undefined,
  total: number | undefined,
  w: number,
  discount: number,
  lower: number,
): number {
  if (!row || !total) return lower;
  return Math.max((row.get(w) ?? 0) - discount, 0) / total + ((discount * row.size) / total) * lower;
}

/** Discounted counts with the freed mass spread uniformly over all ids (uniform when there are no counts). */
export function absoluteDiscountUniform(counts: Float64Array, discount: number): Float64Array {
  const V = counts.length;
  let total = 0;
  let types = 0;
  for (let w = 0; w < V; w++) {
    total += counts[w] as number;
    if ((counts[w] as number) > 0) types++;
  }
  const out = new Float64Array(V);
  for (let w = 0; w < V; w++) {
    out[w] = total === 0 ? 1 / V : Math.max((counts[w] as number) - discount, 0) / total + ((discount * types) / total) / V;
  }
  return out;
}

/** Chen & Goodman's estimate D = n1 / (n1 + 2·n2) from the counts of count 1 and 2, kept inside (0, 1). */
export function discountFor(counts: ArrayLike<number>): number {
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i] as number;
    if (c === 1) n1++;
    else if (c === 2) n2++;
  }
  if (n1 + 2 * n2 === 0) return 0.5;
  return Math.min(Math.max(n1 / (n1 + 2 * n2), 0.05), 0.95);
}

/**
 * `interpolate` for every id at once: out[w] = discounted count of w in `row` + freed mass × lower[w], with
 * exactly the same floating-point operations per id. `out` may be `lower` itself (updated in place).
 */
export function interpolateAll(
  row: Map<number, number> | undefined,
  total: number | undefined,
  discount: number,
  lower: Float64Array,
  out: Float64Array,
): void {
  if (!row || !total) {
    if (out !== lower) out.set(lower);
    return;
  }
  const freed = (discount * row.size) / total;
  for (let w = 0; w < out.length; w++) out[w] = freed * (lower[w] as number);
  for (const [w, c] of row) out[w] = Math.max(c - discount, 0) / total + (out[w] as number);
}
