import { TweetlabError } from '../errors.js';
import type { Random } from '../random.js';
import type { ModelConfig } from './types.js';

/**
 * Dropout rates and masks, engine-neutral. Masks are a counter hash of (seed, element index), so the fast-wasm
 * kernels (asm/regularise.ts `dropoutMask`, asm/kernels.ts `dropout`) and `hashMask` here draw the same bits, and
 * a batch's seeds come from the batch's `Random` in one fixed order: every engine trains on identical masks.
 */

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

type RateField = 'dropout' | 'embeddingDropout' | 'inputDropout' | 'outputDropout' | 'recurrentDropout';

function rate(cfg: ModelConfig, field: RateField): number {
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

/** The masks of one batch (values 0 or 1/(1 − p)). */
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

/** One seed per mask from the batch's Random (as the fast engine draws them). */
export function maskSeed(rng: Random): number {
  return rng.int(2 ** 32) >>> 0;
}

/** n mask values: 1/(1 − p) where the hash of (seed, i) falls below keep = 1 − p, else 0 (float32, as the kernels). */
export function hashMask(n: number, seed: number, p: number): Float32Array {
  const keep = Math.fround(1 - p);
  const scale = Math.fround(1 / (1 - p));
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let x = (seed ^ Math.imul(i, 0x9e3779b9)) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    x = Math.imul(x, 0x7feb352d) >>> 0;
    x = (x ^ (x >>> 15)) >>> 0;
    x = Math.imul(x, 0x846ca68b) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    out[i] = (x >>> 8) / 16777216 < keep ? scale : 0;
  }
  return out;
}

/** The variant-3 masks of a batch of `batch` windows, in the fast engine's draw order (see `drawMasks`). */
export function drawMasksJs(cfg: ModelConfig, batch: number, rng: Random): DropoutMasks {
  const rates = dropoutRates(cfg);
  const { hidden: H, embedding: E, vocabSize: V } = cfg;
  const draw = (n: number, p: number): Float32Array | null => (p > 0 ? hashMask(n, maskSeed(rng), p) : null);
  const embedding = draw(V, rates.embedding);
  const input = draw(batch * E, rates.input);
  const locked = rates.locked.map((p) => draw(batch * H, p));
  const recurrent = rates.locked.map(() => draw(H * 4 * H, rates.recurrent));
  return { embedding, input, locked, recurrent };
}
