/**
 * The numeric matrix every k-means step works on (row-major `Float64Array`, m rows × n columns) and the
 * distances and row sets the algorithms share.
 */
import { TweetlabError } from '../errors.js';

/** A numeric matrix as rows of equal length (one row per observation, one entry per column). */
export type Rows = readonly (readonly number[])[];

/** An m × n matrix, row-major. */
export interface RowMajor {
  a: Float64Array;
  m: number;
  n: number;
}

/** Checks that `x` is a non-empty rectangular matrix of finite numbers; returns it row-major. */
export function toRowMajor(x: Rows, what = 'data'): RowMajor {
  const m = x.length;
  if (m === 0) throw new TweetlabError(`${what}: no rows to cluster`);
  const n = (x[0] as readonly number[]).length;
  if (n === 0) throw new TweetlabError(`${what}: no columns to cluster`);
  const a = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const row = x[i] as readonly number[];
    if (row.length !== n) throw new TweetlabError(`${what}: row ${i + 1} has ${row.length} values, expected ${n}`);
    for (let j = 0; j < n; j++) {
      const v = row[j] as number;
      if (!Number.isFinite(v)) throw new TweetlabError(`${what}: row ${i + 1}, column ${j + 1} is not a finite number (${v})`);
      a[i * n + j] = v;
    }
  }
  return { a, m, n };
}

/**
 * Squared Euclidean distance between row `i` of `a` and row `l` of `b` (both n wide), summed column by column
 * and abandoned (returning a value ≥ limit) once it reaches `limit`; with no limit it is the plain distance
 * in the same summation order, so both forms agree to the bit.
 */
export function squaredDistance(a: Float64Array, i: number, b: Float64Array, l: number, n: number, limit = Infinity): number {
  let s = 0;
  const io = i * n;
  const lo = l * n;
  for (let j = 0; j < n; j++) {
    const t = (a[io + j] as number) - (b[lo + j] as number);
    s += t * t;
    if (s >= limit) return s;
  }
  return s;
}

/** Total sum of squares about the column means (R: sum(scale(x, scale = FALSE)^2)). */
export function totalSumOfSquares(x: Rows): number {
  const { a, m, n } = toRowMajor(x);
  let total = 0;
  for (let j = 0; j < n; j++) {
    let mean = 0;
    for (let i = 0; i < m; i++) mean += a[i * n + j] as number;
    mean /= m;
    for (let i = 0; i < m; i++) {
      const t = (a[i * n + j] as number) - mean;
      total += t * t;
    }
  }
  return total;
}

/** The values of row `i`, as a key for sets of rows. */
function rowKey(a: Float64Array, n: number, i: number): string {
  return Array.from(a.subarray(i * n, i * n + n)).join(',');
}

/** Indices of the first occurrence of each distinct row, in order (R: unique(x)). */
export function distinctRowIndices(a: Float64Array, m: number, n: number): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    const key = rowKey(a, n, i);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(i);
    }
  }
  return out;
}

/** True when two of the given rows hold the same values. */
export function hasRepeatedRows(a: Float64Array, n: number, rows: readonly number[]): boolean {
  const keys = new Set(rows.map((r) => rowKey(a, n, r)));
  return keys.size < rows.length;
}

/** Copies the given rows of `a` into `into` (rows.length × n, row-major). */
export function copyRows(a: Float64Array, n: number, rows: readonly number[], into: Float64Array): void {
  rows.forEach((row, l) => {
    for (let q = 0; q < n; q++) into[l * n + q] = a[row * n + q] as number;
  });
}
