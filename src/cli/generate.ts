import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import { LIMITS } from '../model/validate.js';
import type { GeneratedPost } from '../generate/generate.js';
import { intFlag, numberFlag, parseFlagsOnly, requireFlag, toJson, type CliIO, type Command, type ParsedFlags } from './common.js';
import { INPUT_FLAGS } from './input.js';

/** Consecutive words that make a post a copy (the evaluation's memorisation run), and draws before giving up. */
const NOVELTY_RUN = 6;
const NOVELTY_DRAWS = 20;

const usage = `Usage: tweetlab generate --model DIR [-n 10] [--seed N] [--temperature T] [--top-k K] [--top-p P]
                         [--end-scale F] [--greedy] [--start "text"] [--length N] [--input F] [--backend B] [--json]

Writes new posts with a saved model (a folder written by tweetlab train or run: model.json, weights.bin,
vocab.json, config.json). The report's models write as in the report: each post's length is drawn from the
training posts' words-per-post distribution, the first word is a random vocabulary word (or --start), and the
model predicts the next word until the length is reached. tweetlab's own model (trained with an end-of-post
token, out/<run>/models/tweetlab) begins a post after <eos> and ends it when it writes <eos> (--length is
then the cap), with p(<eos>) times the factor npm start fitted so its posts are as long as the real ones. Never emits the out-of-vocabulary token.

Flags:
  --model DIR           saved model folder (required)
  -n, --count N         posts to write (default 10)
  --seed N              seed of lengths, start words and sampling (default 1); equal seeds, equal posts
  --temperature T       < 1 favours likely words, > 1 rarer ones; 0 = greedy (default 1.1 for tweetlab's own
                        model, as npm start writes, 1 for the report's)
  --top-k K             sample among the K most likely words only (default: all)
  --top-p P             nucleus sampling: among the most likely words holding P of the probability (0 < P ≤ 1;
                        default 1 = off)
  --end-scale F         factor on p(<eos>) of tweetlab's own model (1/20 to 20; default: the one in its
                        config.json, else 1; > 1 ends posts sooner, 1 = the model as it is)
  --greedy              always the most likely word
  --start "text"        start every post with this text
  --length N            fixed length in words instead of drawn lengths
  --input F             the posts the model was trained on (CSV, JSONL or a sotu:/fortune: spec, as for
                        tweetlab page): a post copying ${NOVELTY_RUN}+ consecutive words of one of them is drawn
                        again, as npm start does (up to ${NOVELTY_DRAWS} draws; a post still copying is kept and flagged)
  --text-column C       column (CSV) or key (JSONL) of --input holding the text (default "text")
  --backend B           engine to run on (default: auto)
  --json                print {"model", "engine", "epoch", "seed", "options", "posts": [{"text", "length", "start", "seed",
                        "novel", "draws"}]} (options: greedy, temperature, topK, topP, endScale, start, length,
                        novelty: the run length checked, null without --input; novel: null without --input)`;

export interface GenerateJson {
  model: string;
  engine: string;
  epoch: number;
  seed: number;
  options: {
    greedy: boolean;
    temperature: number | null;
    topK: number;
    topP: number | null;
    endScale: number | null;
    start: string | null;
    length: number | null;
    novelty: number | null;
  };
  /** novel: false when the post still copies a run of the --input posts after every draw; null without --input. */
  posts: { text: string; length: number; start: string[]; seed: number; novel: boolean | null; draws: number }[];
}

const GENERATE_FLAGS = {
  model: { type: 'string' },
  count: { type: 'string', short: 'n' },
  seed: { type: 'string' },
  temperature: { type: 'string' },
  'top-k': { type: 'string' },
  'top-p': { type: 'string' },
  'end-scale': { type: 'string' },
  greedy: { type: 'boolean' },
  start: { type: 'string' },
  length: { type: 'string' },
  backend: { type: 'string' },
  json: { type: 'boolean' },
  ...INPUT_FLAGS,
} as const;

/** The sampling flags, checked: as GenerateJson records them (`start`/`length` null when not given). */
function samplingOptions(flags: ParsedFlags): Omit<GenerateJson['options'], 'novelty'> & { count: number; seed: number } {
  const count = intFlag('generate', flags.str('count'), 'count', 10, 0, 100_000);
  const seed = intFlag('generate', flags.str('seed'), 'seed', 1, 0, 2 ** 32 - 1);
  const temperatureText = flags.str('temperature');
  const temperature = temperatureText === undefined ? null : numberFlag('generate', temperatureText, 'temperature', 1);
  if (temperature !== null && temperature < 0) throw new UsageError(`generate: --temperature must be ≥ 0, got ${temperature}`);
  const topK = intFlag('generate', flags.str('top-k'), 'top-k', 0, 0);
  const topPText = flags.str('top-p');
  const topP = topPText === undefined ? null : numberFlag('generate', topPText, 'top-p', 1);
  if (topP !== null && !(topP > 0 && topP <= 1)) throw new UsageError(`generate: --top-p must be in (0, 1], got ${topP}`);
  const endScaleText = flags.str('end-scale');
  const endScale = endScaleText === undefined ? null : numberFlag('generate', endScaleText, 'end-scale', 1);
  if (endScale !== null && !(endScale >= 1 / LIMITS.endScale && endScale <= LIMITS.endScale)) {
    throw new UsageError(`generate: --end-scale must be from ${1 / LIMITS.endScale} to ${LIMITS.endScale}, got ${endScale}`);
  }
  const lengthText = flags.str('length');
  const length = lengthText === undefined ? null : intFlag('generate', lengthText, 'length', 1, 1, 10_000);
  return { count, seed, greedy: flags.bool('greedy'), temperature, topK, topP, endScale, start: flags.str('start') ?? null, length };
}

/** --input's novelty check: the filter generatePosts takes, or null without --input. */
async function noveltyCheck(flags: ParsedFlags): Promise<((words: readonly string[]) => boolean) | null> {
  const input = flags.str('input');
  if (input === undefined) return null;
  const { readInputWords } = await import('./input.js');
  const { NoveltyFilter } = await import('../evaluate/novelty.js');
  const filter = new NoveltyFilter(await readInputWords(input, flags.str('text-column')), NOVELTY_RUN);
  return (words) => filter.isNovel(words);
}

function printPosts(io: CliIO, json: GenerateJson | null, posts: readonly GeneratedPost[], header: string, checked: boolean): void {
  if (json) {
    io.out(toJson(json));
    return;
  }
  io.err(header);
  const copies = checked ? posts.filter((p) => p.accepted === false).length : 0;
  if (copies > 0) io.err(`${copies} of ${posts.length} posts still copy ${NOVELTY_RUN}+ consecutive words of an --input post after ${NOVELTY_DRAWS} draws`);
  io.out(posts.map((p) => p.text).join('\n'));
}

export const command: Command = {
  name: 'generate',
  summary: 'write new posts with a saved model',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('generate', argv, GENERATE_FLAGS);
    const dir = requireFlag('generate', flags.str('model'), 'model');
    const { count, seed, ...sampling } = samplingOptions(flags);
    const { greedy, topK, start, length } = sampling;
    // Read (and check) the --input posts before the model: a bad file fails fast.
    const accept = await noveltyCheck(flags);
    const options: GenerateJson['options'] = { ...sampling, novelty: accept ? NOVELTY_RUN : null };

    const { loadModel } = await import('../model/io.js');
    const { savedModelSampling } = await import('../pipeline/generate.js');
    const { generatePosts, lengthsFromCounts } = await import('../generate/generate.js');
    const { startWordsWarning } = await import('../generate/start-words.js');
    // Generation never reads the optimizer state: a damaged optimizer.bin must not stop it.
    const loaded = await loadModel(dir, flags.str('backend'), { optimizer: false });
    try {
      const wordsPerPost = loaded.config.wordsPerPost ? lengthsFromCounts(loaded.config.wordsPerPost) : undefined;
      if (length === null && (!wordsPerPost || wordsPerPost.length === 0)) {
        throw new TweetlabError(`${path.join(dir, 'config.json')} has no words-per-post distribution; give --length N`);
      }
      // Start words the model never saw are read as <unk> but still begin every post: say so (one line).
      const warning = start !== null ? startWordsWarning(start, loaded.vocab) : null;
      if (warning) io.err(warning);
      // tweetlab's own model (the one trained on the post stream with <eos>) writes as the main job does.
      const defaults = savedModelSampling(loaded.vocab, loaded.config);
      if (defaults.endScale === null && options.endScale !== null) {
        throw new UsageError(`generate: --end-scale needs a model with an end of post (tweetlab's own); ${dir} is one of the report's`);
      }
      const topP = options.topP ?? defaults.topP;
      const temperature = options.temperature ?? defaults.temperature;
      options.temperature = temperature;
      const endScale = defaults.endScale === null ? null : (options.endScale ?? defaults.endScale);
      options.topP = topP;
      options.endScale = endScale;
      const posts = generatePosts(loaded.model, loaded.vocab, {
        count, seed, greedy, temperature, topK, topP,
        maxAttempts: NOVELTY_DRAWS,
        ...(accept ? { accept } : {}),
        ...(endScale !== null ? { endScale } : {}),
        ...(start !== null ? { start } : {}),
        ...(length !== null ? { length } : { wordsPerPost: wordsPerPost as number[] }),
      });
      const { engine } = loaded.model;
      const { epoch } = loaded.config;
      const json: GenerateJson | null = !flags.bool('json') ? null : {
        model: path.resolve(dir), engine, epoch, seed, options,
        posts: posts.map((p) => ({ text: p.text, length: p.length, start: p.start, seed: p.seed, novel: accept ? p.accepted !== false : null, draws: p.attempts })),
      };
      printPosts(io, json, posts, `engine: ${engine}; model ${dir} after ${epoch} epochs`, accept !== null);
    } finally {
      loaded.model.dispose();
    }
    return 0;
  },
};
