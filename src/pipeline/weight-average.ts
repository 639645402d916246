/**
 * An exponential moving average of a model's weights, updated after every batch. The averaged weights sit in a
 * flatter part of the loss surface than the last step's, which is what AWD-LSTM's averaged SGD exploits: on a
 * small corpus they score better on unseen posts for the same training time.
 */
import type { LanguageModel, NamedWeight, WeightTracker } from '../model/types.js';

/** The per-update decay of an average spanning `epochs` epochs of `batchesPerEpoch` updates. */
export function averageDecay(epochs: number, batchesPerEpoch: number): number {
  return 1 - 1 / Math.max(2, epochs * batchesPerEpoch);
}

/** The engine's own average when it keeps one (fast-wasm), else this module's, fed from `getWeights()`. */
export function trackWeightAverage(model: LanguageModel, decay: number): WeightTracker {
  if (!(decay > 0 && decay < 1)) throw new RangeError(`weight average: decay must be in (0, 1), got ${decay}`);
  if (model.trackWeightAverage) return model.trackWeightAverage(decay);
  const average = new WeightAverage(decay);
  return { update: () => average.update(model.getWeights()), weights: () => average.weights() };
}

/** The average in JavaScript arrays, for engines without their own. */
export class WeightAverage {
  private sums: Float32Array[] | null = null;
  private template: NamedWeight[] = [];
  /** Total weight given so far (for the bias correction, as in Adam: early averages are not pulled to zero). */
  private mass = 0;

  /** `decay` per update, in (0, 1): the average spans about 1 / (1 − decay) updates. */
  constructor(private readonly decay: number) {
    if (!(decay > 0 && decay < 1)) throw new RangeError(`weight average: decay must be in (0, 1), got ${decay}`);
  }

  /** The average spanning `epochs` epochs of `batchesPerEpoch` updates. */
  static forEpochs(epochs: number, batchesPerEpoch: number): WeightAverage {
    return new WeightAverage(averageDecay(epochs, batchesPerEpoch));
  }

  update(weights: readonly NamedWeight[]): void {
    const d = this.decay;
    if (this.sums === null) {
      this.template = weights.map((w) => ({ name: w.name, shape: [...w.shape], values: new Float32Array(0) }));
      this.sums = weights.map((w) => new Float32Array(w.values.length));
    }
    weights.forEach((w, k) => {
      const sum = this.sums?.[k] as Float32Array;
      const v = w.values;
      for (let i = 0; i < v.length; i++) sum[i] = d * (sum[i] as number) + (1 - d) * (v[i] as number);
    });
    this.mass = d * this.mass + (1 - d);
  }

  /** The averaged weights (null before the first update). */
  weights(): NamedWeight[] | null {
    if (this.sums === null) return null;
    const scale = 1 / this.mass;
    return this.sums.map((sum, k) => ({ ...(this.template[k] as NamedWeight), values: sum.map((x) => x * scale) }));
  }
}
