import { describe, expect, it } from 'vitest';
import type { Engine, LanguageModel } from '../../src/model/types.js';
import { windowTargetProbabilities } from '../../src/pipeline/quality.js';
import type { WindowSet } from '../../src/types.js';

/** A model over 4 ids (0 = `<unk>`, 1 = `<eos>`, 2, 3) whose next-word distribution is always `probs`. */
function fixedModel(probs: number[], seqLength: number): LanguageModel {
  return {
    config: { seqLength, vocabSize: probs.length },
    predict: async (_inputs: Int32Array, count: number) => {
      const out = new Float32Array(count * seqLength * probs.length);
      for (let r = 0; r < count * seqLength; r++) out.set(probs, r * probs.length);
      return out;
    },
  } as unknown as LanguageModel;
}

const windows: WindowSet = { inputs: Int32Array.from([2, 3, 3, 2]), targets: Int32Array.from([3, 2, 2, 3]), count: 2, seqLength: 2, variant: 1, excludedPosts: 0 };
const noEngine = {} as Engine;

describe('windowTargetProbabilities', () => {
  it('gives each window target its probability, in window order', async () => {
    const p = await windowTargetProbabilities(fixedModel([0.1, 0.2, 0.3, 0.4], 2), noEngine, windows);
    expect(Array.from(p, (x) => Number(x.toFixed(6)))).toEqual([0.4, 0.3, 0.3, 0.4]);
  });

  it('with the end-of-post id, scores the next word given that the post goes on: p(w) / (1 − p(<eos>))', async () => {
    const p = await windowTargetProbabilities(fixedModel([0.1, 0.2, 0.3, 0.4], 2), noEngine, windows, 1);
    const expected = [0.4, 0.3, 0.3, 0.4].map((x) => x / 0.8);
    Array.from(p).forEach((x, i) => expect(x).toBeCloseTo(expected[i] as number, 6));
  });
});
