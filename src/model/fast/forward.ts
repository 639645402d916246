import type { Random } from '../../random.js';
import type { BatchBuffers } from './buffers.js';
import { drawMasks } from './dropout.js';
import type { Net } from './net.js';

/**
 * Forward pass of the B windows already in `b`; leaves logits in b.logits. rng = null: inference, no dropout.
 * With rng the batch's masks are drawn first (variant 3) or per layer (variants 1–2, as they always were).
 */
export function forward(net: Net, b: BatchBuffers, B: number, rng: Random | null): void {
  const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T } = net.cfg;
  const { par, layout, params, rates } = net;
  const n = B * T;
  b.count = B;
  b.masked = rng !== null;
  if (rng) drawMasks(par, layout, params, b, rates, B, rng);
  embedInputs(net, b, B);
  let input = b.x0;
  let D = E;
  for (let l = 0; l < layers; l++) {
    layerForward(net, b, l, input, D, B);
    input = layerOutput(net, b, l, B, rng);
    D = H;
  }
  net.rt.k.fillRows(b.logits, V, n, V, layout.outBias(params));
  if (net.cfg.tied) par.gemm(0, 1, n, V, H, input, H, layout.emb(params), E, b.logits, V, 1);
  else par.gemm(0, 0, n, V, H, input, H, layout.outKernel(params), V, b.logits, V, 1);
}

/** x0 = embedding rows of the ids, times the word's embedding-dropout scale and the window's locked input mask. */
function embedInputs(net: Net, b: BatchBuffers, B: number): void {
  const { embedding: E, seqLength: T } = net.cfg;
  const n = B * T;
  const k = net.rt.k;
  k.gatherRows(net.layout.emb(net.params), E, b.ids, n, b.x0);
  if (b.masked && b.embMask) k.rowScale(b.x0, E, b.ids, n, b.embMask);
  if (b.masked && b.inputMask) net.par.lockedMul(b.x0, b.inputMask, b.x0, n, E, B);
}

/** The recurrent kernel this batch uses: DropConnect's masked copy while masked, else the weights. */
export function recurrentOf(net: Net, b: BatchBuffers, l: number): number {
  return b.masked && b.recEff[l] ? (b.recEff[l] as number) : net.layout.recurrent(l, net.params);
}

function layerForward(net: Net, b: BatchBuffers, l: number, input: number, D: number, B: number): void {
  const { hidden: H, seqLength: T } = net.cfg;
  const { par, layout, params } = net;
  const n = B * T;
  const G = b.gates[l] as number;
  const Cs = b.cells[l] as number;
  const Hs = b.outs[l] as number;
  const rec = recurrentOf(net, b, l);
  net.rt.k.fillRows(G, 4 * H, n, 4 * H, layout.bias(l, params));
  par.gemm(0, 0, n, 4 * H, D, input, D, layout.kernel(l, params), 4 * H, G, 4 * H, 1);
  const step = B * H * 4;
  for (let t = 0; t < T; t++) {
    const Gt = G + t * 4 * step;
    if (t > 0) par.gemm(0, 0, B, 4 * H, H, Hs + (t - 1) * step, H, rec, 4 * H, Gt, 4 * H, 1);
    par.cellForward(Gt, t > 0 ? Cs + (t - 1) * step : 0, Cs + t * step, Hs + t * step, B, H);
  }
}

/** Applies the layer's output dropout (elementwise for variants 1–2, locked for variant 3); returns what feeds on. */
function layerOutput(net: Net, b: BatchBuffers, l: number, B: number, rng: Random | null): number {
  const { hidden: H, seqLength: T } = net.cfg;
  const n = B * T;
  const Hs = b.outs[l] as number;
  if (!rng) return Hs;
  const out = b.dropped[l] as number;
  if (net.rates.legacy > 0) {
    // Masks come from a hash of a seed drawn from the batch's Random, so they are seeded and reproducible.
    net.par.dropout(Hs, b.masks[l] as number, out, n * H, rng.int(2 ** 32) >>> 0, 1 - net.rates.legacy);
    return out;
  }
  if (b.locked[l]) {
    net.par.lockedMul(Hs, b.locked[l] as number, out, n, H, B);
    return out;
  }
  return Hs;
}

/** What layer l fed onward in the last forward (its dropped-out output while masked). */
export function fedOutput(net: Net, b: BatchBuffers, l: number): number {
  return b.masked && (net.rates.legacy > 0 || b.locked[l]) ? (b.dropped[l] as number) : (b.outs[l] as number);
}
