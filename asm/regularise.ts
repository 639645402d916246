// tweetlab fast-wasm kernels for regularised training (AWD-LSTM style): dropout masks drawn from a counter hash,
// locked (per-sequence) masks, per-word row scaling (embedding dropout), the gradient norm for clipping and the
// weight-decay passes. Re-exported by asm/kernels.ts; same rules: raw byte offsets, no allocation, no globals.

@inline function hashUniform(seed: u32, index: u32): f32 {
  let x: u32 = seed ^ (index * 0x9e3779b9);
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  x ^= x >>> 16;
  return <f32>(x >>> 8) * (<f32>1.0 / <f32>16777216.0);
}

/** mask[i] = scale with probability keep, else 0, for elements [first, first + n) (any thread split, same mask). */
export function dropoutMask(mask: usize, n: i32, first: i32, seed: u32, keep: f32, scale: f32): void {
  for (let i = 0; i < n; i++) {
    store<f32>(mask + (<usize>i << 2), hashUniform(seed, <u32>(first + i)) < keep ? scale : 0);
  }
}

/** a[i] ⊙ b[i] → y over `dim` floats (SIMD body, scalar tail). */
@inline function mulSpan(a: usize, b: usize, y: usize, dim: i32): void {
  const d4 = dim & ~3;
  let j = 0;
  for (; j < d4; j += 4) {
    const o = <usize>j << 2;
    v128.store(y + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; j < dim; j++) {
    const o = <usize>j << 2;
    store<f32>(y + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/**
 * Locked dropout over time-major rows: dst[i] = src[i] ⊙ mask[(firstRow + i) mod B] for `rows` rows of `dim`
 * floats (row t·B + b of a batch belongs to sequence b, so every step of a sequence gets the same mask row).
 */
export function lockedMul(src: usize, mask: usize, dst: usize, rows: i32, dim: i32, B: i32, firstRow: i32): void {
  const rb = <usize>dim << 2;
  for (let i = 0; i < rows; i++) {
    const m = mask + <usize>((firstRow + i) % B) * rb;
    mulSpan(src + <usize>i * rb, m, dst + <usize>i * rb, dim);
  }
}

/** X[r] *= scales[ids[r]] for r < n (rows of `dim` floats): embedding dropout on gathered rows and their gradient. */
export function rowScale(X: usize, dim: i32, ids: usize, n: i32, scales: usize): void {
  const rb = <usize>dim << 2;
  const d4 = dim & ~3;
  for (let r = 0; r < n; r++) {
    const s = load<f32>(scales + (<usize>load<i32>(ids + (<usize>r << 2)) << 2));
    if (s == 1) continue;
    const x = X + <usize>r * rb;
    const sv = f32x4.splat(s);
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      v128.store(x + o, f32x4.mul(v128.load(x + o), sv));
    }
    for (; j < dim; j++) {
      const o = <usize>j << 2;
      store<f32>(x + o, load<f32>(x + o) * s);
    }
  }
}

/** Σ p[i]² in float64 (gradient norm for clipping; callers split at fixed points so the sum order never changes). */
export function sumSquares(p: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(v);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
  }
  let total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(p + (<usize>i << 2));
    total += x * x;
  }
  return total;
}

/** g = a·g + b·w over n floats: gradient clipping (a) and L2 weight decay (b) before the optimiser step. */
export function scaleAdd(g: usize, w: usize, n: i32, a: f32, b: f32): void {
  const av = f32x4.splat(a);
  const bv = f32x4.splat(b);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.add(f32x4.mul(v128.load(g + o), av), f32x4.mul(v128.load(w + o), bv)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(g + o, load<f32>(g + o) * a + load<f32>(w + o) * b);
  }
}

/** w *= factor over n floats (AdamW's decoupled decay: factor = 1 − lr·weightDecay). */
export function scaleBy(w: usize, n: i32, factor: f32): void {
  const fv = f32x4.splat(factor);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(w + o, f32x4.mul(v128.load(w + o), fv));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(w + o, load<f32>(w + o) * factor);
  }
}

/** out[r] = (bias ? bias[r] : 0) + W[r, :]·x for r < rows (dim floats per row, stride ldw): tied output logits. */
export function rowDots(W: usize, ldw: i32, rows: i32, x: usize, dim: i32, bias: usize, out: usize): void {
  const d4 = dim & ~3;
  for (let r = 0; r < rows; r++) {
    const w = W + (<usize>(r * ldw) << 2);
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j < d4; j += 4) {
      const o = <usize>j << 2;
      acc = f32x4.add(acc, f32x4.mul(v128.load(w + o), v128.load(x + o)));
    }
    let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < dim; j++) s += load<f32>(w + (<usize>j << 2)) * load<f32>(x + (<usize>j << 2));
    store<f32>(out + (<usize>r << 2), bias ? load<f32>(bias + (<usize>r << 2)) + s : s);
  }
}
