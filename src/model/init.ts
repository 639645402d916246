import { Random } from '../random.js';
import { weightSpecs } from './format.js';
import type { ModelConfig, NamedWeight } from './types.js';

/**
 * Keras' default initialisers, computed in plain JS from the seeded `Random` (tfjs' orthogonal initialiser runs
 * a tensor QR that takes minutes at the report's sizes; Gram–Schmidt over Float64 rows takes milliseconds).
 */
export const INITIALIZER =
  'keras-defaults: embedding uniform(-0.05,0.05); kernels glorotUniform; recurrent orthogonal (Gram-Schmidt); ' +
  'LSTM bias zeros with forget gate 1; output bias zeros';

/**
 * Fresh weights for `cfg`, fully determined by `cfg.seed`; canonical order of `weightSpecs(cfg)`. Every weight
 * draws from its own fork of the seed (by name), so variant 3 gets the same initialisers; a tied model has no
 * output kernel to draw (its embedding serves as both).
 */
export function initialWeights(cfg: ModelConfig): NamedWeight[] {
  const root = new Random(cfg.seed);
  return weightSpecs(cfg).map((spec) => {
    const rng = root.fork(spec.name);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (spec.name === 'embedding/embeddings') {
      for (let i = 0; i < n; i++) values[i] = (rng.next() * 2 - 1) * 0.05;
    } else if (spec.name.endsWith('/recurrent_kernel')) {
      values.set(orthogonal(spec.shape[0] as number, spec.shape[1] as number, rng));
    } else if (spec.name.endsWith('/kernel')) {
      const [fanIn, fanOut] = spec.shape as [number, number];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < n; i++) values[i] = (rng.next() * 2 - 1) * limit;
    } else if (spec.name.startsWith('lstm_') && spec.name.endsWith('/bias')) {
      const hidden = n / 4;
      for (let i = hidden; i < 2 * hidden; i++) values[i] = 1; // unit_forget_bias
    }
    return { name: spec.name, shape: [...spec.shape], values };
  });
}

/**
 * A rows × cols matrix with orthonormal rows (rows ≤ cols) or columns (rows > cols), as Keras' Orthogonal:
 * QR of a normal matrix with the signs fixed so R's diagonal is positive — which is what Gram–Schmidt yields.
 */
export function orthogonal(rows: number, cols: number, rng: Random): Float32Array {
  const transpose = rows > cols;
  const r = transpose ? cols : rows; // vectors to orthonormalise
  const c = transpose ? rows : cols; // their length
  const m = new Float64Array(r * c);
  for (let i = 0; i < m.length; i++) m[i] = rng.normal();
  for (let i = 0; i < r; i++) {
    // Modified Gram–Schmidt, twice for numerical safety.
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < c; k++) dot += (m[i * c + k] as number) * (m[j * c + k] as number);
        for (let k = 0; k < c; k++) m[i * c + k] = (m[i * c + k] as number) - dot * (m[j * c + k] as number);
      }
    }
    let norm = 0;
    for (let k = 0; k < c; k++) norm += (m[i * c + k] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < c; k++) m[i * c + k] = (m[i * c + k] as number) / norm;
  }
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < r; i++) {
    for (let k = 0; k < c; k++) {
      if (transpose) out[k * cols + i] = m[i * c + k] as number;
      else out[i * cols + k] = m[i * c + k] as number;
    }
  }
  return out;
}
