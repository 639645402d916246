/**
 * Core types shared by every pipeline stage. Each stage lives in its own folder under src/
 * and only talks to the others through these shapes.
 */

/** One post (tweet, skeet, toot, sentence of the default corpus). */
export interface Post {
  /** Stable id from the source (tweet id, at:// uri, status id, or a derived id for the default corpus). */
  id: string;
  /** ISO-8601 creation time when the source has one. */
  createdAt?: string;
  /** The raw text, exactly as the source gave it (after HTML → text for Mastodon). */
  text: string;
}

/** Where a corpus came from, recorded in every output. */
export interface SourceInfo {
  /** twitter | bluesky | mastodon | archive | csv | jsonl | default */
  kind: string;
  /** Human-readable origin: a username, handle, file path or "sotu:Barack Obama". */
  name: string;
  /** ISO time the posts were fetched or read. */
  fetchedAt?: string;
}

export interface Corpus {
  source: SourceInfo;
  posts: Post[];
}

/** pandas-style describe(): std uses ddof = 1, quartiles use linear interpolation. */
export interface Describe {
  count: number;
  mean: number;
  std: number;
  min: number;
  q25: number;
  q50: number;
  q75: number;
  max: number;
}

/** One cleaning rule of the report's section 3. */
export interface CleanRule {
  /** Stable name used to switch the rule off (e.g. "links", "mentions"). */
  name: string;
  /** One sentence on what it does. */
  description: string;
  apply(text: string): string;
}

export interface CleanResult {
  /** Posts that still have text after cleaning; text is the cleaned text. */
  posts: Post[];
  /** Posts that were empty after cleaning (ids kept so a reader can look them up). */
  dropped: Post[];
  /** How many posts each rule changed. */
  perRuleCounts: Record<string, number>;
}

/** Word vocabulary, sorted by count (desc) then word (asc) so ids are stable. */
export interface Vocabulary {
  words: string[];
  counts: number[];
  index: Map<string, number>;
  /** Id that encodes any word not in `words`. */
  oovId: number;
  /** Id used for padding, if the vocabulary has one. */
  padId?: number;
  /** Id of `<eos>` (end of post, and begin-of-post context), if the vocabulary has one. */
  eosId?: number;
}

/**
 * Training windows: `count` rows of `seqLength` input ids and the same number of next-word target ids
 * (targets[i, t] = the word after inputs[i, t]), row-major.
 */
export interface WindowSet {
  inputs: Int32Array;
  targets: Int32Array;
  count: number;
  seqLength: number;
  variant: 1 | 2;
  /** Variant 1: posts shorter than seqLength + 1 words, which give no window. Variant 2: always 0. */
  excludedPosts: number;
}

export type DatasetVariant = 1 | 2;
export type ModelVariant = 1 | 2 | 3;

/** A post written by a model (the generate stage writes them; training keeps them per checkpoint). */
export interface GeneratedPost {
  /** Words joined by single spaces. */
  text: string;
  words: string[];
  /** Length in words that was drawn or asked for (with `<eos>` models: the cap). */
  length: number;
  /** The start words (given or drawn). */
  start: string[];
  /** Seed of this post (derived from the options' seed and its index). */
  seed: number;
  /** Start words the vocabulary does not know (they were fed as `<unk>`). */
  unknownStart: string[];
  /** With `<eos>` models: true when the model ended the post, false when the cap did. */
  endedNaturally?: boolean;
  /** With `<eos>` models: p(`<eos>`) at each step where the post could end (for the length calibration). */
  endChances?: number[];
  /** With `<eos>` models at a temperature other than 1: the words' tempered mass at each of those steps (see DrawnPost). */
  endWordMass?: number[];
  /** Draws it took to pass `accept` (1 without it); `accepted` false when every draw was refused. */
  attempts: number;
  accepted: boolean;
}

/**
 * A chart as plain plotly JSON. Library functions return these; one renderer turns them into notebook output
 * (tslab) or into the HTML report, so every chart is built once and shown in two places.
 */
export interface Figure {
  /** plotly traces */
  data: Record<string, unknown>[];
  /** plotly layout */
  layout: Record<string, unknown>;
  /** plotly config (e.g. { responsive: true }) */
  config?: Record<string, unknown>;
}
