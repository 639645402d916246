import { sizeOf, weightSpecs, type WeightSpec } from '../format.js';
import type { ModelConfig } from '../types.js';

/**
 * Where each weight lives inside one contiguous array laid out in the canonical `weightSpecs` order. The same
 * layout serves the parameters, the gradients and every optimiser slot array, so each accessor takes the base
 * pointer of the array it addresses.
 */
export class ParamLayout {
  readonly specs: WeightSpec[];
  readonly offsets: number[] = [];
  /** Floats in the whole array. */
  readonly total: number;

  constructor(readonly config: ModelConfig) {
    this.specs = weightSpecs(config);
    let total = 0;
    for (const s of this.specs) {
      this.offsets.push(total);
      total += sizeOf(s.shape);
    }
    this.total = total;
  }

  /** Byte offset of weight `k` in the array starting at `base`. */
  ptr(k: number, base: number): number {
    return base + (this.offsets[k] as number) * 4;
  }
  emb(base: number): number {
    return this.ptr(0, base);
  }
  kernel(l: number, base: number): number {
    return this.ptr(1 + 3 * l, base);
  }
  recurrent(l: number, base: number): number {
    return this.ptr(2 + 3 * l, base);
  }
  bias(l: number, base: number): number {
    return this.ptr(3 + 3 * l, base);
  }
  /** The [hidden × vocab] output kernel; a tied model has none (it uses the embedding transposed). */
  outKernel(base: number): number {
    if (this.config.tied) throw new Error('internal: a tied model has no output kernel');
    return this.ptr(1 + 3 * this.config.layers, base);
  }
  outBias(base: number): number {
    return this.ptr(this.specs.length - 1, base);
  }
}
