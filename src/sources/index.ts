/**
 * Sources: where posts come from. `loadCorpus` is the one entry point the pipeline uses; the fetchers fill
 * `data/*.csv` files from the networks.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { Corpus } from '../types.js';
import { readArchive, type ArchiveOptions } from './archive.js';
import { readFortunes } from './fortune.js';
import { readPostsFile } from './files.js';
import { parseCorpusSpec } from './spec.js';
import { DEFAULT_PRESIDENT, loadSotuCorpus } from './sotu.js';

export {
  POSTS_CSV_HEADER,
  formatPostsCsv,
  parsePostsCsv,
  parsePostsJsonl,
  readPostsFile,
  writePostsCsv,
  type ReadPostsOptions,
} from './files.js';
export { fetchPosts } from './fetch.js';
export { DEFAULT_USER_AGENT, RateLimitedError, getJson, parseResetHeader, type HttpOptions } from './http.js';
export { fetchStatePath, mergePosts, newestNumericId } from './incremental.js';
export type { FetchOptions, FetchProgress, FetchResult, FetchStop, PagedSource, PageRequest, PostPage } from './paging.js';
export {
  TWITTER_TIMELINE_CAP,
  fetchTwitter,
  normalizeTwitterUsername,
  twitterSource,
  type TwitterSourceOptions,
} from './twitter.js';
export {
  BLUESKY_PUBLIC_APPVIEW,
  blueskySource,
  fetchBluesky,
  normalizeBlueskyActor,
  type BlueskySourceOptions,
} from './bluesky.js';
export {
  decodeHtmlEntities,
  fetchMastodon,
  htmlToText,
  mastodonSource,
  parseMastodonHandle,
  type MastodonSourceOptions,
} from './mastodon.js';
export { isCorpusSpec, parseCorpusSpec, type CorpusSpec } from './spec.js';
export { parseFortunes, readFortunes, type FortuneOptions } from './fortune.js';
export { archiveDateToIso, parseArchiveText, readArchive, type ArchiveOptions } from './archive.js';
export {
  DEFAULT_PRESIDENT,
  POST_MAX_CHARS,
  loadSotuCorpus,
  sotuPresidents,
  sotuSizes,
  splitSentences,
  type SotuOptions,
  type SotuSize,
} from './sotu.js';

export interface LoadCorpusOptions {
  /**
   * A posts file (.csv, .jsonl, .ndjson), a Twitter archive file (.js), an unpacked archive folder, or a corpus
   * spec `sotu:<president>` / `fortune:<file or folder>` (see parseCorpusSpec).
   * Default: none → the State of the Union corpus.
   */
  input?: string;
  /** President for the default corpus. Default: "Barack Obama". */
  president?: string;
  /** Text column (CSV) or key (JSONL). Default: "text". */
  textColumn?: string;
  /** Filters for archive input. Default: replies and retweets left out. */
  archive?: ArchiveOptions;
}

/**
 * The corpus the pipeline works on: the default SOTU corpus when no input is given, a president's or a fortune
 * corpus for a `sotu:` / `fortune:` spec, else the file (or archive) named by `input`, chosen by its extension.
 */
export async function loadCorpus(opts: LoadCorpusOptions = {}): Promise<Corpus> {
  if (opts.input === undefined || opts.input === '') {
    return loadSotuCorpus({ president: opts.president ?? DEFAULT_PRESIDENT });
  }
  const spec = parseCorpusSpec(opts.input);
  if (spec.kind === 'sotu') return loadSotuCorpus({ president: spec.president });
  if (spec.kind === 'fortune') return readFortunes(spec.path);
  const input = spec.path;
  const ext = path.extname(input).toLowerCase();
  const isDir = await fsp.stat(input).then((s) => s.isDirectory(), () => false);
  if (ext === '.js' || isDir) return readArchive(input, opts.archive);
  return readPostsFile(input, opts.textColumn !== undefined ? { textColumn: opts.textColumn } : {});
}
