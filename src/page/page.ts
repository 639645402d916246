import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { readLayersWeights } from '../model/format.js';
import { readModelConfig, type ModelFileConfig } from '../model/config-file.js';
import { readModelVocabulary } from '../model/io.js';
import { savedModelSampling } from '../pipeline/generate.js';
import { vocabularyToJson } from '../text/tokenize.js';
import { writeFileAtomic } from '../util/fs.js';
import { pageScripts } from './bundle.js';
import { renderPage } from './html.js';
import { browserKernels } from './kernels.js';
import { encodeHashSet, trainingRunHashes } from './ngrams.js';
import type { PageInfo, PageMetrics, PagePayload } from './protocol.js';
import { WEIGHT_PRECISIONS, bytesToBase64, encodeWeights, type WeightPrecision } from './quantize.js';

/**
 * `writeModelPage` writes one self-contained index.html that writes posts with a saved model in the browser:
 * weights, vocabulary, length distribution, kernels and scripts are all inside the file.
 */

export const PAGE_FILE = 'index.html';

export interface WriteModelPageOptions {
  /** A model folder saved by tweetlab (model.json, weights.bin, vocab.json, config.json). */
  modelDir: string;
  /** Folder to write index.html into (created when missing). */
  outDir: string;
  /** Heading of the page. Default: the model number and epoch, or the folder name. */
  title?: string;
  /**
   * Weight precision shipped. Default float32: the only one whose posts equal `tweetlab generate`'s bit for bit
   * (float16 halves the weights and moved held-out perplexity by far less than 1% when measured; see the README).
   */
  precision?: WeightPrecision;
  /** Held-out perplexity and the baseline's; default: the last validation perplexity in config.json. */
  metrics?: PageMetrics;
  /** The training posts as words (cleaned, tokenized): enables "new posts only". Only hashes are shipped. */
  trainingPosts?: readonly (readonly string[])[];
}

export interface WrittenPage {
  file: string;
  bytes: number;
  precision: WeightPrecision;
  /** Bytes of the page taken by the weights (base64) and by the training-run hashes (0 without posts). */
  weightBytes: number;
  runBytes: number;
  /** Distinct training runs of 1…6 words hashed. */
  runs: number;
}

function defaultTitle(config: ModelFileConfig, dir: string): string {
  if (config.modelNumber !== undefined) return `Model ${config.modelNumber} after ${config.epoch} epochs`;
  return `Model ${path.basename(path.resolve(dir))} after ${config.epoch} epochs`;
}

function defaultMetrics(config: ModelFileConfig): PageMetrics | null {
  for (let i = config.history.length - 1; i >= 0; i--) {
    const p = config.history[i]?.valPerplexity;
    if (typeof p === 'number' && Number.isFinite(p)) return { perplexity: p };
  }
  return null;
}

function pageInfo(config: ModelFileConfig, opts: WriteModelPageOptions, precision: WeightPrecision, sampling: { temperature: number; topP: number }): PageInfo {
  const m = config.model;
  return {
    title: opts.title ?? defaultTitle(config, opts.modelDir),
    dataset: config.dataset ?? null,
    variant: m.variant,
    epochs: config.epoch,
    layers: m.layers,
    hidden: m.hidden,
    embedding: m.embedding,
    vocabSize: m.vocabSize,
    metrics: opts.metrics ?? defaultMetrics(config),
    precision,
    // The folder's name only: a page put online should not tell where the model sat on someone's disk.
    cliHint: `tweetlab generate --model ${path.basename(path.resolve(opts.modelDir))} --backend fast-wasm`,
    temperature: sampling.temperature,
    topP: sampling.topP,
  };
}

/** Reads the model folder with the library's loaders and builds everything the page carries. */
export async function buildPagePayload(opts: WriteModelPageOptions): Promise<PagePayload> {
  const precision = opts.precision ?? 'float32';
  if (!WEIGHT_PRECISIONS.includes(precision)) {
    throw new TweetlabError(`precision must be one of ${WEIGHT_PRECISIONS.join(', ')}, got ${String(precision)}`);
  }
  const config = await readModelConfig(opts.modelDir);
  const vocab = await readModelVocabulary(opts.modelDir);
  if (vocab.words.length !== config.model.vocabSize) {
    throw new TweetlabError(
      `Vocabulary size mismatch in ${opts.modelDir}: vocab.json has ${vocab.words.length} words, the model was trained with ${config.model.vocabSize}`,
    );
  }
  const weights = await readLayersWeights(opts.modelDir, config.model);
  const runs = opts.trainingPosts ? trainingRunHashes(opts.trainingPosts) : null;
  const { layers, hidden, embedding, vocabSize } = config.model;
  const [kernels, scripts] = await Promise.all([browserKernels(), pageScripts()]);
  // The page starts where `tweetlab generate` starts with this model (for tweetlab's own: until <eos>, top-p, its factor).
  const sampling = savedModelSampling(vocab, config);
  return {
    info: pageInfo(config, opts, precision, sampling),
    model: { layers, hidden, embedding, vocabSize, ...(config.model.tied ? { tied: true } : {}) },
    weights: encodeWeights(
      weights.map((w) => w.values),
      weights.map((w) => w.shape),
      precision,
    ),
    kernels: bytesToBase64(kernels),
    vocab: vocabularyToJson(vocab),
    endScale: sampling.endScale,
    wordsPerPost: config.wordsPerPost && Object.keys(config.wordsPerPost).length > 0 ? config.wordsPerPost : null,
    runs: runs ? { count: runs.length, data: encodeHashSet(runs) } : null,
    workerSource: scripts.worker,
  };
}

/** Writes `outDir/index.html` for the model in `modelDir`; returns its path and size. */
export async function writeModelPage(opts: WriteModelPageOptions): Promise<WrittenPage> {
  const payload = await buildPagePayload(opts);
  const { ui } = await pageScripts();
  const html = renderPage(payload, ui);
  const file = path.join(opts.outDir, PAGE_FILE);
  await fsp.mkdir(opts.outDir, { recursive: true });
  const bytes = Buffer.from(html, 'utf8');
  await writeFileAtomic(file, bytes);
  return {
    file,
    bytes: bytes.byteLength,
    precision: payload.info.precision,
    weightBytes: payload.weights.data.length + (payload.weights.scales?.length ?? 0),
    runBytes: payload.runs?.data.length ?? 0,
    runs: payload.runs?.count ?? 0,
  };
}
