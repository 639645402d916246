import { TweetlabError, UsageError } from '../errors.js';
import { writePostsCsv } from '../sources/files.js';
import { CLEAN_RULES, CLEAN_RULE_NAMES, cleanPosts } from '../text/clean.js';
import { parseFlagsOnly, requireFlag, toJson, type Command } from './common.js';
import { INPUT_FLAGS, INPUT_USAGE, readInputCorpus } from './input.js';

const ruleList = CLEAN_RULES.map((r) => `    ${r.name.padEnd(16)} ${r.description}`).join('\n');

const usage = `Usage: tweetlab clean [--input F] --out F [--disable rule1,rule2] [--text-column C] [--json]

Cleans every post with the rules below (in this order), drops the posts left empty, and saves the rest as
CSV (id,created_at,text), written atomically. Nothing is written when every post ends up empty.

Rules:
${ruleList}

Flags:
${INPUT_USAGE}
  --out F               cleaned posts CSV to write (required)
  --disable R1,R2       rules to skip, by name
  --json                print {"input", "out", "posts", "kept", "dropped", "droppedIds", "disabled", "perRuleCounts": {rule: posts changed}}`;

/** The stable --json shape of `tweetlab clean`. */
export interface CleanJson {
  input: string;
  out: string;
  posts: number;
  kept: number;
  dropped: number;
  droppedIds: string[];
  disabled: string[];
  perRuleCounts: Record<string, number>;
}

export const command: Command = {
  name: 'clean',
  summary: 'clean posts (links, mentions, punctuation, symbols …) and save them as CSV',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('clean', argv, {
      ...INPUT_FLAGS,
      out: { type: 'string' },
      disable: { type: 'string' },
      json: { type: 'boolean' },
    });
    const out = requireFlag('clean', flags.str('out'), 'out');
    const disabled = (flags.str('disable') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    for (const name of disabled) {
      if (!CLEAN_RULE_NAMES.includes(name)) {
        throw new UsageError(`clean: --disable: unknown rule "${name}" (rules: ${CLEAN_RULE_NAMES.join(', ')})`);
      }
    }
    const corpus = await readInputCorpus(flags.str('input'), flags.str('text-column'));
    const result = cleanPosts(corpus.posts, { disabled });
    if (result.posts.length === 0) {
      throw new TweetlabError(
        `${corpus.source.name}: all ${corpus.posts.length} posts are empty after cleaning; nothing was written to ${out}`,
      );
    }
    await writePostsCsv(out, result.posts);
    if (flags.bool('json')) {
      const json: CleanJson = {
        input: corpus.source.name,
        out,
        posts: corpus.posts.length,
        kept: result.posts.length,
        dropped: result.dropped.length,
        droppedIds: result.dropped.map((p) => p.id),
        disabled,
        perRuleCounts: result.perRuleCounts,
      };
      io.out(toJson(json));
    } else {
      const width = Math.max(...Object.keys(result.perRuleCounts).map((k) => k.length));
      const perRule = Object.entries(result.perRuleCounts)
        .map(([name, n]) => `  ${name.padEnd(width)}  ${n}`)
        .join('\n');
      io.out(
        `Cleaned ${corpus.posts.length} posts from ${corpus.source.name}: kept ${result.posts.length}, ` +
          `dropped ${result.dropped.length} (empty after cleaning).\n` +
          (disabled.length > 0 ? `Rules switched off: ${disabled.join(', ')}\n` : '') +
          `Posts changed by each rule:\n${perRule}\nSaved ${out}`,
      );
    }
    return 0;
  },
};
