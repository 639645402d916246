import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildVocabulary, encodePosts } from '../../src/text/tokenize.js';
import { buildWindows } from '../../src/dataset/windows.js';
import type { Vocabulary, WindowSet } from '../../src/types.js';
import { INITIALIZER } from '../../src/model/init.js';
import type { ModelConfig } from '../../src/model/types.js';

export function tinyConfig(over: Partial<ModelConfig> = {}): ModelConfig {
  return {
    variant: 1,
    layers: 2,
    hidden: 8,
    embedding: 6,
    dropout: 0,
    vocabSize: 12,
    seqLength: 4,
    initializer: INITIALIZER,
    seed: 7,
    ...over,
  };
}

/** Windows of `count` rows with ids drawn by a simple LCG (no Math.random). */
export function randomWindows(count: number, seqLength: number, vocabSize: number, seed = 1): WindowSet {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % vocabSize;
  };
  const inputs = new Int32Array(count * seqLength).map(() => next());
  const targets = new Int32Array(count * seqLength).map(() => next());
  return { inputs, targets, count, seqLength, variant: 2, excludedPosts: 0 };
}

/** A toy corpus of fixed phrases: the next word is fully determined by the previous one. */
export const TOY_POSTS = [
  'the gas flows north to the port',
  'the port ships gas to the city',
  'the city burns gas in winter',
  'in winter the gas flows south',
];

export function toyData(seqLength: number, variant: 1 | 2 = 2): { vocab: Vocabulary; windows: WindowSet; tokenized: string[][] } {
  const tokenized = TOY_POSTS.map((p) => p.split(' '));
  const vocab = buildVocabulary(tokenized);
  const windows = buildWindows(encodePosts(tokenized, vocab), seqLength, variant);
  return { vocab, windows, tokenized };
}

export async function tempDir(label: string): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), `tweetlab-${label}-`));
}
