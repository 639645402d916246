/**
 * What the page carries and what its parts say to each other: the payload the writer embeds (model, weights,
 * kernels, vocabulary, lengths, training-run hashes, facts to show) and the messages between the page and its
 * generation worker. Types only, shared by the Node writer and both browser bundles.
 */
import type { EncodedWeights } from './quantize.js';

export interface PageMetrics {
  /** Held-out per-word perplexity of this model. */
  perplexity: number;
  /** The n-gram baseline's perplexity on the same held-out posts, when known. */
  baselinePerplexity?: number;
  /** Name of that baseline (default "Kneser–Ney 3-gram"). */
  baselineName?: string;
}

/** Facts the page states about the model it runs. */
export interface PageInfo {
  title: string;
  /** Dataset variant of the training windows (1 = inside posts, 2 = joined), when known. */
  dataset: number | null;
  /** Model variant (1 = stacked LSTMs, 2 = with dropout, 3 = tied output). */
  variant: number;
  epochs: number;
  layers: number;
  hidden: number;
  embedding: number;
  vocabSize: number;
  metrics: PageMetrics | null;
  /** Weight precision shipped and, for a quantised one, the note on what it changes. */
  precision: EncodedWeights['precision'];
  /** The command that reproduces the page's posts. */
  cliHint: string;
  /** The temperature and top-p the page starts with: as `tweetlab generate` samples this model. */
  temperature: number;
  topP: number;
}

export interface PagePayload {
  info: PageInfo;
  model: { layers: number; hidden: number; embedding: number; vocabSize: number; tied?: boolean };
  weights: EncodedWeights;
  /** base64 of the kernels module (unshared memory import). */
  kernels: string;
  /** vocab.json as saved. */
  vocab: unknown;
  /**
   * How the model ends a post, as `tweetlab generate` decides: null for the report's models (drawn lengths), else
   * the factor on p(<eos>) (config.json's `endScale`, or 1) of tweetlab's own model, which writes until <eos>.
   */
  endScale: number | null;
  /** config.json's words-per-post counts, or null (then only fixed lengths). */
  wordsPerPost: Record<string, number> | null;
  /** Hashes of the training posts' runs of 1…6 words, or null (then "new posts only" is unavailable). */
  runs: { count: number; data: string } | null;
  /** The worker's source (the page starts it from a Blob URL, so file:// works). */
  workerSource: string;
}

export interface GenerateSettings {
  start: string;
  temperature: number;
  topK: number;
  topP: number;
  /** Fixed length in words, or null to draw lengths from the account's posts. */
  length: number | null;
  count: number;
  seed: number;
  /** Keep only posts that copy no run of 6 words of a training post. */
  newOnly: boolean;
}

export type ToWorker = { type: 'init'; payload: Omit<PagePayload, 'workerSource' | 'info'> } | { type: 'generate'; settings: GenerateSettings };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'unknown'; words: string[] }
  | { type: 'word'; post: number; word: string }
  | { type: 'post'; post: number; text: string; kept: boolean; copied: { length: number; words: string[] } | null }
  | { type: 'done'; generated: number; kept: number }
  | { type: 'error'; message: string }
  /** Events gathered over a few milliseconds: one message instead of thousands keeps the page responsive. */
  | { type: 'batch'; events: FromWorker[] };
