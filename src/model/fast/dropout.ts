import type { Random } from '../../random.js';
import { maskSeed, type DropoutMasks, type DropoutRates } from '../masks.js';
import type { ParamLayout } from './layout.js';
import type { Parallel } from './parallel.js';

export { dropoutRates, hasDropout, type DropoutMasks, type DropoutRates } from '../masks.js';

/**
 * The mask fields of a batch's buffers: what `BatchBuffers` (buffers.ts) holds for dropout, named here so this
 * file need not import buffers.ts, which imports it.
 */
export interface MaskBuffers {
  embMask: number;
  inputMask: number;
  locked: number[];
  recMask: number[];
  recEff: number[];
  masked: boolean;
  count: number;
}

/**
 * Draws the batch's variant-3 masks from `rng` (one seed per mask, in a fixed order: embedding, input, the
 * layers' locked masks bottom-up, the recurrent kernels bottom-up); the masks themselves come from a counter hash
 * of that seed, split between threads. DropConnect also writes W ⊙ M / (1 − p) into `recEff`.
 */
export function drawMasks(par: Parallel, layout: ParamLayout, params: number, b: MaskBuffers, rates: DropoutRates,
  B: number, rng: Random): void {
  const { hidden: H, embedding: E, vocabSize: V, layers } = layout.config;
  const seed = (): number => maskSeed(rng);
  if (rates.embedding > 0) par.dropoutMask(b.embMask, V, seed(), 1 - rates.embedding);
  if (rates.input > 0) par.dropoutMask(b.inputMask, B * E, seed(), 1 - rates.input);
  for (let l = 0; l < layers; l++) {
    const p = rates.locked[l] as number;
    if (p > 0) par.dropoutMask(b.locked[l] as number, B * H, seed(), 1 - p);
  }
  if (rates.recurrent > 0) {
    for (let l = 0; l < layers; l++) {
      par.dropout(layout.recurrent(l, params), b.recMask[l] as number, b.recEff[l] as number, H * 4 * H, seed(), 1 - rates.recurrent);
    }
  }
}

/** The masks of the last batch, for tests that rebuild the forward pass elsewhere. */
export function readMasks(f32: Float32Array, layout: ParamLayout, b: MaskBuffers): DropoutMasks {
  const { hidden: H, embedding: E, vocabSize: V } = layout.config;
  const B = b.count;
  const copy = (p: number, n: number): Float32Array | null => (b.masked && p ? f32.slice(p >> 2, (p >> 2) + n) : null);
  return {
    embedding: copy(b.embMask, V),
    input: copy(b.inputMask, B * E),
    locked: b.locked.map((p) => copy(p, B * H)),
    recurrent: b.recMask.map((p) => copy(p, H * 4 * H)),
  };
}
