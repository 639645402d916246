import { describe, expect, it } from 'vitest';
import { postStream } from '../../src/dataset/stream.js';
import { scorePostsWithModel, streamPerplexity } from '../../src/evaluate/post-scores.js';
import { createFastEngine } from '../../src/model/fast/index.js';
import { ablationSteps } from '../../src/pipeline/ablation.js';
import { OWN_MODEL_DEFAULTS, OWN_MODEL_QUICK } from '../../src/pipeline/config.js';
import { ownModelConfig } from '../../src/pipeline/own.js';
import { trainOwnModel } from '../../src/pipeline/own-train.js';
import { Random } from '../../src/random.js';
import { ensureKernelsBuilt } from '../model/fast/kernels-built.js';

ensureKernelsBuilt();

/** Posts of a toy language over ids 2..11 (1 = `<eos>`), seeded. */
function toyPosts(count: number, seed: number): Int32Array[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Int32Array.from({ length: 3 + rng.int(5) }, (_, i) => 2 + ((i * 3 + rng.int(3)) % 10)));
}

describe('trainOwnModel', () => {
  const settings = { ...OWN_MODEL_QUICK, hidden: 16, seqLength: 5, batchSize: 8, maxEpochs: 3, patience: 3 };
  const train = toyPosts(120, 1);
  const dev = toyPosts(20, 2);
  const run = (averageEpochs: number) => trainOwnModel({
    engine: createFastEngine({ threads: 1 }), model: ownModelConfig({ ...settings, averageEpochs }, 12, 5), settings: { ...settings, averageEpochs },
    stream: postStream(train, 1), devPosts: dev, eosId: 1, seed: 9,
  });

  it('with weight averaging, keeps the averaged weights it scored (its best development perplexity is the returned model\'s)', async () => {
    const averaged = await run(1);
    const plain = await run(0);
    const rescore = (m: typeof averaged.model) => streamPerplexity(scorePostsWithModel(m, dev, 1)).perplexity;
    expect(rescore(averaged.model)).toBeCloseTo(averaged.bestDevPerplexity, 6);
    expect(rescore(plain.model)).toBeCloseTo(plain.bestDevPerplexity, 6);
    // Same seeds, same batches: only the averaging differs.
    expect(averaged.bestDevPerplexity).not.toBe(plain.bestDevPerplexity);
    expect(averaged.history.map((h) => h.loss)).toEqual(plain.history.map((h) => h.loss));
    averaged.model.dispose();
    plain.model.dispose();
  });
});

describe('trainOwnModel with Kneser–Ney noising', () => {
  // Eight posts: the development posts stop improving within a few epochs.
  const settings = { ...OWN_MODEL_QUICK, hidden: 16, seqLength: 5, batchSize: 2, maxEpochs: 6, patience: 6, learningRate: 0.03, averageEpochs: 0 };
  const train = toyPosts(8, 3);
  const dev = toyPosts(20, 2);
  const run = (noising: number) => trainOwnModel({
    engine: createFastEngine({ threads: 1 }), model: ownModelConfig(settings, 12, 5), settings: { ...settings, noising },
    stream: postStream(train, 1), devPosts: dev, eosId: 1, seed: 9,
  });

  it('trains exactly as without it until the first epoch without improvement, and on noised posts after it', async () => {
    const plain = await run(0);
    const noised = await run(0.3);
    const dev = plain.history.map((h) => h.valPerplexity ?? Number.NaN);
    const firstPlateau = dev.findIndex((v, i) => i > 0 && v >= Math.min(...dev.slice(0, i)));
    expect(firstPlateau).toBeGreaterThan(0);
    const lossesUpTo = (r: typeof plain, n: number) => r.history.slice(0, n).map((h) => h.loss);
    expect(lossesUpTo(noised, firstPlateau + 1)).toEqual(lossesUpTo(plain, firstPlateau + 1));
    expect(noised.history[firstPlateau + 1]?.loss).not.toBe(plain.history[firstPlateau + 1]?.loss);
    // Each epoch says whether it trained on noised posts: from the one after the first plateau on, never without noising.
    expect(noised.history.map((h) => h.noised)).toEqual(noised.history.map((_, i) => i > firstPlateau));
    expect(plain.history.every((h) => h.noised === false)).toBe(true);
    plain.model.dispose();
    noised.model.dispose();
  });

  it('refuses a noising outside 0–1 or an unknown start before the first epoch', async () => {
    await expect(run(1.5)).rejects.toThrow(/noising must be a number from 0 to 1, got 1.5/);
    const bad = { ...settings, noising: 0.2, noisingFrom: 'later' as 'start' };
    await expect(trainOwnModel({
      engine: createFastEngine({ threads: 1 }), model: ownModelConfig(bad, 12, 5), settings: bad, stream: postStream(train, 1), devPosts: dev, eosId: 1, seed: 9,
    })).rejects.toThrow(/noisingFrom must be "plateau" or "start", got "later"/);
  });
});

describe('ablationSteps', () => {
  it('adds one technique per row, from a plain LSTM to exactly the shipped settings', () => {
    const steps = ablationSteps(OWN_MODEL_DEFAULTS);
    const first = steps[0]?.settings;
    expect(first).toMatchObject({ tied: false, embeddingDropout: 0, inputDropout: 0, outputDropout: 0, recurrentDropout: 0, weightDecay: 0, clipNorm: 0, lrDecay: 1, averageEpochs: 0 });
    expect(steps.at(-1)?.settings).toEqual(OWN_MODEL_DEFAULTS);
    expect(steps.at(-1)?.step).toContain('= tweetlab LSTM');
    for (let i = 1; i < steps.length; i++) {
      const before = steps[i - 1]?.settings as unknown as Record<string, unknown>;
      const after = steps[i]?.settings as unknown as Record<string, unknown>;
      const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
      expect(changed.length, steps[i]?.step).toBeGreaterThan(0);
      expect(changed.length, steps[i]?.step).toBeLessThanOrEqual(2);
    }
  });
});
