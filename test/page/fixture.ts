import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { postStream } from '../../src/dataset/stream.js';
import { buildWindows } from '../../src/dataset/windows.js';
import { lengthCounts } from '../../src/generate/generate.js';
import { optimizerSettings } from '../../src/model/experiment.js';
import { createFastEngine } from '../../src/model/fast/index.js';
import { INITIALIZER } from '../../src/model/init.js';
import { saveModel } from '../../src/model/io.js';
import { recordEndScale } from '../../src/model/config-file.js';
import type { LanguageModel, ModelConfig } from '../../src/model/types.js';
import { Random } from '../../src/random.js';
import { buildVocabulary, encodePosts } from '../../src/text/tokenize.js';
import type { Vocabulary } from '../../src/types.js';
import { ensureKernelsBuilt } from '../model/fast/kernels-built.js';

/**
 * A small trained model for the page tests: invented posts from a few phrases (so some runs of 6 words repeat
 * and a model learns to copy them), a 2 × 16 LSTM trained a few epochs on the fast engine, saved as tweetlab
 * saves every model.
 */

const SUBJECTS = ['the river', 'our town', 'the old mill', 'a quiet street', 'the night train', 'every farmer'];
const VERBS = ['runs past', 'waits for', 'sings about', 'remembers', 'looks at', 'carries'];
const OBJECTS = ['the green hills', 'a cold morning', 'the harbour lights', 'the long summer', 'our children', 'the last bridge'];

/** Posts of 6–14 words built from the phrases with a seeded draw. */
export function fixturePosts(count = 120, seed = 11): string[][] {
  const rng = new Random(seed);
  const posts: string[][] = [];
  for (let i = 0; i < count; i++) {
    const parts = [rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS)];
    if (rng.next() < 0.5) parts.push('and', rng.pick(SUBJECTS), rng.pick(VERBS), rng.pick(OBJECTS));
    posts.push(parts.join(' ').split(' '));
  }
  return posts;
}

export interface FixtureModel {
  dir: string;
  posts: string[][];
  vocab: Vocabulary;
  config: ModelConfig;
}

export async function trainFixtureModel(
  posts: string[][],
  over: Partial<ModelConfig> = {},
  epochs = 4,
): Promise<{ model: LanguageModel; vocab: Vocabulary }> {
  ensureKernelsBuilt();
  const vocab = buildVocabulary(posts);
  const windows = buildWindows(encodePosts(posts, vocab), 4, 2);
  const config: ModelConfig = {
    variant: 1, layers: 2, hidden: 16, embedding: 8, dropout: 0, vocabSize: vocab.words.length, seqLength: 4,
    initializer: INITIALIZER, seed: 3, ...over,
  };
  const model = createFastEngine({ threads: 1 }).createModel(config);
  for (let e = 0; e < epochs; e++) {
    await model.trainEpoch(windows, { batchSize: 16, optimizer: optimizerSettings('rmsprop', 0.01), seed: 100 + e });
  }
  return { model, vocab };
}

/**
 * A small model of tweetlab's own kind (variant 3, tied, a vocabulary with <eos>) trained 30 epochs on the
 * posts joined as `post <eos> post <eos> …`, so it learns to end posts; saved with a length factor, as
 * the main job saves it.
 */
export async function ownFixtureModel(label: string, endScale: number): Promise<FixtureModel> {
  ensureKernelsBuilt();
  const posts = fixturePosts();
  const vocab = buildVocabulary(posts, { endOfPost: true });
  const stream = postStream(encodePosts(posts, vocab), vocab.eosId as number);
  const windows = buildWindows([stream], 4, 2);
  const config: ModelConfig = {
    variant: 3, layers: 1, hidden: 16, embedding: 16, dropout: 0, vocabSize: vocab.words.length, seqLength: 4,
    initializer: INITIALIZER, seed: 5, tied: true,
  };
  const model = createFastEngine({ threads: 1 }).createModel(config);
  for (let e = 0; e < 30; e++) {
    await model.trainEpoch(windows, { batchSize: 16, optimizer: optimizerSettings('adam', 0.01), seed: 200 + e });
  }
  const dir = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), `tweetlab-page-${label}-`)), 'model');
  try {
    await saveModel(dir, model, vocab, { epoch: 30, wordsPerPost: lengthCounts(posts.map((p) => p.length)) });
    await recordEndScale(dir, endScale);
    return { dir, posts, vocab, config };
  } finally {
    model.dispose();
  }
}

/** Trains and saves the fixture model into a fresh temp folder. */
export async function fixtureModel(label: string): Promise<FixtureModel> {
  const posts = fixturePosts();
  const { model, vocab } = await trainFixtureModel(posts);
  const dir = path.join(await fsp.mkdtemp(path.join(os.tmpdir(), `tweetlab-page-${label}-`)), 'model');
  try {
    await saveModel(dir, model, vocab, {
      epoch: 4,
      dataset: 2,
      modelNumber: 2,
      wordsPerPost: lengthCounts(posts.map((p) => p.length)),
      history: [{ epoch: 4, loss: 1.2, valLoss: 1.5, valPerplexity: Math.exp(1.5), seconds: 1 }],
    });
    return { dir, posts, vocab, config: model.config };
  } finally {
    model.dispose();
  }
}
