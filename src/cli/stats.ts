import { charsPerPost, wordsPerPost } from '../analysis/lengths.js';
import { describe, describeToJson, formatDescribe, type DescribeJson } from '../analysis/describe.js';
import { TweetlabError } from '../errors.js';
import { parseFlagsOnly, toJson, type Command } from './common.js';
import { INPUT_FLAGS, INPUT_USAGE, readInputCorpus } from './input.js';

const usage = `Usage: tweetlab stats [--input F] [--text-column C] [--json]

Characters per post (Unicode code points) and words per post (whitespace-separated tokens) of the raw
text, each summarised as pandas describe() does: count, mean, std (ddof 1), min, 25%, 50%, 75%, max.

Flags:
${INPUT_USAGE}
  --json                print {"chars": {count, mean, std, min, "25%", "50%", "75%", max}, "words": {…}}
                        (std is null when there is a single post)`;

/** The stable --json shape of `tweetlab stats`. */
export interface StatsJson {
  chars: DescribeJson;
  words: DescribeJson;
}

export const command: Command = {
  name: 'stats',
  summary: 'describe() of characters and words per post',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('stats', argv, { ...INPUT_FLAGS, json: { type: 'boolean' } });
    const corpus = await readInputCorpus(flags.str('input'), flags.str('text-column'));
    if (corpus.posts.length === 0) throw new TweetlabError(`${corpus.source.name}: no posts to describe`);
    const chars = describe(charsPerPost(corpus.posts));
    const words = describe(wordsPerPost(corpus.posts));
    if (flags.bool('json')) {
      const json: StatsJson = { chars: describeToJson(chars), words: describeToJson(words) };
      io.out(toJson(json));
    } else {
      io.out(
        `${corpus.posts.length} posts from ${corpus.source.name}\n\n` +
          `Characters per post\n${formatDescribe(chars, 'chars')}\n\n` +
          `Words per post\n${formatDescribe(words, 'words')}`,
      );
    }
    return 0;
  },
};
