import { TweetlabError } from '../../errors.js';
import type { Random } from '../../random.js';
import type { ModelConfig } from '../types.js';
import type { BatchBuffers } from './buffers.js';
import type { ParamLayout } from './layout.js';
import type { Parallel } from './parallel.js';

/** Dropout rates of a config, by where they act (0 = off). */
export interface DropoutRates {
  /** Variants 1–2: elementwise dropout after every LSTM. */
  legacy: number;
  embedding: number;
  input: number;
  /** Per layer: locked dropout on that layer's output (variant 3: `dropout` between layers, `outputDropout` on top). */
  locked: number[];
  recurrent: number;
}

function rate(cfg: ModelConfig, field: 'dropout' | 'embeddingDropout' | 'inputDropout' | 'outputDropout' | 'recurrentDropout'): number {
  const p = cfg[field] ?? 0;
  if (!(typeof p === 'number' && p >= 0 && p < 1)) throw new TweetlabError(`Model config field ${field} must be in [0, 1), got ${String(p)}`);
  return p;
}

export function dropoutRates(cfg: ModelConfig): DropoutRates {
  const dropout = rate(cfg, 'dropout');
  const between = cfg.variant === 3 ? dropout : 0;
  // Variants 1–2 with dropout already drop the top output elementwise, so outputDropout adds nothing there.
  const output = cfg.variant !== 3 && dropout > 0 ? 0 : rate(cfg, 'outputDropout');
  return {
    legacy: cfg.variant === 3 ? 0 : dropout,
    embedding: rate(cfg, 'embeddingDropout'),
    input: rate(cfg, 'inputDropout'),
    locked: Array.from({ length: cfg.layers }, (_, l) => (l === cfg.layers - 1 ? output : between)),
    recurrent: rate(cfg, 'recurrentDropout'),
  };
}

/** True when training this config draws any dropout mask. */
export function hasDropout(r: DropoutRates): boolean {
  return r.legacy > 0 || r.embedding > 0 || r.input > 0 || r.recurrent > 0 || r.locked.some((p) => p > 0);
}

/**
 * Draws the batch's variant-3 masks from `rng` (one seed per mask, in a fixed order: embedding, input, the
 * layers' locked masks bottom-up, the recurrent kernels bottom-up); the masks themselves come from a counter hash
 * of that seed, split between threads. DropConnect also writes W ⊙ M / (1 − p) into `recEff`.
 */
export function drawMasks(par: Parallel, layout: ParamLayout, params: number, b: BatchBuffers, rates: DropoutRates,
  B: number, rng: Random): void {
  const { hidden: H, embedding: E, vocabSize: V, layers } = layout.config;
  const seed = (): number => rng.int(2 ** 32) >>> 0;
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

/** The masks of the last batch (values 0 or 1/(1 − p)), for tests that rebuild the forward pass elsewhere. */
export interface DropoutMasks {
  /** [vocab]: the scale of each word's embedding row. */
  embedding: Float32Array | null;
  /** [batch × embedding]: one row per window, the same at every step. */
  input: Float32Array | null;
  /** Per layer, [batch × hidden] locked mask on its output (variant 3), or null. */
  locked: (Float32Array | null)[];
  /** Per layer, [hidden × 4·hidden] DropConnect mask of the recurrent kernel, or null. */
  recurrent: (Float32Array | null)[];
}

export function readMasks(f32: Float32Array, layout: ParamLayout, b: BatchBuffers): DropoutMasks {
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
