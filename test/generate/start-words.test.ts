import { describe, expect, it } from 'vitest';
import { startWordsWarning, unknownStartWords } from '../../src/generate/start-words.js';
import { buildVocabulary, tokenizeWords } from '../../src/text/tokenize.js';

const vocab = buildVocabulary(['we will build a road', 'we will open a school', 'rare'].map(tokenizeWords), { minCount: 2 });

describe('unknownStartWords', () => {
  it('returns the start words outside the vocabulary (below minCount counts as outside), cleaned, each once', () => {
    expect(unknownStartWords('we will', vocab)).toEqual([]);
    expect(unknownStartWords('We WILL!', vocab)).toEqual([]);
    expect(unknownStartWords('we rare zebra zebra', vocab)).toEqual(['rare', 'zebra']);
  });

  it('warns in one line naming the words, or returns null', () => {
    expect(startWordsWarning('we will', vocab)).toBeNull();
    expect(startWordsWarning('zebra will', vocab)).toBe(
      `warning: the start word "zebra" is not in the model's vocabulary: the model reads it as <unk> (the posts still begin with it).`,
    );
    expect(startWordsWarning('zebra rare', vocab)).toMatch(/^warning: the start words "zebra", "rare" are not in/);
  });
});
