import { buildWindowsJoined, buildWindowsPerTweet, oneHotCostBytes } from '../dataset/windows.js';
import { TweetlabError } from '../errors.js';
import { buildVocabulary, encodePosts, tokenizeWords, wordTotals } from '../text/tokenize.js';
import { intFlag, parseFlagsOnly, requireFlag, toJson, type Command } from './common.js';
import { INPUT_FLAGS, INPUT_USAGE, readInputCorpus } from './input.js';

const usage = `Usage: tweetlab dataset [--input F] --seq-length N [--text-column C] [--json]

Counts the training windows of both variants on an already cleaned posts file (see tweetlab clean); words are
the whitespace-separated tokens of each post.
  variant 1 (split by post): windows inside each post, n − N per post of n words; posts with fewer than
            N + 1 words give none and are counted as excluded
  variant 2 (no split):      all posts joined, nWords − N windows

Flags:
${INPUT_USAGE}
  --seq-length N        words per input window (required, at least 1)
  --json                print {"posts", "words", "uniqueWords", "seqLength",
                               "variant1": {"samples", "excludedPosts"}, "variant2": {"samples"}}`;

/** The stable --json shape of `tweetlab dataset`. */
export interface DatasetJson {
  posts: number;
  words: number;
  uniqueWords: number;
  seqLength: number;
  variant1: { samples: number; excludedPosts: number };
  variant2: { samples: number };
}

export const command: Command = {
  name: 'dataset',
  summary: 'sample counts of the two training sets for a --seq-length',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('dataset', argv, { ...INPUT_FLAGS, 'seq-length': { type: 'string' }, json: { type: 'boolean' } });
    const seqLength = intFlag('dataset', requireFlag('dataset', flags.str('seq-length'), 'seq-length'), 'seq-length', 0, 1, 10_000);
    const corpus = await readInputCorpus(flags.str('input'), flags.str('text-column'));
    const tokenized = corpus.posts.map((p) => tokenizeWords(p.text));
    const totals = wordTotals(tokenized);
    if (totals.words === 0) throw new TweetlabError(`${corpus.source.name}: the corpus is empty (no words)`);
    const vocab = buildVocabulary(tokenized);
    const encoded = encodePosts(tokenized, vocab);
    const v1 = buildWindowsPerTweet(encoded, seqLength);
    const v2 = buildWindowsJoined(encoded, seqLength);
    const json: DatasetJson = {
      posts: corpus.posts.length,
      words: totals.words,
      uniqueWords: totals.uniqueWords,
      seqLength,
      variant1: { samples: v1.count, excludedPosts: v1.excludedPosts },
      variant2: { samples: v2.count },
    };
    if (flags.bool('json')) {
      io.out(toJson(json));
    } else {
      io.out(
        [
          `${json.posts} posts from ${corpus.source.name}: ${json.words} words, ${json.uniqueWords} unique words`,
          `seqLength ${seqLength}`,
          `Variant 1 (split by post): ${v1.count} samples; ${v1.excludedPosts} ${v1.excludedPosts === 1 ? 'post' : 'posts'} shorter than ${seqLength + 1} words excluded`,
          `Variant 2 (no split):      ${v2.count} samples`,
          oneHotCostBytes(v1, vocab.words.length).note,
          oneHotCostBytes(v2, vocab.words.length).note,
        ].join('\n'),
      );
    }
    return 0;
  },
};
