// tweetlab fast-wasm kernels (AssemblyScript → WebAssembly SIMD, shared memory).
//
// Every kernel works on raw byte offsets into the one shared linear memory that the JS engine lays out;
// no kernel allocates and no kernel keeps state in globals, so the main thread and the worker threads can
// run the same exports on disjoint parts of the same buffers. All matrices are row-major float32.
// Build: `node scripts/build-wasm.mjs` (asc, -O3, SIMD + threads) → dist/wasm/kernels.wasm.

// ---------------------------------------------------------------------------------------------------------
// SGEMM: C[M×N] = beta·C + op(A)·op(B), beta ∈ {0, 1}. op(A) is A[M×K] (transA = 0) or A stored as [K×M]
// (transA = 1); op(B) is B[K×N] (transB = 0) or B stored as [N×K] (transB = 1). Blocks of A and B are packed
// (GotoBLAS style) into `work` so the 4×8 micro-kernel always reads contiguous panels, whatever the transpose.

// The relaxed-SIMD build has fused multiply-add, which frees the registers for a 6×8 tile (12 accumulators).
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = ASC_FEATURE_RELAXED_SIMD ? 126 : 128;
const NC: i32 = 512;

/** Bytes of scratch one gemm call needs in `work`. */
export function gemmWorkBytes(): i32 {
  return (MC * KC + KC * NC + 64) * 4;
}

@inline function addr(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

function packA(transA: i32, A: usize, lda: i32, i0: i32, k0: i32, mc: i32, kc: i32, Ap: usize): void {
  for (let p = 0; p < mc; p += MR) {
    const rows = min(MR, mc - p);
    const dst0 = Ap + (<usize>(p * kc) << 2);
    if (transA) {
      if (MR == 4 && rows == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst0 + (<usize>(k * MR) << 2), v128.load(addr(A, (k0 + k) * lda + i0 + p)));
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst0 + (<usize>(k * MR) << 2);
          for (let r = 0; r < MR; r++) {
            store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(addr(A, (k0 + k) * lda + i0 + p + r)) : 0);
          }
        }
      }
    } else {
      if (MR == 4 && rows == MR) {
        const a0 = addr(A, (i0 + p) * lda + k0);
        const a1 = a0 + (<usize>lda << 2);
        const a2 = a1 + (<usize>lda << 2);
        const a3 = a2 + (<usize>lda << 2);
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          // 4×4 transpose of the rows' next four values into [k][r] order.
          const o = <usize>k << 2;
          const r0 = v128.load(a0 + o);
          const r1 = v128.load(a1 + o);
          const r2 = v128.load(a2 + o);
          const r3 = v128.load(a3 + o);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const d = dst0 + (<usize>(k * MR) << 2);
          v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
          v128.store(d, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
          v128.store(d, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
          v128.store(d, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
        }
        for (; k < kc; k++) {
          const d = dst0 + (<usize>(k * MR) << 2);
          const o = <usize>k << 2;
          store<f32>(d, load<f32>(a0 + o));
          store<f32>(d, load<f32>(a1 + o), 4);
          store<f32>(d, load<f32>(a2 + o), 8);
          store<f32>(d, load<f32>(a3 + o), 12);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst0 + (<usize>(k * MR) << 2);
          for (let r = 0; r < MR; r++) {
            store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(addr(A, (i0 + p + r) * lda + k0 + k)) : 0);
          }
        }
      }
    }
  }
}

function packB(transB: i32, B: usize, ldb: i32, k0: i32, j0: i32, kc: i32, nc: i32, Bp: usize): void {
  for (let q = 0; q < nc; q += NR) {
    const cols = min(NR, nc - q);
    const dst0 = Bp + (<usize>(q * kc) << 2);
    if (!transB) {
      if (cols == NR) {
        for (let k = 0; k < kc; k++) {
          const s = addr(B, (k0 + k) * ldb + j0 + q);
          const d = dst0 + (<usize>(k * NR) << 2);
          v128.store(d, v128.load(s));
          v128.store(d, v128.load(s, 16), 16);
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst0 + (<usize>(k * NR) << 2);
          for (let c = 0; c < NR; c++) {
            store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(addr(B, (k0 + k) * ldb + j0 + q + c)) : 0);
          }
        }
      }
    } else {
      if (cols == NR) {
        // B stored [N×K]: column c of op(B) is row (j0+q+c) of B; transpose 4×4 blocks.
        const b0 = addr(B, (j0 + q) * ldb + k0);
        const step = <usize>ldb << 2;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = <usize>k << 2;
          for (let half = 0; half < 2; half++) {
            const base = b0 + <usize>(half * 4) * step + o;
            const r0 = v128.load(base);
            const r1 = v128.load(base + step);
            const r2 = v128.load(base + 2 * step);
            const r3 = v128.load(base + 3 * step);
            const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
            const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
            const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
            const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
            const d = dst0 + (<usize>(k * NR + half * 4) << 2);
            v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
            v128.store(d, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 32);
            v128.store(d, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 64);
            v128.store(d, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 96);
          }
        }
        for (; k < kc; k++) {
          const d = dst0 + (<usize>(k * NR) << 2);
          for (let c = 0; c < NR; c++) {
            store<f32>(d + (<usize>c << 2), load<f32>(b0 + <usize>c * step + (<usize>k << 2)));
          }
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst0 + (<usize>(k * NR) << 2);
          for (let c = 0; c < NR; c++) {
            store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(addr(B, (j0 + q + c) * ldb + k0 + k)) : 0);
          }
        }
      }
    }
  }
}

/** 4×8 register tile over packed panels; writes (or adds to) an mr×nr corner of C. */
function micro4x8(Ap: usize, Bp: usize, kc: i32, C: usize, ldc: i32, accumulate: i32, mr: i32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a = Ap;
  let b = Bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a += 16;
    b += 32;
  }
  const rowBytes = <usize>ldc << 2;
  if (mr == MR && nr == NR) {
    const r0 = C;
    const r1 = r0 + rowBytes;
    const r2 = r1 + rowBytes;
    const r3 = r2 + rowBytes;
    if (accumulate) {
      c00 = f32x4.add(c00, v128.load(r0)); c01 = f32x4.add(c01, v128.load(r0, 16));
      c10 = f32x4.add(c10, v128.load(r1)); c11 = f32x4.add(c11, v128.load(r1, 16));
      c20 = f32x4.add(c20, v128.load(r2)); c21 = f32x4.add(c21, v128.load(r2, 16));
      c30 = f32x4.add(c30, v128.load(r3)); c31 = f32x4.add(c31, v128.load(r3, 16));
    }
    v128.store(r0, c00); v128.store(r0, c01, 16);
    v128.store(r1, c10); v128.store(r1, c11, 16);
    v128.store(r2, c20); v128.store(r2, c21, 16);
    v128.store(r3, c30); v128.store(r3, c31, 16);
    return;
  }
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
  for (let r = 0; r < mr; r++) {
    const crow = C + <usize>r * rowBytes;
    for (let c = 0; c < nr; c++) {
      const v = load<f32>(tmp + (<usize>(r * NR + c) << 2));
      const p = crow + (<usize>c << 2);
      store<f32>(p, accumulate ? load<f32>(p) + v : v);
    }
  }
}


/** 6×8 register tile with fused multiply-add (relaxed-SIMD build only). */
function micro6x8(Ap: usize, Bp: usize, kc: i32, C: usize, ldc: i32, accumulate: i32, mr: i32, nr: i32, tmp: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0);
  let c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let a = Ap;
  let b = Bp;
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.relaxed_madd(av, b0, c00); c01 = f32x4.relaxed_madd(av, b1, c01);
    av = v128.load32_splat(a, 4);
    c10 = f32x4.relaxed_madd(av, b0, c10); c11 = f32x4.relaxed_madd(av, b1, c11);
    av = v128.load32_splat(a, 8);
    c20 = f32x4.relaxed_madd(av, b0, c20); c21 = f32x4.relaxed_madd(av, b1, c21);
    av = v128.load32_splat(a, 12);
    c30 = f32x4.relaxed_madd(av, b0, c30); c31 = f32x4.relaxed_madd(av, b1, c31);
    av = v128.load32_splat(a, 16);
    c40 = f32x4.relaxed_madd(av, b0, c40); c41 = f32x4.relaxed_madd(av, b1, c41);
    av = v128.load32_splat(a, 20);
    c50 = f32x4.relaxed_madd(av, b0, c50); c51 = f32x4.relaxed_madd(av, b1, c51);
    a += 24;
    b += 32;
  }
  v128.store(tmp, c00); v128.store(tmp, c01, 16);
  v128.store(tmp, c10, 32); v128.store(tmp, c11, 48);
  v128.store(tmp, c20, 64); v128.store(tmp, c21, 80);
  v128.store(tmp, c30, 96); v128.store(tmp, c31, 112);
  v128.store(tmp, c40, 128); v128.store(tmp, c41, 144);
  v128.store(tmp, c50, 160); v128.store(tmp, c51, 176);
  const rowBytes = <usize>ldc << 2;
  if (nr == NR) {
    for (let r = 0; r < mr; r++) {
      const crow = C + <usize>r * rowBytes;
      const t = tmp + (<usize>(r * NR) << 2);
      let v0 = v128.load(t);
      let v1 = v128.load(t, 16);
      if (accumulate) { v0 = f32x4.add(v0, v128.load(crow)); v1 = f32x4.add(v1, v128.load(crow, 16)); }
      v128.store(crow, v0); v128.store(crow, v1, 16);
    }
    return;
  }
  for (let r = 0; r < mr; r++) {
    const crow = C + <usize>r * rowBytes;
    for (let c = 0; c < nr; c++) {
      const v = load<f32>(tmp + (<usize>(r * NR + c) << 2));
      const p = crow + (<usize>c << 2);
      store<f32>(p, accumulate ? load<f32>(p) + v : v);
    }
  }
}

export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, lda: i32, B: usize, ldb: i32, C: usize, ldc: i32, beta: i32, work: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    if (!beta) for (let i = 0; i < M; i++) memory.fill(addr(C, i * ldc), 0, <usize>N << 2);
    return;
  }
  const Ap = (work + 15) & ~(<usize>15);
  const Bp = Ap + (<usize>(MC * KC) << 2);
  const tmp = Bp + (<usize>(KC * NC) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      packB(transB, B, ldb, pc, jc, kc, nc, Bp);
      const acc = beta != 0 || pc > 0 ? 1 : 0;
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA, A, lda, ic, pc, mc, kc, Ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = Bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            if (MR == 6) micro6x8(Ap + (<usize>(ir * kc) << 2), bpanel, kc, addr(C, (ic + ir) * ldc + jc + jr), ldc, acc, mr, nr, tmp);
            else micro4x8(Ap + (<usize>(ir * kc) << 2), bpanel, kc, addr(C, (ic + ir) * ldc + jc + jr), ldc, acc, mr, nr, tmp);
          }
        }
      }
    }
  }
}

/** y[N] = (accumulate ? y : bias or 0) + x[K]·W[K×N] (row-major W with row stride ldw): one-row products. */
export function gemv(x: usize, K: i32, W: usize, ldw: i32, N: i32, bias: usize, y: usize, accumulate: i32): void {
  if (!accumulate) {
    if (bias) memory.copy(y, bias, <usize>N << 2);
    else memory.fill(y, 0, <usize>N << 2);
  }
  const n4 = N & ~3;
  for (let k = 0; k < K; k++) {
    const xv = load<f32>(addr(x, k));
    if (xv == 0) continue;
    const xs = f32x4.splat(xv);
    const row = addr(W, k * ldw);
    let j = 0;
    for (; j + 16 <= n4; j += 16) {
      const o = <usize>j << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(xs, v128.load(row + o))));
      v128.store(y + o, f32x4.add(v128.load(y + o, 16), f32x4.mul(xs, v128.load(row + o, 16))), 16);
      v128.store(y + o, f32x4.add(v128.load(y + o, 32), f32x4.mul(xs, v128.load(row + o, 32))), 32);
      v128.store(y + o, f32x4.add(v128.load(y + o, 48), f32x4.mul(xs, v128.load(row + o, 48))), 48);
    }
    for (; j < n4; j += 4) {
      const o = <usize>j << 2;
      v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(xs, v128.load(row + o))));
    }
    for (; j < N; j++) {
      const o = <usize>j << 2;
      store<f32>(y + o, load<f32>(y + o) + xv * load<f32>(row + o));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Vector math: exp, sigmoid, tanh on f32x4 (float32 accuracy, a few ulp).

@inline function vexp(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(88.3762626647949)), f32x4.splat(-87.33654475));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504088896341)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const ni = i32x4.trunc_sat_f32x4_s(n);
  // 2^n built from the exponent bits; n ∈ [-126, 127] after the clamp. The split keeps it normal.
  const half = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}

@inline function vsigmoid(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, vexp(f32x4.neg(x))));
}

@inline function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  // Large |x|: (1 − e)/(1 + e) with e = exp(−2|x|), sign restored. Small |x|: odd Taylor series.
  const e = vexp(f32x4.mul(ax, f32x4.splat(-2)));
  const one = f32x4.splat(1);
  const big = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(62.0 / 2835.0);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-17.0 / 315.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.0 / 15.0));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-1.0 / 3.0));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(p, x2), x));
  const signBit = v128.and(x, i32x4.splat(0x80000000));
  const bigSigned = v128.or(big, signBit);
  return v128.bitselect(small, bigSigned, f32x4.lt(ax, f32x4.splat(0.125)));
}

/** Test hooks: elementwise exp / sigmoid / tanh over n floats (used by the accuracy tests). */
export function mapExp(x: usize, y: usize, n: i32): void { mapFn(x, y, n, 0); }
export function mapSigmoid(x: usize, y: usize, n: i32): void { mapFn(x, y, n, 1); }
export function mapTanh(x: usize, y: usize, n: i32): void { mapFn(x, y, n, 2); }

function mapFn(x: usize, y: usize, n: i32, which: i32): void {
  for (let i = 0; i < n; i += 4) {
    const lanes = min(4, n - i);
    const o = <usize>i << 2;
    const v = ld4(x + o, lanes);
    st4(y + o, which == 0 ? vexp(v) : which == 1 ? vsigmoid(v) : vtanh(v), lanes);
  }
}

// ---------------------------------------------------------------------------------------------------------
// LSTM cell over one time step for `rows` batch rows. Gate layout per row (Keras/tfjs): [i | f | c | o],
// each `H` wide. Forward turns the pre-activations G (rows × 4H) into activations in place and writes c, h.

@inline function ld4(p: usize, lanes: i32): v128 {
  if (lanes == 4) return v128.load(p);
  let v = f32x4.splat(load<f32>(p));
  if (lanes > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (lanes > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

@inline function st4(p: usize, v: v128, lanes: i32): void {
  if (lanes == 4) { v128.store(p, v); return; }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (lanes > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (lanes > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** cPrev = 0 means a zero initial cell state. */
export function lstmForwardStep(G: usize, cPrev: usize, cOut: usize, hOut: usize, rows: i32, H: i32): void {
  const hb = <usize>H << 2;
  for (let r = 0; r < rows; r++) {
    const g = G + <usize>(r * 4) * hb;
    const co = cOut + <usize>r * hb;
    const ho = hOut + <usize>r * hb;
    const cp = cPrev ? cPrev + <usize>r * hb : 0;
    for (let j = 0; j < H; j += 4) {
      const lanes = min(4, H - j);
      const o = <usize>j << 2;
      const iv = vsigmoid(ld4(g + o, lanes));
      const fv = vsigmoid(ld4(g + hb + o, lanes));
      const gv = vtanh(ld4(g + 2 * hb + o, lanes));
      const ov = vsigmoid(ld4(g + 3 * hb + o, lanes));
      let c = f32x4.mul(iv, gv);
      if (cp) c = f32x4.add(f32x4.mul(fv, ld4(cp + o, lanes)), c);
      const h = f32x4.mul(ov, vtanh(c));
      st4(g + o, iv, lanes);
      st4(g + hb + o, fv, lanes);
      st4(g + 2 * hb + o, gv, lanes);
      st4(g + 3 * hb + o, ov, lanes);
      st4(co + o, c, lanes);
      st4(ho + o, h, lanes);
    }
  }
}

/**
 * Backward through one time step. In: gate activations G, c of this step, cPrev (0 = zeros), dH (the total
 * gradient reaching h_t), dC (gradient reaching c_t from step t+1; 0 = none). Out: G becomes dZ (gradient of
 * the pre-activations), dC becomes the gradient reaching c_{t-1}.
 */
export function lstmBackwardStep(G: usize, c: usize, cPrev: usize, dH: usize, dC: usize, hasDC: i32, rows: i32, H: i32): void {
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let r = 0; r < rows; r++) {
    const g = G + <usize>(r * 4) * hb;
    const cr = c + <usize>r * hb;
    const cp = cPrev ? cPrev + <usize>r * hb : 0;
    const dh = dH + <usize>r * hb;
    const dc = dC + <usize>r * hb;
    for (let j = 0; j < H; j += 4) {
      const lanes = min(4, H - j);
      const o = <usize>j << 2;
      const iv = ld4(g + o, lanes);
      const fv = ld4(g + hb + o, lanes);
      const gv = ld4(g + 2 * hb + o, lanes);
      const ov = ld4(g + 3 * hb + o, lanes);
      const tc = vtanh(ld4(cr + o, lanes));
      const dhv = ld4(dh + o, lanes);
      const dov = f32x4.mul(dhv, tc);
      let dcv = f32x4.mul(f32x4.mul(dhv, ov), f32x4.sub(one, f32x4.mul(tc, tc)));
      if (hasDC) dcv = f32x4.add(dcv, ld4(dc + o, lanes));
      const div = f32x4.mul(dcv, gv);
      const dgv = f32x4.mul(dcv, iv);
      const cpv = cp ? ld4(cp + o, lanes) : f32x4.splat(0);
      const dfv = f32x4.mul(dcv, cpv);
      st4(dc + o, f32x4.mul(dcv, fv), lanes);
      st4(g + o, f32x4.mul(div, f32x4.mul(iv, f32x4.sub(one, iv))), lanes);
      st4(g + hb + o, f32x4.mul(dfv, f32x4.mul(fv, f32x4.sub(one, fv))), lanes);
      st4(g + 2 * hb + o, f32x4.mul(dgv, f32x4.sub(one, f32x4.mul(gv, gv))), lanes);
      st4(g + 3 * hb + o, f32x4.mul(dov, f32x4.mul(ov, f32x4.sub(one, ov))), lanes);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Output layer: softmax + sparse cross-entropy over `rows` rows of logits Z (row stride ldz, V valid columns).
// Returns Σ −log p[target]. With scale ≠ 0 the rows are overwritten with the gradient scale·(p − onehot) and
// the padding columns [V, ldz) are zeroed; with scale = 0 the rows become the probabilities.

export function softmaxXent(Z: usize, ldz: i32, rows: i32, V: i32, targets: usize, scale: f32, withTargets: i32): f64 {
  let total: f64 = 0;
  const v4 = V & ~3;
  for (let r = 0; r < rows; r++) {
    const z = Z + (<usize>(r * ldz) << 2);
    // max
    let mv = f32x4.splat(-3.4e38);
    let j = 0;
    for (; j < v4; j += 4) mv = f32x4.max(mv, v128.load(z + (<usize>j << 2)));
    let m = max(max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)), max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)));
    for (; j < V; j++) m = max(m, load<f32>(z + (<usize>j << 2)));
    const target = withTargets ? load<i32>(targets + (<usize>r << 2)) : 0;
    const zt = withTargets ? load<f32>(z + (<usize>target << 2)) : 0;
    // exp and sum
    const ms = f32x4.splat(m);
    let sv = f32x4.splat(0);
    j = 0;
    for (; j < v4; j += 4) {
      const p = z + (<usize>j << 2);
      const e = vexp(f32x4.sub(v128.load(p), ms));
      v128.store(p, e);
      sv = f32x4.add(sv, e);
    }
    let s: f64 = <f64>f32x4.extract_lane(sv, 0) + <f64>f32x4.extract_lane(sv, 1) + <f64>f32x4.extract_lane(sv, 2) + <f64>f32x4.extract_lane(sv, 3);
    for (; j < V; j++) {
      const p = z + (<usize>j << 2);
      const e = f32x4.extract_lane(vexp(f32x4.splat(load<f32>(p) - m)), 0);
      store<f32>(p, e);
      s += <f64>e;
    }
    if (withTargets) total += Math.log(s) - <f64>(zt - m);
    // normalise (times scale)
    const k: f32 = scale != 0 ? <f32>(<f64>scale / s) : <f32>(1.0 / s);
    const kv = f32x4.splat(k);
    j = 0;
    for (; j < v4; j += 4) {
      const p = z + (<usize>j << 2);
      v128.store(p, f32x4.mul(v128.load(p), kv));
    }
    for (; j < V; j++) {
      const p = z + (<usize>j << 2);
      store<f32>(p, load<f32>(p) * k);
    }
    if (scale != 0) {
      if (withTargets) {
        const p = z + (<usize>target << 2);
        store<f32>(p, load<f32>(p) - scale);
      }
      for (j = V; j < ldz; j++) store<f32>(z + (<usize>j << 2), 0);
    }
  }
  return total;
}

/** out[j] (+)= Σ_r Z[r, j] for j in [0, cols): bias gradients. */
export function colSum(Z: usize, ldz: i32, rows: i32, cols: i32, out: usize, accumulate: i32): void {
  if (!accumulate) memory.fill(out, 0, <usize>cols << 2);
  const c4 = cols & ~3;
  for (let r = 0; r < rows; r++) {
    const z = Z + (<usize>(r * ldz) << 2);
    let j = 0;
    for (; j < c4; j += 4) {
      const o = <usize>j << 2;
      v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(z + o)));
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(z + o));
    }
  }
}

/** Every row of C[rows × cols] (row stride ldc) := bias. */
export function fillRows(C: usize, ldc: i32, rows: i32, cols: i32, bias: usize): void {
  for (let r = 0; r < rows; r++) memory.copy(C + (<usize>(r * ldc) << 2), bias, <usize>cols << 2);
}

// ---------------------------------------------------------------------------------------------------------
// Embedding, dropout, elementwise helpers.

/** out[r] = table[ids[r]] for r < n (rows of `dim` floats). */
export function gatherRows(table: usize, dim: i32, ids: usize, n: i32, out: usize): void {
  const rb = <usize>dim << 2;
  for (let r = 0; r < n; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    memory.copy(out + <usize>r * rb, table + <usize>id * rb, rb);
  }
}

/** grad[ids[r]] += src[r] (the embedding gradient as a scatter-add). */
export function scatterAddRows(grad: usize, dim: i32, ids: usize, n: i32, src: usize): void {
  const rb = <usize>dim << 2;
  const d4 = dim & ~3;
  for (let r = 0; r < n; r++) {
    const id = load<i32>(ids + (<usize>r << 2));
    const g = grad + <usize>id * rb;
    const s = src + <usize>r * rb;
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      v128.store(g + o, f32x4.add(v128.load(g + o), v128.load(s + o)));
    }
    for (; j < dim; j++) {
      const o = <usize>j << 2;
      store<f32>(g + o, load<f32>(g + o) + load<f32>(s + o));
    }
  }
}

/** y[i] = a[i]·b[i]. */
export function mul(a: usize, b: usize, y: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/**
 * Dropout for elements [first, first + n): mask[i] = scale with probability keep, else 0 (a counter-based hash
 * of (seed, index), so any split between threads draws the same mask); dst[i] = src[i]·mask[i].
 */
export function dropout(src: usize, mask: usize, dst: usize, n: i32, first: i32, seed: u32, keep: f32, scale: f32): void {
  for (let i = 0; i < n; i++) {
    let x: u32 = seed ^ (<u32>(first + i) * 0x9e3779b9);
    x ^= x >>> 16;
    x *= 0x7feb352d;
    x ^= x >>> 15;
    x *= 0x846ca68b;
    x ^= x >>> 16;
    const u = <f32>(x >>> 8) * (<f32>1.0 / <f32>16777216.0);
    const m: f32 = u < keep ? scale : 0;
    const o = <usize>i << 2;
    store<f32>(mask + o, m);
    store<f32>(dst + o, load<f32>(src + o) * m);
  }
}

export function zero(p: usize, n: i32): void {
  memory.fill(p, 0, <usize>n << 2);
}

// ---------------------------------------------------------------------------------------------------------
// Optimisers with Keras semantics, exactly as the tfjs engine (src/model/tfjs-engine.ts) applies them:
//   rmsprop: ms = rho·ms + (1 − rho)·g²;  w −= (g·lr) / (√ms + eps)
//   adam:    m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  w −= (m·rate) / (√v + eps),
//            rate = lr·√(1 − β2^t)/(1 − β1^t) computed by the caller.

export function rmsprop(w: usize, g: usize, ms: usize, n: i32, lr: f32, rho: f32, eps: f32): void {
  const rv = f32x4.splat(rho), r1 = f32x4.splat(1 - rho), lv = f32x4.splat(lr), ev = f32x4.splat(eps);
  for (let i = 0; i < n; i += 4) {
    const lanes = min(4, n - i);
    const o = <usize>i << 2;
    const gv = ld4(g + o, lanes);
    const m = f32x4.add(f32x4.mul(ld4(ms + o, lanes), rv), f32x4.mul(f32x4.mul(gv, gv), r1));
    st4(ms + o, m, lanes);
    st4(w + o, f32x4.sub(ld4(w + o, lanes), f32x4.div(f32x4.mul(gv, lv), f32x4.add(f32x4.sqrt(m), ev))), lanes);
  }
}

export function adam(w: usize, g: usize, m: usize, v: usize, n: i32, rate: f32, b1: f32, b2: f32, eps: f32): void {
  const b1v = f32x4.splat(b1), b1c = f32x4.splat(1 - b1), b2v = f32x4.splat(b2), b2c = f32x4.splat(1 - b2);
  const rv = f32x4.splat(rate), ev = f32x4.splat(eps);
  for (let i = 0; i < n; i += 4) {
    const lanes = min(4, n - i);
    const o = <usize>i << 2;
    const gv = ld4(g + o, lanes);
    const mv = f32x4.add(f32x4.mul(ld4(m + o, lanes), b1v), f32x4.mul(gv, b1c));
    const vv = f32x4.add(f32x4.mul(ld4(v + o, lanes), b2v), f32x4.mul(f32x4.mul(gv, gv), b2c));
    st4(m + o, mv, lanes);
    st4(v + o, vv, lanes);
    st4(w + o, f32x4.sub(ld4(w + o, lanes), f32x4.div(f32x4.mul(mv, rv), f32x4.add(f32x4.sqrt(vv), ev))), lanes);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Regularised training (dropout masks, locked dropout, embedding dropout, clipping, weight decay).
export { dropoutMask, lockedMul, rowScale, sumSquares, scaleAdd, scaleBy, rowDots } from './regularise';
