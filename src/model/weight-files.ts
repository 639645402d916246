/**
 * The files of a saved model as bytes: model.json with its weights manifest, weights.bin and optimizer.bin
 * (little-endian float32), read and written with one clear error per failure. No tfjs needed; `format.ts`
 * says what the weights and the topology are.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { NamedWeight } from './types.js';
import type { io } from '@tensorflow/tfjs';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const OPTIMIZER_BIN = 'optimizer.bin';

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Concatenates named weights into one little-endian float32 buffer with its manifest entries. */
export function packWeights(weights: readonly NamedWeight[]): {
  specs: { name: string; shape: number[]; dtype: 'float32' }[];
  data: Uint8Array;
} {
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const flat = new Float32Array(total);
  let offset = 0;
  const specs = weights.map((w) => {
    if (w.values.length !== sizeOf(w.shape)) {
      throw new TweetlabError(`Weight ${w.name} has ${w.values.length} values, its shape [${w.shape}] needs ${sizeOf(w.shape)}`);
    }
    flat.set(w.values, offset);
    offset += w.values.length;
    return { name: w.name, shape: [...w.shape], dtype: 'float32' as const };
  });
  return { specs, data: new Uint8Array(flat.buffer) };
}

/** Splits a float32 buffer back into named weights following `specs`. */
export function unpackWeights(
  specs: readonly { name: string; shape: number[]; dtype?: string }[],
  data: Uint8Array,
  file: string,
): NamedWeight[] {
  const needed = specs.reduce((n, s) => n + sizeOf(s.shape), 0) * 4;
  if (data.byteLength !== needed) {
    throw new TweetlabError(
      `Weights file ${file} is corrupted or truncated: it has ${data.byteLength} bytes, the manifest needs ${needed}`,
    );
  }
  // Copy into an aligned buffer: a Buffer from fs may start at an odd offset inside a pool.
  const aligned = new Float32Array(data.byteLength / 4);
  new Uint8Array(aligned.buffer).set(data);
  let offset = 0;
  return specs.map((s) => {
    if (s.dtype !== undefined && s.dtype !== 'float32') {
      throw new TweetlabError(`Weights file ${file}: weight ${s.name} has dtype ${s.dtype}, only float32 is supported`);
    }
    const n = sizeOf(s.shape);
    const values = aligned.slice(offset, offset + n);
    offset += n;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new TweetlabError(`Weights file ${file} is corrupted: weight ${s.name} holds a non-finite value`);
      }
    }
    return { name: s.name, shape: [...s.shape], values };
  });
}

/** The parts of tfjs' ModelArtifacts this module reads and writes (tfjs' own type is structurally compatible). */
export interface LayersArtifacts {
  modelTopology?: unknown;
  weightSpecs?: { name: string; shape: number[]; dtype: string }[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
}

/**
 * A tfjs IOHandler over the local file system (tfjs-node's file:// handler is absent without tfjs-node):
 * `tf.loadLayersModel(nodeFileIO(dir))` and `model.save(nodeFileIO(dir))` both work with it.
 */
export function nodeFileIO(dir: string): io.IOHandler & {
  save(artifacts: LayersArtifacts | io.ModelArtifacts): Promise<io.SaveResult>;
  load(): Promise<io.ModelArtifacts>;
} {
  return {
    async save(artifacts: LayersArtifacts | io.ModelArtifacts) {
      const buffers = artifacts.weightData === undefined ? [] : ([] as ArrayBuffer[]).concat(artifacts.weightData);
      const total = buffers.reduce((n, b) => n + b.byteLength, 0);
      const data = new Uint8Array(total);
      let offset = 0;
      for (const b of buffers) {
        data.set(new Uint8Array(b), offset);
        offset += b.byteLength;
      }
      await writeFileAtomic(path.join(dir, WEIGHTS_BIN), data);
      const modelJson = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'tweetlab',
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson) + '\n');
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };
    },
    async load() {
      const { topology, specs, data } = await readLayersFiles(dir);
      const weightData = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
      return {
        modelTopology: topology as object,
        weightSpecs: specs as io.WeightsManifestEntry[],
        weightData,
        format: 'layers-model',
      };
    },
  };
}

interface ModelJson {
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

/** Reads model.json and its weight files, with one clear error per failure. */
export async function readLayersFiles(
  dir: string,
): Promise<{ topology: unknown; specs: { name: string; shape: number[]; dtype: string }[]; data: Uint8Array }> {
  const jsonFile = path.join(dir, MODEL_JSON);
  let text: string;
  try {
    text = await fsp.readFile(jsonFile, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TweetlabError(`Model file not found: ${jsonFile}`);
    throw new TweetlabError(`Cannot read ${jsonFile}: ${errorMessage(err)}`);
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch {
    throw new TweetlabError(`Model file ${jsonFile} is corrupted (not valid JSON)`);
  }
  if (!Array.isArray(json.weightsManifest) || json.modelTopology === undefined) {
    throw new TweetlabError(`Model file ${jsonFile} is not a tfjs layers model (no modelTopology or weightsManifest)`);
  }
  const specs: { name: string; shape: number[]; dtype: string }[] = [];
  const parts: Uint8Array[] = [];
  const folder = path.resolve(dir);
  for (const group of json.weightsManifest) {
    if (group === null || typeof group !== 'object' || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new TweetlabError(`Model file ${jsonFile} has a malformed weightsManifest (each entry needs "paths" and "weights" lists)`);
    }
    for (const p of group.paths) {
      // model.json is input: a weights path must stay inside the model folder (no "../", no absolute path).
      const file = typeof p === 'string' ? path.resolve(folder, p) : '';
      const rel = path.relative(folder, file);
      if (file === '' || rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
        throw new TweetlabError(`Model file ${jsonFile} names a weights file outside its folder: ${JSON.stringify(p)}`);
      }
      try {
        parts.push(await fsp.readFile(file));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TweetlabError(`Weights file not found: ${file}`);
        throw new TweetlabError(`Cannot read weights file ${file}: ${errorMessage(err)}`);
      }
    }
    specs.push(...group.weights);
  }
  const total = parts.reduce((n, b) => n + b.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const b of parts) {
    data.set(b, offset);
    offset += b.byteLength;
  }
  return { topology: json.modelTopology, specs, data };
}

/** Optimiser slots are stored as one float32 file whose layout config.json records. */
export async function writeOptimizerSlots(dir: string, slots: readonly NamedWeight[]): Promise<{ name: string; shape: number[] }[]> {
  const { specs, data } = packWeights(slots);
  await writeFileAtomic(path.join(dir, OPTIMIZER_BIN), data);
  return specs.map((s) => ({ name: s.name, shape: s.shape }));
}

export async function readOptimizerSlots(dir: string, specs: readonly { name: string; shape: number[] }[]): Promise<NamedWeight[]> {
  const file = path.join(dir, OPTIMIZER_BIN);
  let data: Uint8Array;
  try {
    data = await fsp.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new TweetlabError(`Optimizer state file not found: ${file}`);
    throw new TweetlabError(`Cannot read ${file}: ${errorMessage(err)}`);
  }
  return unpackWeights(specs, data, file);
}
