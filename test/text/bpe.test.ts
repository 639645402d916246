import { describe, expect, it } from 'vitest';
import { BPE_EOS_ID, BPE_UNK_ID, BpeTokenizer, tokensPerWord } from '../../src/text/bpe.js';
import { trainBpe } from '../../src/text/bpe-train.js';
import { cleanText } from '../../src/text/clean.js';
import { tokenizeWords } from '../../src/text/tokenize.js';
import { TweetlabError } from '../../src/errors.js';

/** Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3 (its merges are hand-checked in bpe-train.test.ts). */
const SENNRICH: string[][] = [
  ...Array.from({ length: 5 }, () => ['low']),
  ['lower', 'lower'],
  ...Array.from({ length: 3 }, () => ['newest', 'newest', 'widest']),
];

const RUSSIAN = [
  'Газпром продолжает реализацию проектов в Ямало-Ненецком АО!',
  'Сегодня на заводе прошла проверка, проверка прошла успешно.',
  'Новые проекты: газопровод, завод и новые рабочие места.',
  'Рабочие завода обсудили проекты с руководством.',
].map((t) => tokenizeWords(cleanText(t)));

const tokensOf = (tok: BpeTokenizer, word: string) => tok.encodeWord(word).map((id) => tok.tokens[id]);

describe('BpeTokenizer', () => {
  const tok = trainBpe(SENNRICH, { merges: 100 });

  it('encodes training words to their final merged token', () => {
    expect(tokensOf(tok, 'newest')).toEqual(['newest</w>']);
    expect(tokensOf(tok, 'lower')).toEqual(['lower</w>']);
    expect(tokensOf(tok, 'low')).toEqual(['low</w>']);
  });

  it('applies merges by rank to a new word', () => {
    // l o w e s t</w> → (e,s) → (es,t</w>) → (l,o) → … (lo,w) at rank 11 → "low" "est</w>".
    expect(tokensOf(tok, 'lowest')).toEqual(['low', 'est</w>']);
    // "wide": no merge of w-i-d-e</w> exists without a following "est</w>".
    expect(tokensOf(tok, 'wide')).toEqual(['w', 'i', 'd', 'e</w>']);
    // a character seen only word-finally in training ("r") is known in the middle of a word too
    expect(tokensOf(tok, 'row')).toEqual(['r', 'o', 'w</w>']);
  });

  it('maps each unseen character to <unk>', () => {
    expect(tokensOf(tok, 'lox')).toEqual(['lo', '<unk>']);
    expect(tok.encodeWord('zqz')).toEqual([BPE_UNK_ID, BPE_UNK_ID, BPE_UNK_ID]);
    expect(tok.encodeWord('')).toEqual([]);
  });

  it('encodes a post as the concatenation of its words', () => {
    const ids = tok.encodeWords(['lowest', 'newest', 'x']);
    expect(ids).toBeInstanceOf(Int32Array);
    expect(Array.from(ids)).toEqual([...tok.encodeWord('lowest'), ...tok.encodeWord('newest'), BPE_UNK_ID]);
    expect(tok.encodeWords([])).toHaveLength(0);
  });

  it('decodes back to the words, skipping <eos>', () => {
    const words = ['lowest', 'wide', 'row', 'newer', 'e', 'slow'];
    for (const w of words) expect(tok.decode(tok.encodeWord(w))).toEqual([w]);
    const post = [BPE_EOS_ID, ...tok.encodeWords(words), BPE_EOS_ID];
    expect(tok.decode(post)).toEqual(words);
    // an unfinished word is closed by <eos> and by the end of the ids
    const low = tok.idOf('low') as number;
    expect(tok.decode([low, BPE_EOS_ID, low])).toEqual(['low', 'low']);
    expect(tok.decode(tok.encodeWord('lox'))).toEqual(['lo<unk>']);
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => tok.decode([tok.vocabSize])).toThrow(/outside the BPE vocabulary/);
    expect(() => tok.decode([-1])).toThrow(TweetlabError);
  });

  it('tells which tokens end a word', () => {
    expect(tok.wordBoundaryAfter(tok.idOf('est</w>') as number)).toBe(true);
    expect(tok.wordBoundaryAfter(tok.idOf('low') as number)).toBe(false);
    expect(tok.wordBoundaryAfter(BPE_UNK_ID)).toBe(false);
    expect(tok.wordBoundaryAfter(BPE_EOS_ID)).toBe(false);
    const ids = tok.encodeWords(['lowest', 'wide', 'newest']);
    expect(Array.from(ids).filter((id) => tok.wordBoundaryAfter(id))).toHaveLength(3);
  });

  it('counts tokens per word', () => {
    // Without merges every character is a token: (3 + 5 + 6) / 3.
    expect(tokensPerWord(trainBpe(SENNRICH, { merges: 0 }), [['low', 'lower'], ['newest']])).toBeCloseTo(14 / 3, 12);
    // With all merges each training word is one token.
    expect(tokensPerWord(tok, SENNRICH)).toBe(1);
    expect(tokensPerWord(tok, [['lowest', 'low']])).toBe(1.5);
    expect(tokensPerWord(tok, [])).toBeNaN();
  });

  it('handles Russian text: Cyrillic merges, round trips, fewer tokens than characters', () => {
    const ru = trainBpe(RUSSIAN, { merges: 60 });
    expect(ru.merges.length).toBeGreaterThan(0);
    expect(ru.merges.flat().some((s) => /[а-яё]/.test(s))).toBe(true);
    for (const post of RUSSIAN) expect(ru.decode(ru.encodeWords(post))).toEqual(post);
    expect(RUSSIAN.flat()).toContain('ямало-ненецком');
    const chars = RUSSIAN.flat().reduce((n, w) => n + Array.from(w).length, 0) / RUSSIAN.flat().length;
    expect(tokensPerWord(ru, RUSSIAN)).toBeLessThan(chars);
    // "ё" never occurs in training: <unk>, the rest of the word is still encoded
    expect(ru.decode(ru.encodeWord('проектё'))).toEqual(['проект<unk>']);
  });

  it('refuses a token list that breaks the layout or a merge that is not in the vocabulary', () => {
    expect(() => new BpeTokenizer(['<eos>', '<unk>', 'a'], [])).toThrow(/must start with <unk>, <eos>/);
    expect(() => new BpeTokenizer(['<unk>', '<eos>', 'a', 'a'], [])).toThrow(TweetlabError);
    expect(() => new BpeTokenizer(['<unk>', '<eos>', 'a', 'b'], [['a', 'b']])).toThrow(/not in the vocabulary/);
    expect(() => new BpeTokenizer(['<unk>', '<eos>', 'a', 'b', 'ab'], [['a', 'b'], ['a', 'b']])).toThrow(/appears twice/);
  });
});
