/**
 * The input of the text-pipeline commands (stats, clean, dataset): a posts file given with --input, read by
 * readPostsFile, or — when --input is left out — the default corpus.
 */
import type { Corpus } from '../types.js';
import { readPostsFile } from '../sources/files.js';
import { isCorpusSpec } from '../sources/spec.js';

/** Flags shared by the commands that read posts. */
export const INPUT_FLAGS = {
  input: { type: 'string' },
  'text-column': { type: 'string' },
} as const;

export const INPUT_USAGE = `  --input F             posts file: CSV (RFC 4180, with a header) or JSONL (.jsonl/.ndjson); or
                        sotu:NAME (a president's State of the Union sentences) or fortune:PATH (fortune
                        file or folder, entries ≤ 280 characters)
                        (default: the built-in State of the Union corpus, as "tweetlab fetch default")
  --text-column C       column (CSV) or key (JSONL) holding the post text (default "text")`;

/** Reads --input with readPostsFile (or a sotu:/fortune: spec), or loads the default corpus when it is absent. */
export async function readInputCorpus(input: string | undefined, textColumn: string | undefined): Promise<Corpus> {
  if (input === undefined || isCorpusSpec(input)) {
    // Loaded only when needed: the default corpus pulls in the SOTU data set.
    const { loadCorpus } = await import('../sources/index.js');
    return loadCorpus(input === undefined ? {} : { input });
  }
  return readPostsFile(input, textColumn !== undefined ? { textColumn } : {});
}

/** The posts of --input as the models saw them (cleaned, word tokens): what a novelty check compares against. */
export async function readInputWords(input: string, textColumn: string | undefined): Promise<string[][]> {
  const { cleanPosts } = await import('../text/clean.js');
  const { tokenizeWords } = await import('../text/tokenize.js');
  const corpus = await readInputCorpus(input, textColumn);
  return cleanPosts(corpus.posts).posts.map((p) => tokenizeWords(p.text));
}
