/**
 * The fetch routes by kind, independent of the command line: the network sources walk their pages into the
 * output CSV; files and the default corpus are read whole and merged into it the same way (one per id).
 */
import { TweetlabError } from '../errors.js';
import type { Post } from '../types.js';
import { fileExists } from '../util/fs.js';
import { readArchive } from './archive.js';
import { fetchBluesky } from './bluesky.js';
import { readFortunes } from './fortune.js';
import { readPostsFile, writePostsCsv } from './files.js';
import { mergePosts } from './incremental.js';
import { fetchMastodon } from './mastodon.js';
import type { FetchOptions, FetchProgress, FetchStop } from './paging.js';
import { DEFAULT_PRESIDENT, loadSotuCorpus } from './sotu.js';
import { fetchTwitter } from './twitter.js';
import { withFileClaim } from '../util/lock.js';

export const FETCH_KINDS = ['twitter', 'bluesky', 'mastodon', 'archive', 'csv', 'fortune', 'default'] as const;
export type FetchKind = (typeof FETCH_KINDS)[number];
export type NetworkKind = 'twitter' | 'bluesky' | 'mastodon';

export function isNetworkKind(kind: FetchKind): kind is NetworkKind {
  return kind === 'twitter' || kind === 'bluesky' || kind === 'mastodon';
}

export interface FetchRouteOptions {
  /** The CSV to merge into. */
  out: string;
  /** Most posts to add (network) or to take from the file (files). Default: 3200 (network), all (files). */
  max?: number;
  /** Replace `out` instead of merging into it. Default: false. */
  full?: boolean;
  /** Network: only posts newer than this id. Default: the newest post of `out`. */
  sinceId?: string;
  /** Keep replies. Default: false. */
  includeReplies?: boolean;
  /** Keep reposts, retweets and boosts. Default: false. */
  includeReposts?: boolean;
  /** Network: wait for a rate-limit reset. Default: false. */
  waitOnRateLimit?: boolean;
  /** Network: longest wait for a reset, seconds. Default: 900. */
  maxWaitSeconds?: number;
  /** Mastodon instance, overriding the one in the handle. */
  instance?: string;
  /** Bluesky AppView origin. */
  appview?: string;
  /** Text column (CSV) or key (JSONL) of a csv route. Default: "text". */
  textColumn?: string;
  /** President of the default route (the target takes its place when given). */
  president?: string;
  onProgress?: (p: FetchProgress) => void;
}

/** What a route did; the `--json` shape of `tweetlab fetch`. */
export interface FetchRouteSummary {
  kind: FetchKind;
  name: string;
  out: string;
  fetched: number;
  added: number;
  total: number;
  pages: number;
  complete: boolean;
  /** Why a network walk stopped, or "file" for the routes that read a whole file. */
  stop: FetchStop | 'file';
  message?: string;
}

/** Runs the `kind` route for `targets` (one account or file; archive parts; an optional president). */
export async function fetchRoute(kind: FetchKind, targets: readonly string[], opts: FetchRouteOptions): Promise<FetchRouteSummary> {
  // Issue 15: one writer per CSV; a second fetch into the same file is refused, naming the first (util/lock.ts).
  return withFileClaim(opts.out, `fetch ${kind}`, () =>
    isNetworkKind(kind) ? fetchNetwork(kind, targets[0] as string, opts) : fetchFile(kind, targets, opts),
  );
}

async function fetchNetwork(kind: NetworkKind, name: string, opts: FetchRouteOptions): Promise<FetchRouteSummary> {
  const fetchOpts: FetchOptions = {
    out: opts.out,
    max: opts.max ?? 3200,
    incremental: !opts.full,
    waitOnRateLimit: opts.waitOnRateLimit ?? false,
    maxWaitSeconds: opts.maxWaitSeconds ?? 900,
  };
  if (opts.onProgress) fetchOpts.onProgress = opts.onProgress;
  if (opts.sinceId !== undefined) fetchOpts.sinceId = opts.sinceId;
  const includeReplies = opts.includeReplies ?? false;
  const includeReposts = opts.includeReposts ?? false;
  const result =
    kind === 'twitter'
      ? await fetchTwitter(name, fetchOpts, { excludeReplies: !includeReplies, excludeRetweets: !includeReposts })
      : kind === 'bluesky'
        ? await fetchBluesky(name, fetchOpts, { includeReplies, includeReposts, ...(opts.appview ? { baseUrl: opts.appview } : {}) })
        : await fetchMastodon(name, fetchOpts, { includeReplies, includeReblogs: includeReposts, ...(opts.instance ? { instance: opts.instance } : {}) });
  const { fetched, added, total, pages, complete, stop } = result;
  const summary: FetchRouteSummary = { kind, name: result.source.name, out: opts.out, fetched, added, total, pages, complete, stop };
  if (result.message) summary.message = result.message;
  return summary;
}

/** The posts of a file route and the name they go by. */
async function readRoute(kind: Exclude<FetchKind, NetworkKind>, targets: readonly string[], opts: FetchRouteOptions): Promise<{ posts: Post[]; name: string }> {
  if (kind === 'archive') {
    const corpus = await readArchive([...targets], { excludeReplies: !opts.includeReplies, excludeRetweets: !opts.includeReposts });
    return { posts: corpus.posts, name: corpus.source.name };
  }
  if (kind === 'fortune') {
    const corpus = await readFortunes(targets[0] as string);
    return { posts: corpus.posts, name: corpus.source.name };
  }
  if (kind === 'csv') {
    const file = targets[0] as string;
    const corpus = await readPostsFile(file, opts.textColumn ? { textColumn: opts.textColumn } : {});
    return { posts: corpus.posts, name: file };
  }
  const corpus = loadSotuCorpus({ president: opts.president ?? targets[0] ?? DEFAULT_PRESIDENT });
  return { posts: corpus.posts, name: corpus.source.name };
}

/** Files and the default corpus: read everything, merge into `out` like the network sources do. */
async function fetchFile(kind: Exclude<FetchKind, NetworkKind>, targets: readonly string[], opts: FetchRouteOptions): Promise<FetchRouteSummary> {
  const read = await readRoute(kind, targets, opts);
  let posts = read.posts;
  if (posts.length === 0) {
    const why = kind === 'archive' ? ' (replies and retweets are left out unless --include-replies/--include-reposts)' : '';
    throw new TweetlabError(`${read.name}: no posts to save${why}; nothing was written to ${opts.out}`);
  }
  if (opts.max !== undefined) posts = posts.slice(0, opts.max);
  // Merge by id into `out` (unless `full`), like the network sources, in one atomic write.
  const existing = !opts.full && (await fileExists(opts.out)) ? (await readPostsFile(opts.out)).posts : [];
  const existingIds = new Set(existing.map((p) => p.id));
  const merged = mergePosts(posts, existing);
  await writePostsCsv(opts.out, merged);
  return {
    kind,
    name: read.name,
    out: opts.out,
    fetched: posts.length,
    added: new Set(posts.filter((p) => !existingIds.has(p.id)).map((p) => p.id)).size,
    total: merged.length,
    pages: 1,
    complete: true,
    stop: 'file',
  };
}
