import type { ModelConfig } from '../types.js';
import { dropoutRates } from './dropout.js';
import type { Runtime } from './runtime.js';

/** Buffers of one training/inference batch shape (capacity `rows` windows), all byte offsets in wasm memory. */
export interface BatchBuffers {
  rows: number;
  ids: number;
  targets: number;
  x0: number;
  /** Per layer: gates (then their gradients), cell states, outputs, output grads. */
  gates: number[];
  cells: number[];
  outs: number[];
  dOuts: number[];
  /** Per layer: the dropped-out output fed onward (0 when that layer's output is never dropped). */
  dropped: number[];
  /** Per layer: variants 1–2 elementwise dropout mask [rows·T × H] (0 = none). */
  masks: number[];
  /** Per layer: locked mask [rows × H] on the output (between layers, or outputDropout on the top one). */
  locked: number[];
  /** Locked mask [rows × E] on the embedding output (inputDropout), or 0. */
  inputMask: number;
  /** Per-word scale [vocab] of embedding dropout, or 0. */
  embMask: number;
  /** Per layer: DropConnect mask and the masked recurrent kernel actually used [H × 4H], or 0. */
  recMask: number[];
  recEff: number[];
  dCell: number;
  dX0: number;
  logits: number;
  /** True when the last forward drew and applied dropout masks (the backward then applies the same). */
  masked: boolean;
  /** Windows in the last forward. */
  count: number;
}

export function allocateBatch(rt: Runtime, cfg: ModelConfig, rows: number): BatchBuffers {
  const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T } = cfg;
  const rates = dropoutRates(cfg);
  const n = rows * T;
  const a = (count: number): number => rt.allocF32(count);
  const b: BatchBuffers = {
    rows, ids: a(n), targets: a(n), x0: a(n * E),
    gates: [], cells: [], outs: [], dOuts: [], dropped: [], masks: [], locked: [], recMask: [], recEff: [],
    inputMask: rates.input > 0 ? a(rows * E) : 0,
    embMask: rates.embedding > 0 ? a(V) : 0,
    dCell: a(rows * H), dX0: a(n * E), logits: a(n * V), masked: false, count: 0,
  };
  for (let l = 0; l < layers; l++) {
    const lockedRate = rates.locked[l] as number;
    b.gates.push(a(n * 4 * H));
    b.cells.push(a(n * H));
    b.outs.push(a(n * H));
    b.dOuts.push(a(n * H));
    b.masks.push(rates.legacy > 0 ? a(n * H) : 0);
    b.locked.push(lockedRate > 0 ? a(rows * H) : 0);
    b.dropped.push(rates.legacy > 0 || lockedRate > 0 ? a(n * H) : 0);
    b.recMask.push(rates.recurrent > 0 ? a(H * 4 * H) : 0);
    b.recEff.push(rates.recurrent > 0 ? a(H * 4 * H) : 0);
  }
  return b;
}

/** Copies windows `rows` of (inputs, targets) into the batch buffers, time-major (row = t·batch + b). */
export function loadBatch(rt: Runtime, T: number, b: BatchBuffers, inputs: Int32Array, targets: Int32Array | null,
  rows: readonly number[]): void {
  const B = rows.length;
  const i32 = rt.i32;
  const ids = b.ids >> 2;
  const tg = b.targets >> 2;
  for (let r = 0; r < B; r++) {
    const w = (rows[r] as number) * T;
    for (let t = 0; t < T; t++) {
      i32[ids + t * B + r] = inputs[w + t] as number;
      if (targets) i32[tg + t * B + r] = targets[w + t] as number;
    }
  }
}
