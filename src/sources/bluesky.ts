/**
 * Bluesky, free and without login: `app.bsky.feed.getAuthorFeed` on the public AppView, cursor pagination.
 * Replies are left out by the server (`filter=posts_no_replies`) and reposts by us (items whose `reason` is a
 * repost), unless asked otherwise. Post ids are the `at://` URIs.
 */
import { TweetlabError, UsageError } from '../errors.js';
import type { Post } from '../types.js';
import { fetchPosts } from './fetch.js';
import { asRecord, getJson, type HttpOptions } from './http.js';
import type { FetchOptions, FetchResult, PagedSource, PageRequest, PostPage } from './paging.js';

export const BLUESKY_PUBLIC_APPVIEW = 'https://public.api.bsky.app';

export interface BlueskySourceOptions extends HttpOptions {
  /** Keep replies (`filter=posts_with_replies`). Default: false (`posts_no_replies`). */
  includeReplies?: boolean;
  /** Keep reposts of other accounts' posts. Default: false. */
  includeReposts?: boolean;
  /** AppView origin. Default: https://public.api.bsky.app (tests pass a local server). */
  baseUrl?: string;
}

/** A handle ("alice.bsky.social", "@alice.bsky.social") or a DID ("did:plc:…"), checked and without "@". */
export function normalizeBlueskyActor(actor: string): string {
  const a = actor.trim().replace(/^@/, '');
  const isDid = /^did:[a-z]+:[A-Za-z0-9._:%-]+$/.test(a);
  const isHandle = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/.test(a);
  if (!isDid && !isHandle) {
    throw new UsageError(`"${actor}" is not a Bluesky handle (like alice.bsky.social) or DID (did:plc:…)`);
  }
  return a;
}

function isRepost(item: Record<string, unknown>): boolean {
  const reason = asRecord(item['reason']);
  return typeof reason?.['$type'] === 'string' && (reason['$type'] as string).endsWith('#reasonRepost');
}

export function blueskySource(actor: string, opts: BlueskySourceOptions = {}): PagedSource {
  const name = normalizeBlueskyActor(actor);
  const base = (opts.baseUrl ?? BLUESKY_PUBLIC_APPVIEW).replace(/\/+$/, '');
  return {
    kind: 'bluesky',
    name,
    supportsSinceId: false,
    async fetchPage(req: PageRequest): Promise<PostPage> {
      const url = new URL(`${base}/xrpc/app.bsky.feed.getAuthorFeed`);
      url.searchParams.set('actor', name);
      url.searchParams.set('limit', String(Math.min(100, Math.max(1, req.wanted))));
      url.searchParams.set('filter', opts.includeReplies ? 'posts_with_replies' : 'posts_no_replies');
      if (req.cursor) url.searchParams.set('cursor', req.cursor);
      const body = asRecord(
        await getJson(url, { service: 'Bluesky', notFound: `Bluesky account ${name} not found`, account: name }, opts),
      );
      if (!Array.isArray(body?.['feed'])) {
        throw new TweetlabError(`Bluesky sent an unexpected reply for ${name} (no "feed" list in getAuthorFeed)`);
      }
      const feed = body?.['feed'] as unknown[];
      const posts: Post[] = [];
      for (const raw of feed) {
        const item = asRecord(raw);
        const post = asRecord(item?.['post']);
        const record = asRecord(post?.['record']);
        if (!item || !post || !record || typeof post['uri'] !== 'string') continue;
        if (!opts.includeReposts && isRepost(item)) continue;
        if (!opts.includeReplies && (item['reply'] !== undefined || record['reply'] !== undefined)) continue;
        const text = record['text'];
        if (typeof text !== 'string' || text.trim() === '') continue; // image-only posts have no words to learn
        const p: Post = { id: post['uri'] as string, text };
        const created = record['createdAt'] ?? post['indexedAt'];
        if (typeof created === 'string') p.createdAt = created;
        posts.push(p);
      }
      const page: PostPage = { posts, rawCount: feed.length };
      const cursor = body?.['cursor'];
      if (typeof cursor === 'string' && cursor !== '' && feed.length > 0) page.next = cursor;
      return page;
    },
  };
}

/** Fetches one Bluesky account's posts into `fetchOpts.out`, incrementally. */
export async function fetchBluesky(
  actor: string,
  fetchOpts: FetchOptions = {},
  sourceOpts: BlueskySourceOptions = {},
): Promise<FetchResult> {
  return fetchPosts(blueskySource(actor, sourceOpts), fetchOpts);
}
