/**
 * Corpus specs: one string naming a corpus, for --input and the corpora command. `sotu:` and `fortune:` are
 * the built-in corpora; anything else is a file path.
 */
import { TweetlabError } from '../errors.js';
import { DEFAULT_PRESIDENT } from './sotu.js';

/** A corpus named in one string: `sotu:<president>`, `fortune:<file or folder>`, or a posts file / archive. */
export type CorpusSpec = { kind: 'sotu'; president: string } | { kind: 'fortune'; path: string } | { kind: 'file'; path: string };

/**
 * Reads a corpus spec: `sotu:NAME` (a president of the default corpus; `sotu:` alone is the default president),
 * `fortune:PATH` (a fortune file or folder), anything else a file path (`./sotu:x.csv` reads such a file).
 */
export function parseCorpusSpec(spec: string): CorpusSpec {
  const m = /^(sotu|fortune):(.*)$/s.exec(spec);
  if (!m) return { kind: 'file', path: spec };
  const rest = (m[2] as string).trim();
  if (m[1] === 'sotu') return { kind: 'sotu', president: rest === '' ? DEFAULT_PRESIDENT : rest };
  if (rest === '') throw new TweetlabError('fortune: give a fortune file or folder, e.g. fortune:/usr/share/games/fortunes/ru');
  return { kind: 'fortune', path: rest };
}

/** True when `input` is a `sotu:` or `fortune:` spec rather than a file path. */
export function isCorpusSpec(input: string): boolean {
  return parseCorpusSpec(input).kind !== 'file';
}
