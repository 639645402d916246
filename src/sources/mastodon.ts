/**
 * Mastodon, free for public posts: `GET /api/v1/accounts/lookup?acct=` then `GET /api/v1/accounts/:id/statuses`
 * paginated with `max_id` (and `since_id` for incremental updates). Status `content` is HTML; it is turned into
 * plain text here, so the rest of the pipeline sees words, not markup.
 */
import { TweetlabError, UsageError } from '../errors.js';
import type { Post } from '../types.js';
import { fetchPosts } from './fetch.js';
import { asRecord, getJson, type HttpOptions } from './http.js';
import type { FetchOptions, FetchResult, PagedSource, PageRequest, PostPage } from './paging.js';

export interface MastodonSourceOptions extends HttpOptions {
  /** Instance origin, e.g. "https://mastodon.social"; overrides the one in the handle. */
  instance?: string;
  /** Keep replies. Default: false (`exclude_replies=true`). */
  includeReplies?: boolean;
  /** Keep boosts. Default: false (`exclude_reblogs=true`). */
  includeReblogs?: boolean;
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  laquo: '«',
  raquo: '»',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  copy: '©',
  reg: '®',
  trade: '™',
};

/** Decodes HTML character references (named ones Mastodon emits, and all numeric ones). Unknown names stay. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

/**
 * Status HTML → plain text: `<br>` → newline, a paragraph break → blank line, every other tag removed (link
 * text kept, so Mastodon's split-up URLs join back), entities decoded, outer whitespace trimmed.
 */
export function htmlToText(html: string): string {
  const text = html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p(\s[^>]*)?>/gi, '\n\n')
    .replace(/<[^>]*>/g, '');
  return decodeHtmlEntities(text).trim();
}

/** Splits "user@instance" (or "@user@instance", or "https://instance/@user") into its parts. */
export function parseMastodonHandle(handle: string, instance?: string): { user: string; origin: string } {
  let h = handle.trim();
  let host: string | undefined;
  const urlMatch = /^https?:\/\/([^/]+)\/@([^/?#]+)\/?$/.exec(h);
  if (urlMatch) {
    host = urlMatch[1];
    h = urlMatch[2] as string;
  }
  h = h.replace(/^@/, '');
  const at = h.indexOf('@');
  if (at >= 0) {
    host = host ?? h.slice(at + 1);
    h = h.slice(0, at);
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(h)) throw new UsageError(`"${handle}" is not a Mastodon handle (like user@mastodon.social)`);
  let origin: string;
  if (instance) {
    origin = /^https?:\/\//.test(instance) ? instance : `https://${instance}`;
  } else if (host) {
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) throw new UsageError(`"${handle}": "${host}" is not an instance host name`);
    origin = `https://${host}`;
  } else {
    throw new UsageError(`"${handle}" has no instance: write user@instance or pass --instance URL`);
  }
  try {
    origin = new URL(origin).origin;
  } catch {
    throw new UsageError(`"${instance}" is not an instance URL`);
  }
  return { user: h, origin };
}

export function mastodonSource(handle: string, opts: MastodonSourceOptions = {}): PagedSource {
  const { user, origin } = parseMastodonHandle(handle, opts.instance);
  const host = new URL(origin).host;
  const service = `Mastodon (${host})`;
  const acct = `@${user}@${host}`;
  let accountId: string | undefined;

  async function lookup(): Promise<string> {
    if (accountId !== undefined) return accountId;
    const url = new URL('/api/v1/accounts/lookup', origin);
    url.searchParams.set('acct', user);
    const body = asRecord(await getJson(url, { service, notFound: `Mastodon account @${user} not found on ${host}`, account: acct }, opts));
    const id = body?.['id'];
    if (typeof id !== 'string' || id === '') throw new TweetlabError(`${service}: account lookup for @${user} returned no id`);
    accountId = id;
    return id;
  }

  return {
    kind: 'mastodon',
    name: `${user}@${host}`,
    supportsSinceId: true,
    async fetchPage(req: PageRequest): Promise<PostPage> {
      const id = await lookup();
      const url = new URL(`/api/v1/accounts/${encodeURIComponent(id)}/statuses`, origin);
      url.searchParams.set('limit', String(Math.min(40, Math.max(1, req.wanted)))); // the server's maximum is 40
      if (!opts.includeReplies) url.searchParams.set('exclude_replies', 'true');
      if (!opts.includeReblogs) url.searchParams.set('exclude_reblogs', 'true');
      if (req.cursor) url.searchParams.set('max_id', req.cursor);
      if (req.sinceId) url.searchParams.set('since_id', req.sinceId);
      const body = await getJson(url, { service, notFound: `Mastodon account @${user} not found on ${host}`, account: acct }, opts);
      if (!Array.isArray(body)) throw new TweetlabError(`${service} sent an unexpected reply for @${user} (statuses are not a list)`);
      const statuses = body as unknown[];
      const posts: Post[] = [];
      let lastId: string | undefined;
      for (const raw of statuses) {
        const s = asRecord(raw);
        if (!s || typeof s['id'] !== 'string') continue;
        lastId = s['id'] as string;
        if (!opts.includeReblogs && s['reblog'] !== null && s['reblog'] !== undefined) continue;
        if (!opts.includeReplies && s['in_reply_to_id'] !== null && s['in_reply_to_id'] !== undefined) continue;
        const text = typeof s['content'] === 'string' ? htmlToText(s['content'] as string) : '';
        if (text === '') continue;
        const p: Post = { id: s['id'] as string, text };
        if (typeof s['created_at'] === 'string') p.createdAt = s['created_at'] as string;
        posts.push(p);
      }
      const page: PostPage = { posts, rawCount: statuses.length };
      if (lastId !== undefined) page.next = lastId; // max_id is exclusive: the next page starts below it
      return page;
    },
  };
}

/** Fetches one Mastodon account's public posts into `fetchOpts.out`, incrementally. */
export async function fetchMastodon(
  handle: string,
  fetchOpts: FetchOptions = {},
  sourceOpts: MastodonSourceOptions = {},
): Promise<FetchResult> {
  return fetchPosts(mastodonSource(handle, sourceOpts), fetchOpts);
}
