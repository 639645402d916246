/**
 * One LSTM step in the browser on tweetlab's own WebAssembly kernels (asm/kernels.ts), calling them in the
 * same order with the same arguments as the fast-wasm engine's `step()` (src/model/fast/model.ts): the
 * probabilities are bit for bit those of `tweetlab generate` on fast-wasm, so equal seeds draw equal words.
 * The page ships the kernels with an unshared memory import (see src/page/kernels.ts), so no cross-origin
 * isolation is needed.
 */

interface Kernels {
  gemv(x: number, K: number, W: number, ldw: number, N: number, bias: number, y: number, accumulate: number): void;
  lstmForwardStep(G: number, cPrev: number, cOut: number, hOut: number, rows: number, H: number): void;
  softmaxXent(Z: number, ldz: number, rows: number, V: number, targets: number, scale: number, withTargets: number): number;
  rowDots(W: number, ldw: number, rows: number, x: number, dim: number, bias: number, out: number): void;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number }) => { buffer: ArrayBuffer };
}

export interface StepConfig {
  layers: number;
  hidden: number;
  embedding: number;
  vocabSize: number;
  /** Tied output (variant 3): logits are the embedding rows dotted with h, as the fast engine computes them. */
  tied?: boolean;
}

export interface StepState {
  h: Float32Array[];
  c: Float32Array[];
}

const PAGE = 65536;
/** Allocations start above the module's static data, as in the Node runtime. */
const HEAP_START = 1 << 20;
/** The kernels module declares 16 initial pages. */
const MIN_PAGES = 16;

export class WasmStepper {
  private readonly k: Kernels;
  private readonly f32: Float32Array;
  /** Byte offsets of the weights (canonical order) and of the scratch buffers. */
  private readonly w: number[] = [];
  private readonly x: number;
  private readonly z: number;
  private readonly h: number[] = [];
  private readonly c: number[] = [];
  private readonly cOut: number;
  private readonly logits: number;

  constructor(
    readonly config: StepConfig,
    kernelBytes: Uint8Array,
    weights: readonly Float32Array[],
  ) {
    const { layers, hidden: H, embedding: E, vocabSize: V } = config;
    const floats = weights.reduce((n, w) => n + w.length, 0) + Math.max(E, H) + 4 * H + 2 * layers * H + H + V;
    // Every buffer starts on a 16-byte boundary (at most 4 extra floats each).
    const bytes = HEAP_START + 4 * (floats + 4 * (weights.length + 2 * layers + 8));
    const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
    const memory = new Wasm.Memory({ initial: Math.max(MIN_PAGES, Math.ceil(bytes / PAGE)), maximum: 65536 });
    const instance = new Wasm.Instance(new Wasm.Module(kernelBytes), { env: { memory } });
    this.k = instance.exports as unknown as Kernels;
    this.f32 = new Float32Array(memory.buffer);
    let next = HEAP_START;
    const alloc = (n: number) => {
      const at = next;
      next += Math.ceil(n / 4) * 16;
      return at;
    };
    for (const values of weights) {
      const at = alloc(values.length);
      this.f32.set(values, at >> 2);
      this.w.push(at);
    }
    this.x = alloc(Math.max(E, H));
    this.z = alloc(4 * H);
    for (let l = 0; l < layers; l++) {
      this.h.push(alloc(H));
      this.c.push(alloc(H));
    }
    this.cOut = alloc(H);
    this.logits = alloc(V);
  }

  startState(): StepState {
    const { layers, hidden } = this.config;
    return {
      h: Array.from({ length: layers }, () => new Float32Array(hidden)),
      c: Array.from({ length: layers }, () => new Float32Array(hidden)),
    };
  }

  /** Feeds one token, updates `state` in place, returns the next-word probabilities. */
  step(state: StepState, token: number): Float32Array {
    const { layers, hidden: H, embedding: E, vocabSize: V } = this.config;
    if (!Number.isInteger(token) || token < 0 || token >= V) throw new RangeError(`step: token id ${token} is outside the vocabulary`);
    const f32 = this.f32;
    const k = this.k;
    for (let l = 0; l < layers; l++) {
      f32.set(state.h[l] as Float32Array, (this.h[l] as number) >> 2);
      f32.set(state.c[l] as Float32Array, (this.c[l] as number) >> 2);
    }
    let x = (this.w[0] as number) + token * E * 4;
    let D = E;
    for (let l = 0; l < layers; l++) {
      const h = this.h[l] as number;
      const c = this.c[l] as number;
      k.gemv(x, D, this.w[1 + 3 * l] as number, 4 * H, 4 * H, this.w[3 + 3 * l] as number, this.z, 0);
      k.gemv(h, H, this.w[2 + 3 * l] as number, 4 * H, 4 * H, 0, this.z, 1);
      k.lstmForwardStep(this.z, c, this.cOut, h, 1, H);
      f32.copyWithin(c >> 2, this.cOut >> 2, (this.cOut >> 2) + H);
      x = h;
      D = H;
    }
    // The same kernel and order as the fast engine's step, so the page draws the CLI's words bit for bit.
    if (this.config.tied) k.rowDots(this.w[0] as number, H, V, x, H, this.w[1 + 3 * layers] as number, this.logits);
    else k.gemv(x, H, this.w[1 + 3 * layers] as number, V, V, this.w[2 + 3 * layers] as number, this.logits, 0);
    k.softmaxXent(this.logits, V, 1, V, 0, 0, 0);
    for (let l = 0; l < layers; l++) {
      const h = (this.h[l] as number) >> 2;
      const c = (this.c[l] as number) >> 2;
      (state.h[l] as Float32Array).set(f32.subarray(h, h + H));
      (state.c[l] as Float32Array).set(f32.subarray(c, c + H));
    }
    return f32.slice(this.logits >> 2, (this.logits >> 2) + V);
  }
}
