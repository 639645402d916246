/**
 * The contract between a network source and the fetch loop: a source fetches one page
 * (`PagedSource.fetchPage`); `fetchPosts` walks the pages and reports with these types.
 */
import type { Post, SourceInfo } from '../types.js';

/** One page of a source, newest post first. */
export interface PostPage {
  /** Posts kept after the source's own filters (replies, reposts, empty text). */
  posts: Post[];
  /** Items the page held before filtering (for progress reports). */
  rawCount: number;
  /** Cursor of the next (older) page; undefined at the end of the timeline. */
  next?: string;
}

export interface PageRequest {
  /** Cursor returned by the previous page; undefined for the newest page. */
  cursor?: string;
  /** How many posts are still wanted (a source may ask for fewer or more per request). */
  wanted: number;
  /** Only posts newer than this id, for sources whose API can filter by id (Twitter, Mastodon). */
  sinceId?: string;
}

/** A paginated source of posts, newest first. */
export interface PagedSource {
  /** twitter | bluesky | mastodon */
  kind: string;
  /** Account the posts come from, as the user wrote it (username, handle). */
  name: string;
  /** True when `PageRequest.sinceId` is honoured by the server. */
  supportsSinceId: boolean;
  fetchPage(req: PageRequest): Promise<PostPage>;
}

/** Progress events, for a CLI line or a notebook cell. */
export type FetchProgress =
  | { type: 'page'; page: number; received: number; added: number; total: number }
  | { type: 'wait'; seconds: number; until: string }
  | { type: 'resume'; cursor: string };

export interface FetchOptions {
  /** CSV file to merge into and save after every page. Default: none (posts are only returned). */
  out?: string;
  /** Most posts to add in this run. Default: 3200. */
  max?: number;
  /** Read `out` (when it exists), fetch only newer posts and merge. Default: true. */
  incremental?: boolean;
  /** Stop at this id (exclusive); defaults to the newest numeric id of `out` when incremental. */
  sinceId?: string;
  /** On 429, sleep until the reset time when it is at most `maxWaitSeconds` away. Default: false. */
  waitOnRateLimit?: boolean;
  /** Longest wait for a rate-limit reset, in seconds. Default: 900 (one Twitter window). */
  maxWaitSeconds?: number;
  /** Waits in a row for one page before giving up. Default: 3. */
  maxRetries?: number;
  /** Injected for tests. Default: setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Injected for tests. Default: Date.now. */
  now?: () => number;
  onProgress?: (p: FetchProgress) => void;
}

/** Why a fetch stopped. */
export type FetchStop =
  /** The timeline has no older page. */
  | 'end'
  /** `max` posts were added. */
  | 'max'
  /** Reached posts already saved (incremental update). */
  | 'caught-up'
  /** The server's rate limit stopped the fetch; what was fetched is saved and the next run resumes. */
  | 'rate-limited';

export interface FetchResult {
  source: SourceInfo;
  /** The output file, when one was given. */
  out?: string;
  /** Posts received in this run after the source's filters, including already-saved ones at the boundary. */
  fetched: number;
  /** Posts that were not in `out` before. */
  added: number;
  /** Posts in the result (and in `out`). */
  total: number;
  /** Pages requested successfully. */
  pages: number;
  /** False when the fetch stopped early (rate limit); re-running resumes it. */
  complete: boolean;
  stop: FetchStop;
  /** One sentence for the user when `complete` is false. */
  message?: string;
  /** All posts, newest first, merged with the previous content of `out`. */
  posts: Post[];
}
