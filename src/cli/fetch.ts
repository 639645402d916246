import * as path from 'node:path';
import { TweetlabError, UsageError } from '../errors.js';
import type { Post } from '../types.js';
import { readArchive } from '../sources/archive.js';
import { BLUESKY_PUBLIC_APPVIEW, fetchBluesky } from '../sources/bluesky.js';
import type { FetchOptions, FetchProgress, FetchResult } from '../sources/fetch.js';
import { mergePosts } from '../sources/incremental.js';
import { fileExists } from '../util/fs.js';
import { readPostsFile, writePostsCsv } from '../sources/files.js';
import { fetchMastodon } from '../sources/mastodon.js';
import { DEFAULT_PRESIDENT, loadSotuCorpus } from '../sources/sotu.js';
import { fetchTwitter, TWITTER_TIMELINE_CAP } from '../sources/twitter.js';
import { intFlag, parseFlags, toJson, type CliIO, type Command } from './common.js';

const KINDS = ['twitter', 'bluesky', 'mastodon', 'archive', 'csv', 'default'] as const;
type Kind = (typeof KINDS)[number];

const usage = `Usage: tweetlab fetch <kind> <user|handle|path> [--out data/NAME.csv] [flags]

Saves posts as CSV (id,created_at,text), newest first, written atomically after every page.

Kinds:
  twitter  <username>        X API v2 timeline (3,200 most recent at most); needs TWITTER_BEARER_TOKEN
  bluesky  <handle>          public AppView, no login (e.g. alice.bsky.social)
  mastodon <user@instance>   public posts of a Mastodon account
  archive  <tweets.js|dir>…  the data/tweets.js of a "download your archive" zip (split parts are found too)
  csv      <file>            a CSV or JSONL file with a text column (--text-column)
  default  [president]       State of the Union sentences (offline; default "${DEFAULT_PRESIDENT}")

Flags:
  --out F               output CSV (default for network kinds: data/<kind>-<user>.csv; required for archive/csv)
  --max N               most posts to add in this run (default 3200; twitter caps at ${TWITTER_TIMELINE_CAP})
  --since-id ID         only posts newer than ID (default when --out exists: its newest post)
  --full                ignore an existing --out file and replace it (no incremental update)
  --include-replies     keep replies (left out by default)
  --include-reposts     keep retweets/reposts/boosts (left out by default); --include-retweets is the same
  --no-wait             on a rate limit (HTTP 429) stop at once instead of waiting for the reset
  --max-wait S          longest wait for a rate-limit reset, seconds (default 900)
  --instance URL        Mastodon instance (overrides the one in the handle)
  --appview URL         Bluesky AppView (default ${BLUESKY_PUBLIC_APPVIEW})
  --text-column C       text column/key for csv (default "text")
  --president NAME      president for default (same as the positional)
  --json                print a JSON summary:
      {"kind","name","out","fetched","added","total","pages","complete","stop","message"?}
      stop is "end" | "max" | "caught-up" | "rate-limited" | "file"; complete is false only when rate-limited
      (exit code 3: what was fetched is saved, and running the same command again resumes).`;

/** The stable --json shape of `tweetlab fetch`. */
export interface FetchSummaryJson {
  kind: Kind;
  name: string;
  out: string;
  fetched: number;
  added: number;
  total: number;
  pages: number;
  complete: boolean;
  stop: FetchResult['stop'] | 'file';
  message?: string;
}

/** A user name used inside a file name: refuses anything that could leave `data/`. */
function safeFilePart(value: string, kind: string): string {
  if (value === '' || /[\\/]/.test(value) || value.includes('..') || /[\0:*?"<>|]/.test(value.replace(/@[^@]*$/, ''))) {
    throw new UsageError(`fetch ${kind}: "${value}" cannot name the output file; pass --out data/NAME.csv`);
  }
  return value.replace(/^@/, '');
}

function progressPrinter(io: CliIO): (p: FetchProgress) => void {
  return (p) => {
    if (p.type === 'wait') io.err(`rate limited: waiting ${p.seconds} s (until ${p.until})`);
    else if (p.type === 'resume') io.err('resuming an unfinished fetch');
    else if (io.isTTY) io.err(`page ${p.page}: ${p.received} received, ${p.added} new, ${p.total} saved`);
  };
}

export const command: Command = {
  name: 'fetch',
  summary: 'fetch posts (twitter, bluesky, mastodon, archive, csv, default) into a CSV',
  usage,
  async run(argv, io) {
    const f = parseFlags('fetch', argv, {
      out: { type: 'string' },
      max: { type: 'string' },
      'since-id': { type: 'string' },
      full: { type: 'boolean' },
      'include-replies': { type: 'boolean' },
      'include-reposts': { type: 'boolean' },
      'include-retweets': { type: 'boolean' },
      'no-wait': { type: 'boolean' },
      'max-wait': { type: 'string' },
      instance: { type: 'string' },
      appview: { type: 'string' },
      'text-column': { type: 'string' },
      president: { type: 'string' },
      json: { type: 'boolean' },
    });
    const [kindArg, ...targets] = f.positionals;
    if (kindArg === undefined) throw new UsageError(`fetch: say what to fetch: ${KINDS.join(' | ')} (see: tweetlab fetch --help)`);
    if (!(KINDS as readonly string[]).includes(kindArg)) {
      throw new UsageError(`fetch: unknown kind "${kindArg}" (kinds: ${KINDS.join(', ')})`);
    }
    const kind = kindArg as Kind;
    const target = targets[0];
    if (kind !== 'default' && kind !== 'archive' && targets.length !== 1) {
      throw new UsageError(`fetch ${kind}: give exactly one ${kind === 'csv' ? 'file' : 'account'} (got ${targets.length})`);
    }
    if (kind === 'archive' && targets.length === 0) throw new UsageError('fetch archive: give the tweets.js file(s) or the archive folder');
    if (kind === 'default' && targets.length > 1) throw new UsageError('fetch default: give at most one president name (quote it)');

    const includeReplies = f.bool('include-replies');
    const includeReposts = f.bool('include-reposts') || f.bool('include-retweets');
    const json = f.bool('json');
    let out = f.str('out');
    if (out === undefined) {
      if (kind === 'archive' || kind === 'csv') throw new UsageError(`fetch ${kind}: --out is required`);
      if (kind === 'default') {
        const president = f.str('president') ?? target ?? DEFAULT_PRESIDENT;
        out = path.join('data', `sotu-${president.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.csv`);
      } else {
        out = path.join('data', `${kind}-${safeFilePart(target as string, kind)}.csv`);
      }
    }
    if (!out.toLowerCase().endsWith('.csv')) throw new UsageError(`fetch: --out must be a .csv file, got "${out}"`);

    let summary: FetchSummaryJson;
    if (kind === 'twitter' || kind === 'bluesky' || kind === 'mastodon') {
      const fetchOpts: FetchOptions = {
        out,
        max: intFlag('fetch', f.str('max'), 'max', 3200, 1, 1_000_000),
        incremental: !f.bool('full'),
        waitOnRateLimit: !f.bool('no-wait'),
        maxWaitSeconds: intFlag('fetch', f.str('max-wait'), 'max-wait', 900, 0, 86_400),
        onProgress: progressPrinter(io),
      };
      const since = f.str('since-id');
      if (since !== undefined) fetchOpts.sinceId = since;
      const name = target as string;
      let result: FetchResult;
      if (kind === 'twitter') {
        result = await fetchTwitter(name, fetchOpts, { excludeReplies: !includeReplies, excludeRetweets: !includeReposts });
      } else if (kind === 'bluesky') {
        const appview = f.str('appview');
        result = await fetchBluesky(name, fetchOpts, { includeReplies, includeReposts, ...(appview ? { baseUrl: appview } : {}) });
      } else {
        const instance = f.str('instance');
        result = await fetchMastodon(name, fetchOpts, { includeReplies, includeReblogs: includeReposts, ...(instance ? { instance } : {}) });
      }
      summary = {
        kind,
        name: result.source.name,
        out,
        fetched: result.fetched,
        added: result.added,
        total: result.total,
        pages: result.pages,
        complete: result.complete,
        stop: result.stop,
      };
      if (result.message) summary.message = result.message;
    } else {
      // Files and the default corpus: read everything, merge into --out like the network sources do.
      let posts: Post[];
      let name: string;
      if (kind === 'archive') {
        const corpus = await readArchive(targets, { excludeReplies: !includeReplies, excludeRetweets: !includeReposts });
        posts = corpus.posts;
        name = corpus.source.name;
      } else if (kind === 'csv') {
        const textColumn = f.str('text-column');
        const corpus = await readPostsFile(target as string, textColumn ? { textColumn } : {});
        posts = corpus.posts;
        name = target as string;
      } else {
        const corpus = loadSotuCorpus({ president: f.str('president') ?? target ?? DEFAULT_PRESIDENT });
        posts = corpus.posts;
        name = corpus.source.name;
      }
      if (posts.length === 0) {
        const why = kind === 'archive' ? ' (replies and retweets are left out unless --include-replies/--include-reposts)' : '';
        throw new TweetlabError(`${name}: no posts to save${why}; nothing was written to ${out}`);
      }
      const maxFlag = f.str('max');
      if (maxFlag !== undefined) posts = posts.slice(0, intFlag('fetch', maxFlag, 'max', posts.length, 1, 1_000_000));
      // Merge by id into --out (unless --full), like the network sources, in one atomic write.
      const existing = !f.bool('full') && (await fileExists(out)) ? (await readPostsFile(out)).posts : [];
      const existingIds = new Set(existing.map((p) => p.id));
      const merged = mergePosts(posts, existing);
      await writePostsCsv(out, merged);
      summary = {
        kind,
        name,
        out,
        fetched: posts.length,
        added: new Set(posts.filter((p) => !existingIds.has(p.id)).map((p) => p.id)).size,
        total: merged.length,
        pages: 1,
        complete: true,
        stop: 'file',
      };
    }

    if (json) io.out(toJson(summary));
    else {
      const lines = [
        `${summary.kind} ${summary.name}: ${summary.fetched} posts fetched, ${summary.added} new, ${summary.total} saved in ${summary.out}`,
      ];
      if (summary.stop === 'caught-up') lines.push('up to date: reached posts saved earlier');
      if (summary.stop === 'max') lines.push('stopped at --max');
      io.out(lines.join('\n'));
    }
    if (!summary.complete) {
      io.err(summary.message ?? 'the fetch stopped early; run the same command again to resume');
      return 3;
    }
    return 0;
  },
};
