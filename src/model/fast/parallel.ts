import type { Job, Runtime } from './runtime.js';

/**
 * The kernels split over the runtime's threads. Every split either gives each output element to exactly one
 * chunk, or (for sums) uses fixed chunk boundaries whatever the thread count, so results are bit-identical on one
 * thread or several.
 */
export class Parallel {
  constructor(readonly rt: Runtime) {}

  gemm(tA: number, tB: number, M: number, N: number, K: number, A: number, lda: number, B: number, ldb: number,
    C: number, ldc: number, beta: number): void {
    this.rt.gemm(tA, tB, M, N, K, A, lda, B, ldb, C, ldc, beta);
  }

  /** Splits `rows` rows into per-thread ranges (at least `minRows` each). */
  rowSplit(rows: number, minRows: number): [number, number][] {
    // Two chunks per thread: threads take chunks as they come, so a descheduled thread does not stall the rest.
    const threads = this.rt.threads;
    const T = Math.max(1, Math.min(threads === 1 ? 1 : 2 * threads, Math.floor(rows / minRows)));
    const per = Math.ceil(rows / T);
    const out: [number, number][] = [];
    for (let r0 = 0; r0 < rows; r0 += per) out.push([r0, Math.min(per, rows - r0)]);
    return out;
  }

  /** A split into at most `chunks` ranges that depends only on `n` (for sums whose order must not change). */
  private fixedSplit(n: number, chunks: number, align = 1): [number, number][] {
    const per = Math.ceil(n / chunks / align) * align;
    const out: [number, number][] = [];
    for (let i0 = 0; i0 < n; i0 += per) out.push([i0, Math.min(per, n - i0)]);
    return out;
  }

  softmaxXent(Z: number, V: number, rows: number, targets: number, scale: number, withTargets: boolean): number {
    // The loss is the sum of the chunks' sums in chunk order, so the same chunks on one thread or two give the same bits.
    const split = this.fixedSplit(rows, Math.max(1, Math.min(8, Math.floor(rows / 16))));
    const jobs: Job[] = split.map(([r0, n]) => [
      'softmaxXent', [Z + r0 * V * 4, V, n, V, targets + r0 * 4, scale, withTargets ? 1 : 0],
    ]);
    return this.rt.parallel(jobs).reduce((a, b) => a + b, 0);
  }

  /** Σ x² over n floats, in float64, summed over 8 fixed chunks in order. */
  sumSquares(p: number, n: number): number {
    const jobs: Job[] = this.fixedSplit(n, 8, 4).map(([i0, len]) => ['sumSquares', [p + i0 * 4, len]]);
    return this.rt.parallel(jobs).reduce((a, b) => a + b, 0);
  }

  colSum(Z: number, ldz: number, rows: number, cols: number, out: number): void {
    const T = this.rt.threads;
    if (T === 1 || rows * cols < 1e5) {
      this.rt.call('colSum', [Z, ldz, rows, cols, out, 0]);
      return;
    }
    const per = Math.ceil(cols / T / 4) * 4;
    const jobs: Job[] = [];
    for (let j0 = 0; j0 < cols; j0 += per) {
      jobs.push(['colSum', [Z + j0 * 4, ldz, rows, Math.min(per, cols - j0), out + j0 * 4, 0]]);
    }
    this.rt.parallel(jobs);
  }

  cellForward(G: number, cPrev: number, cOut: number, hOut: number, rows: number, H: number): void {
    this.rt.parallel(this.rowSplit(rows, 8).map(([r0, n]) => [
      'lstmForwardStep', [G + r0 * 4 * H * 4, cPrev ? cPrev + r0 * H * 4 : 0, cOut + r0 * H * 4, hOut + r0 * H * 4, n, H],
    ]));
  }

  cellBackward(G: number, c: number, cPrev: number, dH: number, dC: number, hasDC: boolean, rows: number, H: number): void {
    this.rt.parallel(this.rowSplit(rows, 8).map(([r0, n]) => [
      'lstmBackwardStep',
      [G + r0 * 4 * H * 4, c + r0 * H * 4, cPrev ? cPrev + r0 * H * 4 : 0, dH + r0 * H * 4, dC + r0 * H * 4, hasDC ? 1 : 0, n, H],
    ]));
  }

  /** dst[i] = src[i] ⊙ mask[i mod B] over time-major rows of `dim` floats (locked dropout, forward or backward). */
  lockedMul(src: number, mask: number, dst: number, rows: number, dim: number, B: number): void {
    this.rt.parallel(this.rowSplit(rows, Math.max(1, Math.ceil(2048 / dim))).map(([r0, n]) => [
      'lockedMul', [src + r0 * dim * 4, mask, dst + r0 * dim * 4, n, dim, B, r0],
    ]));
  }

  /** mask[i] = scale with probability keep, else 0, for i < n (a hash of (seed, i): any split draws the same). */
  dropoutMask(mask: number, n: number, seed: number, keep: number): void {
    this.rt.parallel(this.rowSplit(n, 4096).map(([i0, len]) => [
      'dropoutMask', [mask + i0 * 4, len, i0, seed, keep, 1 / keep],
    ]));
  }

  /** Elementwise dropout of src into dst with its mask (the variant-2 dropout, and DropConnect's W ⊙ M). */
  dropout(src: number, mask: number, dst: number, n: number, seed: number, keep: number): void {
    this.rt.parallel(this.rowSplit(n, 4096).map(([i0, len]) => [
      'dropout', [src + i0 * 4, mask + i0 * 4, dst + i0 * 4, len, i0, seed, keep, 1 / keep],
    ]));
  }

  /** y = a ⊙ b over n floats. */
  mul(a: number, b: number, y: number, n: number): void {
    this.rt.parallel(this.rowSplit(n, 8192).map(([i0, len]) => ['mul', [a + i0 * 4, b + i0 * 4, y + i0 * 4, len]]));
  }

  /** Runs kernel `name(ptr + i0, …, len, …rest)` over n floats split between threads (optimiser passes). */
  elementwise(n: number, make: (off: number, len: number) => Job): void {
    const per = Math.ceil(n / this.rt.threads / 4) * 4;
    const jobs: Job[] = [];
    for (let i0 = 0; i0 < n; i0 += per) jobs.push(make(i0 * 4, Math.min(per, n - i0)));
    this.rt.parallel(jobs);
  }
}
