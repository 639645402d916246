import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../../src/random.js';
import { Runtime } from '../../../src/model/fast/runtime.js';
import { ensureKernelsBuilt } from './kernels-built.js';

ensureKernelsBuilt();

/** Reference C = beta·C + op(A)·op(B) in float64. */
function refGemm(tA: number, tB: number, M: number, N: number, K: number, A: Float32Array, lda: number,
  B: Float32Array, ldb: number, C: Float32Array, ldc: number, beta: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = beta ? (C[i * ldc + j] as number) : 0;
      for (let k = 0; k < K; k++) {
        const a = tA ? (A[k * lda + i] as number) : (A[i * lda + k] as number);
        const b = tB ? (B[j * ldb + k] as number) : (B[k * ldb + j] as number);
        s += a * b;
      }
      out[i * N + j] = s;
    }
  }
  return out;
}

function randomArray(n: number, rng: Random): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1;
  return a;
}

describe('fast-wasm kernels', () => {
  const runtimes = [new Runtime(64 * 2 ** 20, 1), new Runtime(64 * 2 ** 20, 2)];
  afterAll(() => runtimes.forEach((rt) => rt.dispose()));

  const shapes: [number, number, number][] = [
    [1, 1, 1],
    [5, 7, 3],
    [13, 29, 300], // K spans two packed blocks
    [130, 530, 70], // N spans two column blocks; big enough to split between threads
    [260, 40, 150], // splits by rows
    [100, 40, 1210], // long K: split along K, partial products summed
  ];
  for (const threads of [1, 2]) {
    for (const [tA, tB] of [[0, 0], [1, 0], [0, 1], [1, 1]] as [number, number][]) {
      it(`gemm tA=${tA} tB=${tB} matches a float64 reference on ${threads} thread(s)`, async () => {
        const rt = runtimes[threads - 1] as Runtime;
        await rt.ready();
        const rng = new Random(7 + tA * 2 + tB);
        for (const [M, N, K] of shapes) {
          for (const beta of [0, 1]) {
            const lda = (tA ? M : K) + 3;
            const ldb = (tB ? K : N) + 1;
            const ldc = N + 2;
            const A = randomArray((tA ? K : M) * lda, rng);
            const B = randomArray((tB ? N : K) * ldb, rng);
            const C = randomArray(M * ldc, rng);
            const pa = rt.allocF32(A.length);
            const pb = rt.allocF32(B.length);
            const pc = rt.allocF32(C.length);
            rt.f32.set(A, pa >> 2);
            rt.f32.set(B, pb >> 2);
            rt.f32.set(C, pc >> 2);
            rt.gemm(tA, tB, M, N, K, pa, lda, pb, ldb, pc, ldc, beta);
            const want = refGemm(tA, tB, M, N, K, A, lda, B, ldb, C, ldc, beta);
            const got = rt.f32.subarray(pc >> 2, (pc >> 2) + C.length);
            let maxErr = 0;
            for (let i = 0; i < M; i++) {
              for (let j = 0; j < N; j++) maxErr = Math.max(maxErr, Math.abs((got[i * ldc + j] as number) - (want[i * N + j] as number)));
              // Columns beyond N (the row padding) are left alone.
              for (let j = N; j < ldc; j++) expect(got[i * ldc + j]).toBe(C[i * ldc + j]);
            }
            expect(maxErr).toBeLessThan(1e-5 * Math.sqrt(K) + 1e-6);
          }
        }
      });
    }
  }

  it('dropout keeps the requested share, scales the kept values and is the same however it is split', () => {
    const rt = runtimes[0] as Runtime;
    const n = 100003;
    const src = rt.allocF32(n);
    const mask = rt.allocF32(n);
    const dst = rt.allocF32(n);
    const mask2 = rt.allocF32(n);
    const dst2 = rt.allocF32(n);
    const x = randomArray(n, new Random(1));
    rt.f32.set(x, src >> 2);
    rt.k.dropout(src, mask, dst, n, 0, 12345, 0.8, 1.25);
    const half = 50000;
    rt.k.dropout(src, mask2, dst2, half, 0, 12345, 0.8, 1.25);
    rt.k.dropout(src + half * 4, mask2 + half * 4, dst2 + half * 4, n - half, half, 12345, 0.8, 1.25);
    const m = rt.f32.slice(mask >> 2, (mask >> 2) + n);
    const d = rt.f32.slice(dst >> 2, (dst >> 2) + n);
    expect(Array.from(rt.f32.slice(mask2 >> 2, (mask2 >> 2) + n))).toEqual(Array.from(m));
    expect(Array.from(rt.f32.slice(dst2 >> 2, (dst2 >> 2) + n))).toEqual(Array.from(d));
    let kept = 0;
    let badMask = 0;
    let badOut = 0;
    for (let i = 0; i < n; i++) {
      if (m[i] !== 0 && m[i] !== 1.25) badMask++;
      if (m[i] !== 0) kept++;
      if (d[i] !== Math.fround((x[i] as number) * (m[i] as number))) badOut++;
    }
    expect(badMask).toBe(0);
    expect(badOut).toBe(0);
    expect(Math.abs(kept / n - 0.8)).toBeLessThan(0.01);
    // Another seed, another mask.
    rt.k.dropout(src, mask2, dst2, n, 0, 54321, 0.8, 1.25);
    const other = rt.f32.slice(mask2 >> 2, (mask2 >> 2) + n);
    let same = 0;
    for (let i = 0; i < n; i++) if (other[i] === m[i]) same++;
    expect(same / n).toBeLessThan(0.75);
  });

  it('shares the chunks of big matmuls with the worker thread', async () => {
    const rt = runtimes[1] as Runtime;
    await rt.ready();
    const before = rt.chunksRun();
    const M = 128;
    const N = 1024;
    const K = 256;
    const a = rt.allocF32(M * K);
    const b = rt.allocF32(K * N);
    const c = rt.allocF32(M * N);
    // A busy machine may keep the worker off the CPU for a while: give it up to 200 matmuls to join in.
    let reps = 0;
    while (reps < 200 && (rt.chunksRun()[1] as number) === before[1]) {
      rt.gemm(0, 0, M, N, K, a, K, b, N, c, N, 0);
      reps++;
    }
    const after = rt.chunksRun();
    expect(after.length).toBe(2);
    expect((after[0] as number) + (after[1] as number) - (before[0] as number) - (before[1] as number)).toBe(reps * 4);
    expect(after[1] as number).toBeGreaterThan(before[1] as number);
  });

  it('runs every chunk of every job exactly once across threads (many back-to-back jobs)', async () => {
    const rt = runtimes[1] as Runtime;
    await rt.ready();
    const ones = rt.allocF32(4);
    rt.f32.set([1, 1, 1, 1], ones >> 2);
    const outs = rt.allocF32(64 * 4);
    const rng = new Random(3);
    let wrong = 0;
    for (let iter = 0; iter < 400; iter++) {
      const chunks = 2 + rng.int(30);
      rt.k.zero(outs, 64 * 4);
      // Each chunk adds the row of ones into its own slot: a chunk run twice or never shows as 2 or 0.
      const results = rt.parallel(Array.from({ length: chunks }, (_, i) => ['colSum', [ones, 4, 1, 4, outs + i * 16, 1]] as ['colSum', number[]]));
      expect(results.length).toBe(chunks);
      const f = rt.f32;
      for (let i = 0; i < 64 * 4; i++) if (f[(outs >> 2) + i] !== (i < chunks * 4 ? 1 : 0)) wrong++;
    }
    expect(wrong).toBe(0);
  });

  it('reports a kernel that traps in any thread as an error and stays usable', async () => {
    const rt = runtimes[1] as Runtime;
    await rt.ready();
    const outside = 2 ** 31 - 64; // beyond the memory: memory.fill traps
    expect(() => rt.parallel(Array.from({ length: 6 }, () => ['zero', [outside, 8]] as ['zero', number[]]))).toThrow(/kernel failed/);
    const p = rt.allocF32(8);
    rt.f32.fill(5, p >> 2, (p >> 2) + 8);
    rt.parallel([['zero', [p, 4]], ['zero', [p + 16, 4]]]);
    expect(Array.from(rt.f32.subarray(p >> 2, (p >> 2) + 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('exp, sigmoid and tanh are accurate to float32 precision', () => {
    const rt = runtimes[0] as Runtime;
    const xs: number[] = [];
    for (let x = -30; x <= 30; x += 0.0137) xs.push(x);
    xs.push(0, 1e-8, -1e-8, 1e-3, -0.124, 0.126, 90, -100);
    const n = xs.length;
    const px = rt.allocF32(n);
    const py = rt.allocF32(n);
    rt.f32.set(Float32Array.from(xs), px >> 2);
    const x32 = Float32Array.from(xs);
    const read = (): Float32Array => rt.f32.slice(py >> 2, (py >> 2) + n);
    rt.k.mapTanh(px, py, n);
    const th = read();
    rt.k.mapSigmoid(px, py, n);
    const sg = read();
    rt.k.mapExp(px, py, n);
    const ex = read();
    for (let i = 0; i < n; i++) {
      const x = x32[i] as number;
      const t = Math.tanh(x);
      expect(Math.abs((th[i] as number) - t)).toBeLessThanOrEqual(2e-7 * Math.max(Math.abs(t), 1e-30) + 1e-12 + (Math.abs(t) > 0.1 ? 2e-7 : 0));
      const s = 1 / (1 + Math.exp(-x));
      expect(Math.abs((sg[i] as number) - s)).toBeLessThanOrEqual(5e-7 * s + 1e-37);
      if (x > -87 && x < 88) {
        const e = Math.exp(x);
        expect(Math.abs((ex[i] as number) - e)).toBeLessThanOrEqual(3e-7 * e);
      }
    }
  });
});
