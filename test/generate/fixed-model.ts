import type { LanguageModel, RecurrentState } from '../../src/model/types.js';
import type { Vocabulary } from '../../src/types.js';

/**
 * A model of end-of-post generation whose next-token distribution never changes: `probs` maps words (and
 * `<eos>`) to their probability at every step. With p(<eos>) = e, posts have 1 / e words on average.
 */
export function fixedModel(vocab: Vocabulary, probs: Readonly<Record<string, number>>): LanguageModel {
  const V = vocab.words.length;
  return {
    config: { variant: 3, layers: 1, hidden: 1, embedding: 1, dropout: 0, vocabSize: V, seqLength: 1, initializer: 'none', seed: 0 },
    startState: (): RecurrentState => ({ h: [new Float32Array(1)], c: [new Float32Array(1)] }),
    step: () => {
      const p = new Float32Array(V);
      for (const [word, prob] of Object.entries(probs)) p[vocab.index.get(word) as number] = prob;
      return p;
    },
  } as unknown as LanguageModel;
}
