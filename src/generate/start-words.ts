import { cleanText } from '../text/clean.js';
import { tokenizeWords } from '../text/tokenize.js';
import type { Vocabulary } from '../types.js';

/**
 * Start words the model has never seen. generatePosts cleans and tokenizes a start text the same way as the
 * training posts; a word outside the vocabulary is read as `<unk>` yet echoed into every post, so the caller
 * should warn about it.
 */

/** The words of `start` (after cleaning) that are not in the vocabulary, in order, each once. */
export function unknownStartWords(start: string, vocab: Vocabulary): string[] {
  const unknown: string[] = [];
  for (const word of tokenizeWords(cleanText(start))) {
    const id = vocab.index.get(word);
    if ((id === undefined || id === vocab.oovId) && !unknown.includes(word)) unknown.push(word);
  }
  return unknown;
}

/** A one-line warning naming the unknown start words, or null when every start word is known. */
export function startWordsWarning(start: string, vocab: Vocabulary): string | null {
  const unknown = unknownStartWords(start, vocab);
  if (unknown.length === 0) return null;
  const list = unknown.map((w) => `"${w}"`).join(', ');
  return `warning: ${unknown.length === 1 ? 'the start word' : 'the start words'} ${list} ${unknown.length === 1 ? 'is' : 'are'} not in the model's vocabulary: the model reads ${unknown.length === 1 ? 'it' : 'them'} as <unk> (the posts still begin with ${unknown.length === 1 ? 'it' : 'them'}).`;
}
