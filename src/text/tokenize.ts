/**
 * Words and their ids (the report's section 4): whitespace tokens, a frequency-ordered vocabulary, and
 * encode/decode between words and integer ids.
 */
import { TweetlabError } from '../errors.js';
import type { Vocabulary } from '../types.js';
import { splitWhitespace } from '../util/whitespace.js';

export { WHITESPACE_CLASS, splitWhitespace } from '../util/whitespace.js';

/** The words of a cleaned post: its whitespace-separated tokens, in order. */
export function tokenizeWords(text: string): string[] {
  return splitWhitespace(text);
}

/** The word id reserved for out-of-vocabulary words. */
export const OOV_ID = 0;
/** How the out-of-vocabulary entry is spelled in `Vocabulary.words`. */
export const OOV_TOKEN = '<unk>';
/** The end-of-post token; it also stands before a post's first word as its begin-of-post context. */
export const EOS_TOKEN = '<eos>';

export interface VocabularyOptions {
  /** Words seen fewer times than this map to the OOV id. Default: 1 (keep every word). */
  minCount?: number;
  /**
   * Adds `<eos>` as id 1 (its count = the number of posts), so models can learn where posts begin and end.
   * Default false (the report's vocabulary).
   */
  endOfPost?: boolean;
}

/**
 * Builds the word vocabulary of tokenized posts.
 *
 * Id layout: id 0 is `<unk>` (the OOV id; its count is the number of tokens that fell below `minCount`);
 * ids 1…n are the kept words sorted by count (descending) then by word (ascending, by UTF-16 code units, so
 * the order never depends on the locale). `words.length` is the vocabulary size a model needs. There is no
 * padding id: windows never need padding. A literal `<unk>` token in the input is treated as OOV.
 */
export function buildVocabulary(tokenizedPosts: readonly (readonly string[])[], opts: VocabularyOptions = {}): Vocabulary {
  const minCount = opts.minCount ?? 1;
  if (!Number.isInteger(minCount) || minCount < 1) {
    throw new TweetlabError(`minCount must be a whole number of at least 1, got ${minCount}`);
  }
  const counts = new Map<string, number>();
  for (const post of tokenizedPosts) {
    for (const word of post) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  // Literal special tokens in the input are ordinary unknown words, never the specials themselves.
  let oovCount = (counts.get(OOV_TOKEN) ?? 0) + (counts.get(EOS_TOKEN) ?? 0);
  counts.delete(OOV_TOKEN);
  counts.delete(EOS_TOKEN);
  const kept: [string, number][] = [];
  for (const entry of counts) {
    if (entry[1] >= minCount) kept.push(entry);
    else oovCount += entry[1];
  }
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const specials: [string, number][] = opts.endOfPost ? [[OOV_TOKEN, oovCount], [EOS_TOKEN, tokenizedPosts.length]] : [[OOV_TOKEN, oovCount]];
  const all = [...specials, ...kept];
  const words = all.map((e) => e[0]);
  const wordCounts = all.map((e) => e[1]);
  const index = new Map<string, number>();
  words.forEach((w, i) => index.set(w, i));
  const vocab: Vocabulary = { words, counts: wordCounts, index, oovId: OOV_ID };
  if (opts.endOfPost) vocab.eosId = 1;
  return vocab;
}

/** Totals the report prints after tokenizing: all words and distinct words. */
export interface WordTotals {
  /** Number of word tokens over all posts. */
  words: number;
  /** Number of distinct words. */
  uniqueWords: number;
}

export function wordTotals(tokenizedPosts: readonly (readonly string[])[]): WordTotals {
  const seen = new Set<string>();
  let words = 0;
  for (const post of tokenizedPosts) {
    words += post.length;
    for (const w of post) seen.add(w);
  }
  return { words, uniqueWords: seen.size };
}

/** Word ids of `words`; unknown words (and a literal `<eos>`) get `vocab.oovId`. */
export function encode(words: readonly string[], vocab: Vocabulary): Int32Array {
  const ids = new Int32Array(words.length);
  for (let i = 0; i < words.length; i++) {
    const id = vocab.index.get(words[i] as string) ?? vocab.oovId;
    ids[i] = id === vocab.eosId ? vocab.oovId : id;
  }
  return ids;
}

/** Encodes every tokenized post. */
export function encodePosts(tokenizedPosts: readonly (readonly string[])[], vocab: Vocabulary): Int32Array[] {
  return tokenizedPosts.map((p) => encode(p, vocab));
}

/** Words of `ids`; an id outside the vocabulary is an error (it means the ids came from another vocabulary). */
export function decode(ids: ArrayLike<number>, vocab: Vocabulary): string[] {
  const out: string[] = new Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    const word = vocab.words[id];
    if (word === undefined) throw new TweetlabError(`Word id ${id} is outside the vocabulary (size ${vocab.words.length})`);
    out[i] = word;
  }
  return out;
}

/** The JSON form of a vocabulary (vocab.json beside a saved model). */
export interface VocabularyJson {
  words: string[];
  counts: number[];
  oovId: number;
  padId?: number;
  eosId?: number;
}

export function vocabularyToJson(vocab: Vocabulary): VocabularyJson {
  const json: VocabularyJson = { words: [...vocab.words], counts: [...vocab.counts], oovId: vocab.oovId };
  if (vocab.padId !== undefined) json.padId = vocab.padId;
  if (vocab.eosId !== undefined) json.eosId = vocab.eosId;
  return json;
}

/** Rebuilds a vocabulary from its JSON form; `source` names the file in errors. */
export function vocabularyFromJson(value: unknown, source = 'vocabulary'): Vocabulary {
  const v = value as Partial<VocabularyJson> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    !Array.isArray(v.words) ||
    !Array.isArray(v.counts) ||
    v.words.length !== v.counts.length ||
    !v.words.every((w) => typeof w === 'string') ||
    typeof v.oovId !== 'number' ||
    v.words[v.oovId] === undefined
  ) {
    throw new TweetlabError(`${source}: not a valid vocabulary (expected words[], counts[] of equal length and oovId)`);
  }
  const index = new Map<string, number>();
  v.words.forEach((w, i) => index.set(w, i));
  if (index.size !== v.words.length) {
    const dup = v.words.find((w, i) => index.get(w) !== i);
    throw new TweetlabError(`${source}: not a valid vocabulary (the word "${dup}" appears more than once)`);
  }
  const vocab: Vocabulary = { words: [...v.words], counts: v.counts.map(Number), index, oovId: v.oovId };
  if (typeof v.padId === 'number') vocab.padId = v.padId;
  if (v.eosId !== undefined) {
    if (typeof v.eosId !== 'number' || v.words[v.eosId] !== EOS_TOKEN) {
      throw new TweetlabError(`${source}: eosId must be the index of "${EOS_TOKEN}" in words`);
    }
    vocab.eosId = v.eosId;
  }
  return vocab;
}
