import type { BatchBuffers } from './buffers.js';
import { fedOutput, recurrentOf } from './forward.js';
import type { Net } from './net.js';

/** Loss of the batch and every gradient into `net.grads` (after `forward` on the same batch and masks). */
export function backward(net: Net, b: BatchBuffers, B: number): number {
  const { layers, hidden: H, embedding: E, vocabSize: V, seqLength: T } = net.cfg;
  const { par, layout, params, grads } = net;
  const n = B * T;
  const loss = par.softmaxXent(b.logits, V, n, b.targets, 1 / n, true) / n;
  const top = fedOutput(net, b, layers - 1);
  if (net.cfg.tied) {
    // The output side of the tied embedding: dE = dLogitsᵀ·h; the input side is scatter-added below.
    par.gemm(1, 0, V, H, n, b.logits, V, top, H, layout.emb(grads), E, 0);
    par.colSum(b.logits, V, n, V, layout.outBias(grads));
    par.gemm(0, 0, n, H, V, b.logits, V, layout.emb(params), E, b.dOuts[layers - 1] as number, H, 0);
  } else {
    par.gemm(1, 0, H, V, n, top, H, b.logits, V, layout.outKernel(grads), V, 0);
    par.colSum(b.logits, V, n, V, layout.outBias(grads));
    par.gemm(0, 1, n, H, V, b.logits, V, layout.outKernel(params), V, b.dOuts[layers - 1] as number, H, 0);
    net.rt.k.zero(layout.emb(grads), V * E);
  }
  for (let l = layers - 1; l >= 0; l--) layerBackward(net, b, l, B);
  if (b.masked && b.inputMask) par.lockedMul(b.dX0, b.inputMask, b.dX0, n, E, B);
  if (b.masked && b.embMask) net.rt.k.rowScale(b.dX0, E, b.ids, n, b.embMask);
  net.rt.k.scatterAddRows(layout.emb(grads), E, b.ids, n, b.dX0);
  return loss;
}

function layerBackward(net: Net, b: BatchBuffers, l: number, B: number): void {
  const { hidden: H, embedding: E, seqLength: T } = net.cfg;
  const { par, layout, params, grads } = net;
  const n = B * T;
  const G = b.gates[l] as number;
  const Cs = b.cells[l] as number;
  const Hs = b.outs[l] as number;
  const dHs = b.dOuts[l] as number;
  if (b.masked && net.rates.legacy > 0) par.mul(dHs, b.masks[l] as number, dHs, n * H);
  else if (b.masked && b.locked[l]) par.lockedMul(dHs, b.locked[l] as number, dHs, n, H, B);
  const rec = recurrentOf(net, b, l);
  const step = B * H * 4;
  for (let t = T - 1; t >= 0; t--) {
    const Gt = G + t * 4 * step;
    par.cellBackward(Gt, Cs + t * step, t > 0 ? Cs + (t - 1) * step : 0, dHs + t * step, b.dCell, t < T - 1, B, H);
    if (t > 0) par.gemm(0, 1, B, H, 4 * H, Gt, 4 * H, rec, 4 * H, dHs + (t - 1) * step, H, 1);
  }
  // Recurrent kernel: Σ_t h_{t−1}ᵀ·dZ_t, one matmul over steps 1..T−1 (h_{−1} = 0); DropConnect masks it.
  const dRec = layout.recurrent(l, grads);
  par.gemm(1, 0, H, 4 * H, (T - 1) * B, Hs, H, G + 4 * step, 4 * H, dRec, 4 * H, 0);
  if (b.masked && b.recMask[l]) par.mul(dRec, b.recMask[l] as number, dRec, H * 4 * H);
  const input = l === 0 ? b.x0 : fedOutput(net, b, l - 1);
  const D = l === 0 ? E : H;
  par.gemm(1, 0, D, 4 * H, n, input, D, G, 4 * H, layout.kernel(l, grads), 4 * H, 0);
  par.colSum(G, 4 * H, n, 4 * H, layout.bias(l, grads));
  const dInput = l === 0 ? b.dX0 : (b.dOuts[l - 1] as number);
  par.gemm(0, 1, n, D, 4 * H, G, 4 * H, layout.kernel(l, params), 4 * H, dInput, D, 0);
}
