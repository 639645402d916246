import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OOV_ID,
  OOV_TOKEN,
  buildVocabulary,
  decode,
  encode,
  encodePosts,
  splitWhitespace,
  tokenizeWords,
  vocabularyFromJson,
  vocabularyToJson,
  wordTotals,
} from '../../src/text/tokenize.js';
import { TweetlabError } from '../../src/errors.js';

const posts = [
  'газпром продолжает реализацию проектов',
  'газпром и user обсудили проекты',
  'в 2019 году газпром увеличил продажи газа',
].map(tokenizeWords);

describe('tokenizeWords', () => {
  it('splits cleaned text on whitespace', () => {
    expect(tokenizeWords('газпром  и user\tобсудили ')).toEqual(['газпром', 'и', 'user', 'обсудили']);
    expect(tokenizeWords('')).toEqual([]);
    expect(splitWhitespace('  \u00a0 ')).toEqual([]);
  });
});

describe('buildVocabulary', () => {
  it('orders words by count, then alphabetically, after the OOV entry', () => {
    const v = buildVocabulary(posts);
    expect(v.oovId).toBe(OOV_ID);
    expect(v.words[0]).toBe(OOV_TOKEN);
    expect(v.counts[0]).toBe(0);
    expect(v.words[1]).toBe('газпром');
    expect(v.counts[1]).toBe(3);
    // every other word appears once: ascending code-unit order
    const rest = v.words.slice(2);
    expect(rest).toEqual([...rest].sort());
    expect(rest[0]).toBe('2019');
    expect(v.words).toHaveLength(1 + 14);
    expect(v.index.get('user')).toBe(v.words.indexOf('user'));
  });

  it('puts words below minCount into the OOV entry', () => {
    const v = buildVocabulary(posts, { minCount: 2 });
    expect(v.words).toEqual([OOV_TOKEN, 'газпром']);
    expect(v.counts).toEqual([16 - 3, 3]);
    expect(Array.from(encode(['газпром', 'нефть'], v))).toEqual([1, OOV_ID]);
    expect(() => buildVocabulary(posts, { minCount: 0 })).toThrow(TweetlabError);
  });

  it('is stable whatever the order of the posts', () => {
    expect(buildVocabulary([...posts].reverse()).words).toEqual(buildVocabulary(posts).words);
  });

  it('reports totals as the report does', () => {
    expect(wordTotals(posts)).toEqual({ words: 16, uniqueWords: 14 });
    expect(wordTotals([])).toEqual({ words: 0, uniqueWords: 0 });
  });

  it('round-trips through JSON', () => {
    const v = buildVocabulary(posts);
    const back = vocabularyFromJson(JSON.parse(JSON.stringify(vocabularyToJson(v))));
    expect(back.words).toEqual(v.words);
    expect(back.counts).toEqual(v.counts);
    expect(back.index.get('газа')).toBe(v.index.get('газа'));
    expect(() => vocabularyFromJson({ words: ['a'] }, 'vocab.json')).toThrow(/vocab\.json: not a valid vocabulary/);
  });
});

describe('encode / decode', () => {
  it('maps unknown words to the OOV id and rejects foreign ids', () => {
    const v = buildVocabulary(posts);
    const ids = encode(['газпром', 'нефть'], v);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(decode(ids, v)).toEqual(['газпром', OOV_TOKEN]);
    expect(() => decode([999], v)).toThrow(/outside the vocabulary/);
    expect(encodePosts(posts, v).map((p) => p.length)).toEqual([4, 5, 7]);
  });

  it('decode(encode(x)) = x for in-vocabulary words (property)', () => {
    const word = fc.string({ unit: fc.constantFrom(...'абвгдежзabcxyz019-'), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.array(word, { maxLength: 12 }), { minLength: 1, maxLength: 10 }), fc.nat(), (corpus, pick) => {
        const v = buildVocabulary(corpus);
        const post = corpus[pick % corpus.length] as string[];
        expect(decode(encode(post, v), v)).toEqual(post);
        // ids are dense: 0 … size − 1
        expect(new Set(v.index.values()).size).toBe(v.words.length);
      }),
      { numRuns: 200 },
    );
  });
});

describe('the <eos> token', () => {
  it('is id 1 with endOfPost, counts the posts, and a literal <eos> in a post is unknown', async () => {
    const { buildVocabulary, encode, vocabularyFromJson, vocabularyToJson } = await import('../../src/text/tokenize.js');
    const vocab = buildVocabulary([['a', 'b'], ['a', '<eos>']], { endOfPost: true });
    expect(vocab.words.slice(0, 3)).toEqual(['<unk>', '<eos>', 'a']);
    expect(vocab.eosId).toBe(1);
    expect(vocab.counts[1]).toBe(2);
    expect(Array.from(encode(['a', '<eos>'], vocab))).toEqual([2, 0]);
    expect(vocabularyFromJson(vocabularyToJson(vocab)).eosId).toBe(1);
    expect(() => vocabularyFromJson({ ...vocabularyToJson(vocab), eosId: 2 }, 'v.json')).toThrow(/v.json: eosId must be the index of "<eos>"/);
    expect(buildVocabulary([['a']]).eosId).toBeUndefined();
  });
});
