/**
 * Rules every engine (tfjs and fast-wasm) applies the same way: which optimiser slots a parameter has, when
 * accumulated optimiser state carries over to new settings, how gradients are clipped, and what a window set
 * must hold for a model.
 */
import { TweetlabError } from '../errors.js';
import type { WindowSet } from '../types.js';
import type { ModelConfig, OptimizerSettings } from './types.js';

/** Slot names of one parameter, as saved in optimizer.bin: rmsprop [rms]; adam and adamw [m, v]. */
export function optimizerSlotNames(kind: OptimizerSettings['kind']): string[] {
  return kind === 'rmsprop' ? ['rms'] : ['m', 'v'];
}

/** True when the accumulated state carries over to `next`: the same kind (a new learning rate keeps it). */
export function keepsOptimizerState(current: OptimizerSettings, next: OptimizerSettings): boolean {
  return current.kind === next.kind;
}

/** Clip factor of PyTorch's clip_grad_norm_: clipNorm / (norm + 1e-6) when that is below 1, else 1. */
export function clipFactor(norm: number, clipNorm: number): number {
  const f = clipNorm / (norm + 1e-6);
  return f < 1 ? f : 1;
}

/** Every id must be a word of the vocabulary (0..vocabSize − 1). */
export function checkIdRange(ids: Int32Array, vocabSize: number, what: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (id < 0 || id >= vocabSize) throw new TweetlabError(`${what}: id ${id} at position ${i} is outside the vocabulary (0..${vocabSize - 1})`);
  }
}

/**
 * Windows must have the model's window length, hold `count` windows (arrays may be longer, e.g. views of a
 * larger buffer: only the first count × seqLength ids are windows) and only ids of the model's vocabulary.
 */
export function checkWindowSet(data: WindowSet, cfg: ModelConfig): void {
  if (data.seqLength !== cfg.seqLength) {
    throw new TweetlabError(`The windows have seqLength ${data.seqLength}, the model was built for ${cfg.seqLength}`);
  }
  const n = data.count * cfg.seqLength;
  if (data.inputs.length < n || data.targets.length < n) {
    throw new TweetlabError(`The window set is shorter than its count of ${data.count} windows`);
  }
  checkIdRange(data.inputs.subarray(0, n), cfg.vocabSize, 'Window inputs');
  checkIdRange(data.targets.subarray(0, n), cfg.vocabSize, 'Window targets');
}
