import { describe, expect, it } from 'vitest';
import { generatePosts, lengthCounts, lengthsFromCounts } from '../../../src/generate/generate.js';
import type { LanguageModel } from '../../../src/model/types.js';
import { WasmStepper } from '../../../src/page/browser/stepper.js';
import { browserKernels } from '../../../src/page/kernels.js';
import { decodeWeights, encodeWeights } from '../../../src/page/quantize.js';
import { fixturePosts, trainFixtureModel } from '../fixture.js';

describe('WasmStepper (the page worker’s model step)', () => {
  it('gives the fast-wasm engine’s probabilities bit for bit, and so the same posts', async () => {
    const posts = fixturePosts(80, 4);
    // Odd sizes, so the kernels' SIMD tails run too.
    const { model, vocab } = await trainFixtureModel(posts, { hidden: 13, embedding: 7 }, 2);
    try {
      const weights = model.getWeights();
      // Through the page's float32 encoding, as the page ships them.
      const shipped = decodeWeights(encodeWeights(weights.map((w) => w.values), weights.map((w) => w.shape), 'float32'));
      const stepper = new WasmStepper(model.config, await browserKernels(), shipped);
      const a = model.startState();
      const b = stepper.startState();
      for (const token of [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 0, 8]) {
        const pa = model.step(a, token % model.config.vocabSize);
        const pb = stepper.step(b, token % model.config.vocabSize);
        expect(Array.from(pb)).toEqual(Array.from(pa));
        expect(Array.from(b.h[1] as Float32Array)).toEqual(Array.from(a.h[1] as Float32Array));
      }
      const wordsPerPost = lengthsFromCounts(lengthCounts(posts.map((p) => p.length)));
      const opts = { count: 6, seed: 9, temperature: 0.9, topK: 5, wordsPerPost };
      const pageModel = { config: model.config, startState: () => stepper.startState(), step: stepper.step.bind(stepper) };
      const fromPage = generatePosts(pageModel as unknown as LanguageModel, vocab, opts).map((p) => p.text);
      expect(fromPage).toEqual(generatePosts(model, vocab, opts).map((p) => p.text));
      expect(() => stepper.step(b, model.config.vocabSize)).toThrow(/outside the vocabulary/);
    } finally {
      model.dispose();
    }
  });
});

describe('WasmStepper on tweetlab’s own model (variant 3, tied output)', () => {
  it('gives the fast engine’s probabilities bit for bit with the embedding as output layer', async () => {
    const posts = fixturePosts(60, 5);
    const { model } = await trainFixtureModel(posts, { variant: 3, layers: 1, hidden: 11, embedding: 11, tied: true, inputDropout: 0.2 }, 1);
    try {
      const weights = model.getWeights();
      expect(weights.map((w) => w.name)).not.toContain('output/kernel'); // tied: no separate output matrix
      const shipped = decodeWeights(encodeWeights(weights.map((w) => w.values), weights.map((w) => w.shape), 'float32'));
      const stepper = new WasmStepper({ ...model.config, tied: true }, await browserKernels(), shipped);
      const a = model.startState();
      const b = stepper.startState();
      for (const token of [1, 4, 1, 5, 9, 2, 6]) {
        expect(Array.from(stepper.step(b, token % model.config.vocabSize))).toEqual(Array.from(model.step(a, token % model.config.vocabSize)));
      }
    } finally {
      model.dispose();
    }
  });
});
