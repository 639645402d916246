/**
 * A model folder is input (issue 15): it may come from anyone, be damaged, or be built to hurt. Before anything
 * is allocated or read, config.json is checked against a schema (types and ranges, sizes bounded), every file
 * to be read must be a regular file inside the folder (no symlinks out, no devices or FIFOs that hang a read),
 * file sizes must match what the config promises, and SHA-256 checksums of weights.bin and optimizer.bin
 * (written by saveModel) must match.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { MODEL_JSON, OPTIMIZER_BIN, WEIGHTS_BIN, sizeOf, weightSpecs } from './format.js';
import type { ModelConfig } from './types.js';

/** Bounds: generous for any real model, small enough that nothing absurd is allocated. */
export const LIMITS = {
  layers: 16,
  width: 16_384, // hidden units, embedding width
  vocabSize: 5_000_000,
  seqLength: 1_000,
  parameters: 400_000_000, // floats in weights.bin (1.6 GB)
  epochs: 1_000_000,
  batchSize: 1_000_000,
  wordsPerPost: 10_000, // longest post length a sampler may draw
  posts: 10_000_000, // posts counted in wordsPerPost (the sampler expands them)
  jsonBytes: 256 * 1024 * 1024, // config.json, vocab.json, model.json
  endScale: 20, // factor on p(<eos>) within [1/20, 20]: beyond that the model, not the length, is the problem
} as const;

type Json = Record<string, unknown>;

class Checker {
  constructor(private readonly file: string) {}
  fail(field: string, what: string): never {
    throw new TweetlabError(`${this.file}: ${field} ${what}`);
  }
  object(v: unknown, field: string): Json {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be an object');
    return v as Json;
  }
  int(v: unknown, field: string, min: number, max: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return v;
  }
  num(v: unknown, field: string, min: number, max: number, maxOpen = false): number {
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && (maxOpen ? v < max : v <= max);
    if (!ok) this.fail(field, `must be a number from ${min} to ${maxOpen ? 'below ' : ''}${max}, got ${JSON.stringify(v)}`);
    return v as number;
  }
  /** A number or null (NaN and ±Infinity are saved as null). */
  numOrNull(v: unknown, field: string): void {
    if (v !== null && v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) this.fail(field, `must be a number or null, got ${JSON.stringify(v)}`);
  }
  oneOf<T>(v: unknown, field: string, allowed: readonly T[]): T {
    if (!allowed.includes(v as T)) this.fail(field, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
  str(v: unknown, field: string): string {
    if (typeof v !== 'string') this.fail(field, 'must be a string');
    return v;
  }
  array(v: unknown, field: string, max: number): unknown[] {
    if (!Array.isArray(v)) this.fail(field, 'must be a list');
    if (v.length > max) this.fail(field, `has ${v.length} entries, at most ${max} are allowed`);
    return v;
  }
  optional(obj: Json, key: string, check: (v: unknown) => void): void {
    if (obj[key] !== undefined) check(obj[key]);
  }
}

/** Floats of every weight of a model config (the same shapes as weightSpecs in format.ts). */
export function parameterCount(m: { layers: number; hidden: number; embedding: number; vocabSize: number; tied?: boolean }): number {
  let n = m.vocabSize * m.embedding;
  for (let l = 0; l < m.layers; l++) {
    const input = l === 0 ? m.embedding : m.hidden;
    n += input * 4 * m.hidden + m.hidden * 4 * m.hidden + 4 * m.hidden;
  }
  return n + (m.tied ? 0 : m.hidden * m.vocabSize) + m.vocabSize;
}

const DROPOUTS = ['dropout', 'embeddingDropout', 'inputDropout', 'outputDropout', 'recurrentDropout'] as const;
const OPTIMIZERS = ['rmsprop', 'adam', 'adamw'] as const;

function checkModel(c: Checker, raw: unknown): void {
  const m = c.object(raw, 'model');
  c.oneOf(m['variant'], 'model.variant', [1, 2, 3]);
  c.int(m['layers'], 'model.layers', 1, LIMITS.layers);
  c.int(m['hidden'], 'model.hidden', 1, LIMITS.width);
  c.int(m['embedding'], 'model.embedding', 1, LIMITS.width);
  c.int(m['vocabSize'], 'model.vocabSize', 1, LIMITS.vocabSize);
  c.int(m['seqLength'], 'model.seqLength', 1, LIMITS.seqLength);
  c.int(m['seed'], 'model.seed', 0, 2 ** 32 - 1);
  c.optional(m, 'initializer', (v) => c.str(v, 'model.initializer'));
  for (const k of DROPOUTS) c.optional(m, k, (v) => c.num(v, `model.${k}`, 0, 1, true));
  if (m['dropout'] === undefined) c.fail('model.dropout', 'is missing');
  c.optional(m, 'tied', (v) => c.oneOf(v, 'model.tied', [true, false]));
  if (m['tied'] === true && m['hidden'] !== m['embedding']) c.fail('model.tied', 'needs model.hidden equal to model.embedding');
  const params = parameterCount(m as unknown as Parameters<typeof parameterCount>[0]);
  if (params > LIMITS.parameters) c.fail('model', `has ${params} parameters, more than the ${LIMITS.parameters} tweetlab loads`);
}

function checkTrain(c: Checker, raw: unknown): void {
  const t = c.object(raw, 'train');
  c.int(t['epochs'], 'train.epochs', 1, LIMITS.epochs);
  c.int(t['batchSize'], 'train.batchSize', 1, LIMITS.batchSize);
  c.oneOf(t['optimizer'], 'train.optimizer', OPTIMIZERS);
  c.num(t['learningRate'], 'train.learningRate', 0, 10);
  for (const [i, e] of c.array(t['checkpoints'], 'train.checkpoints', 100_000).entries()) c.int(e, `train.checkpoints[${i}]`, 0, LIMITS.epochs);
  c.num(t['validationShare'], 'train.validationShare', 0, 1, true);
  c.int(t['seed'], 'train.seed', 0, 2 ** 32 - 1);
  c.optional(t, 'windowsPerEpoch', (v) => c.int(v, 'train.windowsPerEpoch', 0, Number.MAX_SAFE_INTEGER));
  c.optional(t, 'weightDecay', (v) => c.num(v, 'train.weightDecay', 0, 1));
  c.optional(t, 'clipNorm', (v) => c.num(v, 'train.clipNorm', 0, 1e6));
}

/** Total floats of the optimiser slots, after checking their layout. */
function checkOptimizer(c: Checker, raw: unknown): number {
  if (raw === null || raw === undefined) return 0;
  const o = c.object(raw, 'optimizer');
  const s = c.object(o['settings'], 'optimizer.settings');
  c.oneOf(s['kind'], 'optimizer.settings.kind', OPTIMIZERS);
  c.num(s['learningRate'], 'optimizer.settings.learningRate', 0, 10);
  for (const k of ['rho', 'beta1', 'beta2']) c.optional(s, k, (v) => c.num(v, `optimizer.settings.${k}`, 0, 1, true));
  c.optional(s, 'epsilon', (v) => c.num(v, 'optimizer.settings.epsilon', 0, 1));
  c.optional(s, 'weightDecay', (v) => c.num(v, 'optimizer.settings.weightDecay', 0, 1));
  c.optional(s, 'clipNorm', (v) => c.num(v, 'optimizer.settings.clipNorm', 0, 1e6));
  c.int(o['iterations'], 'optimizer.iterations', 0, Number.MAX_SAFE_INTEGER);
  let floats = 0;
  for (const [i, raw2] of c.array(o['slots'], 'optimizer.slots', 10_000).entries()) {
    const slot = c.object(raw2, `optimizer.slots[${i}]`);
    c.str(slot['name'], `optimizer.slots[${i}].name`);
    const shape = c.array(slot['shape'], `optimizer.slots[${i}].shape`, 8).map((d, k) => c.int(d, `optimizer.slots[${i}].shape[${k}]`, 0, LIMITS.parameters));
    floats += shape.reduce((a, b) => a * b, 1);
    if (floats > 3 * LIMITS.parameters) c.fail('optimizer.slots', 'are larger than any model tweetlab loads');
  }
  return floats;
}

function checkHistory(c: Checker, raw: unknown): void {
  for (const [i, r] of c.array(raw, 'history', LIMITS.epochs).entries()) {
    const h = c.object(r, `history[${i}]`);
    c.int(h['epoch'], `history[${i}].epoch`, 0, LIMITS.epochs);
    for (const k of ['loss', 'valLoss', 'valPerplexity', 'seconds']) c.numOrNull(h[k], `history[${i}].${k}`);
  }
}

function checkWordsPerPost(c: Checker, raw: unknown): void {
  const w = c.object(raw, 'wordsPerPost');
  let posts = 0;
  for (const [k, v] of Object.entries(w)) {
    if (!/^\d+$/.test(k) || Number(k) > LIMITS.wordsPerPost) c.fail('wordsPerPost', `has a length of ${JSON.stringify(k)} words; lengths are whole numbers up to ${LIMITS.wordsPerPost}`);
    posts += c.int(v, `wordsPerPost["${k}"]`, 0, LIMITS.posts);
    if (posts > LIMITS.posts) c.fail('wordsPerPost', `counts more than ${LIMITS.posts} posts`);
  }
}

/** What the schema promises about the folder's binary files. */
export interface ConfigFacts {
  /** Bytes weights.bin must have (float32). */
  weightsBytes: number;
  /** Bytes optimizer.bin must have, 0 when there is no optimiser state. */
  optimizerBytes: number;
}

/** Checks a parsed config.json against the schema; throws one line naming the file and the field. */
export function validateModelConfig(raw: unknown, file: string): ConfigFacts {
  const c = new Checker(file);
  const cfg = c.object(raw, 'the config');
  checkModel(c, cfg['model']);
  c.optional(cfg, 'train', (v) => checkTrain(c, v));
  c.int(cfg['epoch'], 'epoch', 0, LIMITS.epochs);
  c.optional(cfg, 'history', (v) => checkHistory(c, v));
  const slotFloats = checkOptimizer(c, cfg['optimizer']);
  for (const k of ['engine', 'backend', 'savedAt']) c.optional(cfg, k, (v) => c.str(v, k));
  c.optional(cfg, 'wordsPerPost', (v) => checkWordsPerPost(c, v));
  c.optional(cfg, 'modelNumber', (v) => c.int(v, 'modelNumber', 1, 4));
  c.optional(cfg, 'dataset', (v) => c.oneOf(v, 'dataset', [1, 2]));
  c.optional(cfg, 'interruptedAfterBatch', (v) => c.int(v, 'interruptedAfterBatch', 0, Number.MAX_SAFE_INTEGER));
  c.optional(cfg, 'extra', (v) => c.object(v, 'extra'));
  c.optional(cfg, 'endScale', (v) => c.num(v, 'endScale', 1 / LIMITS.endScale, LIMITS.endScale));
  c.optional(cfg, 'resumePosition', (v) => {
    const r = c.object(v, 'resumePosition');
    c.int(r['epoch'], 'resumePosition.epoch', 1, LIMITS.epochs);
    c.int(r['batch'], 'resumePosition.batch', 0, Number.MAX_SAFE_INTEGER);
    c.num(r['lossSum'], 'resumePosition.lossSum', 0, Number.MAX_VALUE);
    c.int(r['windows'], 'resumePosition.windows', 0, Number.MAX_SAFE_INTEGER);
    c.int(r['shuffleSeed'], 'resumePosition.shuffleSeed', 0, 2 ** 32 - 1);
  });
  c.optional(cfg, 'split', (v) => {
    const sp = c.object(v, 'split');
    c.int(sp['baseSeed'], 'split.baseSeed', 0, 2 ** 32 - 1);
    c.int(sp['seed'], 'split.seed', 0, 2 ** 32 - 1);
    c.num(sp['validationShare'], 'split.validationShare', 0, 1, true);
    c.optional(sp, 'unknownShare', (u) => c.num(u, 'split.unknownShare', 0, 1));
    c.optional(sp, 'repeatsToTraining', (r) => c.oneOf(r, 'split.repeatsToTraining', [true, false]));
  });
  c.optional(cfg, 'checksums', (v) => {
    const sums = c.object(v, 'checksums');
    for (const [k, s] of Object.entries(sums)) if (typeof s !== 'string' || !/^[0-9a-f]{64}$/.test(s)) c.fail(`checksums.${k}`, 'must be a SHA-256 in hex');
  });
  const model = cfg['model'] as ModelConfig;
  // A tied model's weights.bin also holds the output kernel (the transposed embedding) so stock tfjs loads it.
  const tiedCopy = model.tied ? model.embedding * model.vocabSize : 0;
  const weightFloats = weightSpecs(model).reduce((n, w) => n + sizeOf(w.shape), 0) + tiedCopy;
  return { weightsBytes: 4 * weightFloats, optimizerBytes: 4 * slotFloats };
}

/**
 * Checks that `file` is a regular file inside `dir` (lstat: a symlink, device, FIFO or folder is refused) and
 * at most `maxBytes` long; returns its size. A missing file is left to the reader (undefined), which names it.
 */
export async function checkModelFile(dir: string, file: string, maxBytes: number): Promise<number | undefined> {
  const rel = path.relative(path.resolve(dir), path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new TweetlabError(`${file} is outside the model folder ${dir}`);
  let st;
  try {
    st = await fsp.lstat(file);
  } catch {
    return undefined;
  }
  if (st.isSymbolicLink()) throw new TweetlabError(`${file} is a symbolic link; a model folder must hold its files itself`);
  if (!st.isFile()) throw new TweetlabError(`${file} is not a regular file (a device, FIFO or folder); refusing to read it`);
  if (st.size > maxBytes) throw new TweetlabError(`${file} is ${st.size} bytes, more than the ${maxBytes} a model folder may hold here`);
  return st.size;
}

/** SHA-256 of a file, hex. */
export async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await fsp.readFile(file)).digest('hex');
}

/** Throws when `file`'s SHA-256 is not `expected` (a changed or damaged file). */
export async function verifyChecksum(file: string, expected: string): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new TweetlabError(`${file} does not match the SHA-256 in its config.json: the file was changed or damaged since it was saved`);
  }
}

/** The weight files model.json names (its weightsManifest paths); undefined when model.json is unreadable. */
async function manifestPaths(dir: string): Promise<string[] | undefined> {
  const file = path.join(dir, MODEL_JSON);
  if ((await checkModelFile(dir, file, LIMITS.jsonBytes)) === undefined) return undefined;
  try {
    const json = JSON.parse(await fsp.readFile(file, 'utf8')) as { weightsManifest?: { paths?: unknown }[] };
    const paths = (json.weightsManifest ?? []).flatMap((g) => (Array.isArray(g?.paths) ? g.paths : []));
    if (!paths.every((p) => typeof p === 'string')) return undefined;
    const folder = path.resolve(dir);
    for (const p of paths as string[]) {
      const rel = path.relative(folder, path.resolve(folder, p));
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined; // the layers reader refuses it
    }
    return (paths as string[]).map((p) => path.join(dir, p));
  } catch {
    return undefined; // the layers reader names what is wrong with it
  }
}

/**
 * Checks a model folder's binary files against its validated config before they are read: regular files
 * inside the folder, and no larger than the config needs (nothing absurd is read into memory). Smaller files
 * are left to the readers, which say how they are truncated or which vocabulary size they fit.
 */
export async function checkModelFolder(dir: string, facts: ConfigFacts, opts: { optimizer: boolean }): Promise<void> {
  const paths = (await manifestPaths(dir)) ?? [];
  let total = 0;
  for (const p of paths) total += (await checkModelFile(dir, p, Number.MAX_SAFE_INTEGER)) ?? 0;
  if (total > facts.weightsBytes) {
    throw new TweetlabError(`${path.join(dir, WEIGHTS_BIN)}: the weights are ${total} bytes, more than the ${facts.weightsBytes} its config.json needs: the folder is damaged or mixed`);
  }
  if (opts.optimizer && facts.optimizerBytes > 0) {
    const file = path.join(dir, OPTIMIZER_BIN);
    const size = await checkModelFile(dir, file, Number.MAX_SAFE_INTEGER);
    if (size !== undefined && size > facts.optimizerBytes) {
      throw new TweetlabError(`${file} is ${size} bytes, more than the ${facts.optimizerBytes} its config.json needs: the folder is damaged or mixed`);
    }
  }
}

/**
 * Verifies the SHA-256 of `name` in `dir` against config.json's checksums (after the file was read and found
 * well-formed, so a structural fault keeps its own message). Returns a warning for a folder saved before
 * checksums existed, which loads unverified.
 */
export async function verifyModelChecksum(dir: string, raw: unknown, name: string): Promise<string | undefined> {
  const sums = (raw as { checksums?: Record<string, string> }).checksums;
  const file = path.join(dir, name);
  const expected = sums?.[name];
  if (!expected) return `${file} has no checksum in config.json (saved by an older tweetlab): loaded without verifying it`;
  await verifyChecksum(file, expected);
  return undefined;
}
