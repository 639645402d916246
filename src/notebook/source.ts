import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { loadCorpus } from '../sources/index.js';
import { fetchTwitter } from '../sources/twitter.js';
import { fetchBluesky } from '../sources/bluesky.js';
import { fetchMastodon } from '../sources/mastodon.js';
import type { FetchProgress, FetchResult } from '../sources/fetch.js';
import type { Corpus } from '../types.js';

/**
 * Where a notebook's posts come from, as one value of its configuration cell. Network sources are fetched
 * once into a CSV under `data/` and read from there afterwards, so re-running a notebook does not hit the API
 * again (set `refresh: true` to fetch newer posts).
 */
export type SourceSpec =
  /** The State of the Union corpus shipped with the dependencies (offline). */
  | { kind: 'default'; president?: string }
  /** A Twitter user's timeline (needs TWITTER_BEARER_TOKEN in the environment). */
  | { kind: 'twitter'; user: string; out?: string; max?: number; refresh?: boolean }
  /** A Bluesky account (public API, no key). */
  | { kind: 'bluesky'; handle: string; out?: string; max?: number; refresh?: boolean }
  /** A Mastodon account, as @user@instance (public API, no key). */
  | { kind: 'mastodon'; handle: string; out?: string; max?: number; refresh?: boolean }
  /** A Twitter archive: its tweets.js (or the unpacked folder). */
  | { kind: 'archive'; path: string }
  /** A posts file: CSV with a text column, or JSONL. */
  | { kind: 'csv'; path: string; textColumn?: string };

export interface LoadSourceOptions {
  /** Folder for fetched CSVs. Default "data" (relative to the working folder). */
  dataDir?: string;
  /** Fetch progress (pages, posts). */
  onProgress?: (p: FetchProgress) => void;
}

export interface LoadedSource {
  corpus: Corpus;
  /** The file the posts were read from (undefined for the default corpus). */
  file?: string;
  /** The fetch that ran, if one did. */
  fetch?: FetchResult;
  /** One sentence on what happened (fetched, read from cache, default corpus). */
  note: string;
}

function safeName(name: string): string {
  return name.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'posts';
}

/** The CSV a network source is cached in: `out`, or `<dataDir>/<kind>-<name>.csv`. */
export function sourceCachePath(spec: SourceSpec, dataDir = 'data'): string | undefined {
  switch (spec.kind) {
    case 'twitter':
      return spec.out ?? path.join(dataDir, `twitter-${safeName(spec.user)}.csv`);
    case 'bluesky':
    case 'mastodon':
      return spec.out ?? path.join(dataDir, `${spec.kind}-${safeName(spec.handle)}.csv`);
    default:
      return undefined;
  }
}

/**
 * The corpus a configuration names. Network sources are fetched only when their cache CSV is missing or
 * `refresh` is set; an incomplete fetch (rate limit) still returns what was saved, with a note saying so.
 */
export async function loadSourceCorpus(spec: SourceSpec, opts: LoadSourceOptions = {}): Promise<LoadedSource> {
  switch (spec.kind) {
    case 'default': {
      const corpus = await loadCorpus(spec.president !== undefined ? { president: spec.president } : {});
      return { corpus, note: `default corpus: ${corpus.source.name}, ${corpus.posts.length} posts` };
    }
    case 'archive':
    case 'csv': {
      const corpus = await loadCorpus(
        spec.kind === 'csv' && spec.textColumn !== undefined
          ? { input: spec.path, textColumn: spec.textColumn }
          : { input: spec.path },
      );
      return { corpus, file: spec.path, note: `${corpus.posts.length} posts read from ${spec.path}` };
    }
    case 'twitter':
    case 'bluesky':
    case 'mastodon': {
      const file = sourceCachePath(spec, opts.dataDir)!;
      if (existsSync(file) && !spec.refresh) {
        const corpus = await loadCorpus({ input: file });
        return { corpus, file, note: `${corpus.posts.length} posts read from ${file} (fetched earlier; set refresh: true to fetch newer posts)` };
      }
      const fetchOpts = { out: file, max: spec.max, onProgress: opts.onProgress };
      const result =
        spec.kind === 'twitter'
          ? await fetchTwitter(spec.user, fetchOpts)
          : spec.kind === 'bluesky'
            ? await fetchBluesky(spec.handle, fetchOpts)
            : await fetchMastodon(spec.handle, fetchOpts);
      if (result.total === 0) {
        throw new TweetlabError(`${result.source.name}: no posts were fetched${result.message ? ` (${result.message})` : ''}.`);
      }
      const corpus = await loadCorpus({ input: file });
      const note =
        `${result.added} new posts fetched from ${result.source.name} (${result.total} in ${file})` +
        (result.complete ? '' : `; stopped early: ${result.message ?? result.stop}`);
      return { corpus, file, fetch: result, note };
    }
    default: {
      const kind = (spec as { kind?: unknown }).kind;
      throw new TweetlabError(
        `Unknown source kind ${JSON.stringify(kind)}: use default, twitter, bluesky, mastodon, archive or csv.`,
      );
    }
  }
}
