import * as path from 'node:path';
import { UsageError } from '../errors.js';
import { BLUESKY_PUBLIC_APPVIEW } from '../sources/bluesky.js';
import type { FetchProgress } from '../sources/paging.js';
import { FETCH_KINDS, fetchRoute, isNetworkKind, type FetchKind, type FetchRouteOptions, type FetchRouteSummary } from '../sources/routes.js';
import { DEFAULT_PRESIDENT } from '../sources/sotu.js';
import { TWITTER_TIMELINE_CAP } from '../sources/twitter.js';
import { intFlag, parseFlags, toJson, type CliIO, type Command, type ParsedFlags } from './common.js';

const KINDS = FETCH_KINDS;

const usage = `Usage: tweetlab fetch <kind> <user|handle|path> [--out data/NAME.csv] [flags]

Saves posts as CSV (id,created_at,text), newest first, written atomically after every page.

Kinds:
  twitter  <username>        X API v2 timeline (3,200 most recent at most); needs TWITTER_BEARER_TOKEN
  bluesky  <handle>          public AppView, no login (e.g. alice.bsky.social)
  mastodon <user@instance>   public posts of a Mastodon account
  archive  <tweets.js|dir>…  the data/tweets.js of a "download your archive" zip (split parts are found too)
  csv      <file>            a CSV or JSONL file with a text column (--text-column)
  fortune  <file|dir>        fortune entries ≤ 280 characters (e.g. /usr/share/games/fortunes/ru of fortunes-ru)
  default  [president]       State of the Union sentences (offline; default "${DEFAULT_PRESIDENT}")

Flags:
  --out F               output CSV (default for network kinds: data/<kind>-<user>.csv; required for archive,
                        csv and fortune)
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
export type FetchSummaryJson = FetchRouteSummary;

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

/** The kind and targets from the positionals, checked for count. */
function parseTargets(positionals: string[]): { kind: FetchKind; targets: string[] } {
  const [kindArg, ...targets] = positionals;
  if (kindArg === undefined) throw new UsageError(`fetch: say what to fetch: ${KINDS.join(' | ')} (see: tweetlab fetch --help)`);
  if (!(KINDS as readonly string[]).includes(kindArg)) {
    throw new UsageError(`fetch: unknown kind "${kindArg}" (kinds: ${KINDS.join(', ')})`);
  }
  const kind = kindArg as FetchKind;
  if (kind !== 'default' && kind !== 'archive' && targets.length !== 1) {
    throw new UsageError(`fetch ${kind}: give exactly one ${kind === 'csv' ? 'file' : kind === 'fortune' ? 'file or folder' : 'account'} (got ${targets.length})`);
  }
  if (kind === 'archive' && targets.length === 0) throw new UsageError('fetch archive: give the tweets.js file(s) or the archive folder');
  if (kind === 'default' && targets.length > 1) throw new UsageError('fetch default: give at most one president name (quote it)');
  return { kind, targets };
}

/** --out, or the default file under data/ for the network kinds and the default corpus. */
function outputFile(f: ParsedFlags, kind: FetchKind, target: string | undefined): string {
  let out = f.str('out');
  if (out === undefined) {
    if (kind === 'archive' || kind === 'csv' || kind === 'fortune') throw new UsageError(`fetch ${kind}: --out is required`);
    if (kind === 'default') {
      const president = f.str('president') ?? target ?? DEFAULT_PRESIDENT;
      out = path.join('data', `sotu-${president.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}.csv`);
    } else {
      out = path.join('data', `${kind}-${safeFilePart(target as string, kind)}.csv`);
    }
  }
  if (!out.toLowerCase().endsWith('.csv')) throw new UsageError(`fetch: --out must be a .csv file, got "${out}"`);
  return out;
}

/** The route options the flags ask for. */
function routeOptions(f: ParsedFlags, kind: FetchKind, out: string, io: CliIO): FetchRouteOptions {
  const opts: FetchRouteOptions = {
    out,
    full: f.bool('full'),
    includeReplies: f.bool('include-replies'),
    includeReposts: f.bool('include-reposts') || f.bool('include-retweets'),
  };
  const max = f.str('max');
  if (isNetworkKind(kind)) {
    opts.max = intFlag('fetch', max, 'max', 3200, 1, 1_000_000);
    opts.waitOnRateLimit = !f.bool('no-wait');
    opts.maxWaitSeconds = intFlag('fetch', f.str('max-wait'), 'max-wait', 900, 0, 86_400);
    opts.onProgress = progressPrinter(io);
  } else if (max !== undefined) {
    opts.max = intFlag('fetch', max, 'max', 1, 1, 1_000_000);
  }
  const strings = { sinceId: 'since-id', instance: 'instance', appview: 'appview', textColumn: 'text-column', president: 'president' } as const;
  for (const [key, flag] of Object.entries(strings) as [keyof typeof strings, string][]) {
    const value = f.str(flag);
    if (value !== undefined) opts[key] = value;
  }
  return opts;
}

function printSummary(summary: FetchRouteSummary, io: CliIO, json: boolean): void {
  if (json) {
    io.out(toJson(summary));
    return;
  }
  const lines = [`${summary.kind} ${summary.name}: ${summary.fetched} posts fetched, ${summary.added} new, ${summary.total} saved in ${summary.out}`];
  if (summary.stop === 'caught-up') lines.push('up to date: reached posts saved earlier');
  if (summary.stop === 'max') lines.push('stopped at --max');
  io.out(lines.join('\n'));
}

export const command: Command = {
  name: 'fetch',
  summary: 'fetch posts (twitter, bluesky, mastodon, archive, csv, fortune, default) into a CSV',
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
    const { kind, targets } = parseTargets(f.positionals);
    const out = outputFile(f, kind, targets[0]);
    const summary = await fetchRoute(kind, targets, routeOptions(f, kind, out, io));
    printSummary(summary, io, f.bool('json'));
    if (!summary.complete) {
      io.err(summary.message ?? 'the fetch stopped early; run the same command again to resume');
      return 3;
    }
    return 0;
  },
};
