/** The tiny training corpus and model sizes shared by the model, fault and security tests. */
import { Random } from '../../src/random.js';

/** A small learnable corpus: 60 posts of 5–10 words from a 20-word vocabulary. */
export function tinyCorpusCsv(seed = 7005): string {
  const rng = new Random(seed);
  const words = 'the cat sat on a mat and the dog ran to the park with a red ball while birds sang songs'.split(' ');
  let s = 'id,text\n';
  for (let i = 0; i < 60; i++) {
    const n = 5 + rng.int(6);
    s += `${i + 1},${Array.from({ length: n }, () => rng.pick(words)).join(' ')}\n`;
  }
  return s;
}

export const TINY_TRAIN_FLAGS = ['--preset', 'quick', '--hidden', '16', '--embedding', '8', '--layers', '1', '--seq-length', '3', '--batch-size', '16'];

