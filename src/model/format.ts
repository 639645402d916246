import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { writeFileAtomic } from '../util/fs.js';
import type { ModelConfig, NamedWeight, RecurrentState } from './types.js';
import type { io } from '@tensorflow/tfjs';

/**
 * The on-disk weight format shared by every engine: tfjs layers format (model.json + weights.bin), so a saved
 * model loads with stock `tf.loadLayersModel` in Node or a browser. This module needs no tfjs: the topology is
 * plain JSON and the weights are little-endian float32, so a non-tfjs engine can read and write the same files.
 */

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const OPTIMIZER_BIN = 'optimizer.bin';

export interface WeightSpec {
  name: string;
  shape: number[];
}

/** Layer names of the Keras model (stable, so weight names are stable). */
export function lstmLayerName(layer: number): string {
  return `lstm_${layer + 1}`;
}

/**
 * The trainable weights in canonical order: embedding, then kernel / recurrent_kernel / bias of each LSTM
 * (Keras gate order i, f, c, o along the 4·hidden axis), then the per-step dense output layer. A tied model
 * has no output/kernel of its own (it is the embedding transposed): only output/bias follows the LSTMs.
 */
export function weightSpecs(cfg: ModelConfig): WeightSpec[] {
  if (cfg.tied && cfg.embedding !== cfg.hidden) {
    throw new TweetlabError(`Model config: tied embeddings need embedding (${cfg.embedding}) equal to hidden (${cfg.hidden})`);
  }
  const specs: WeightSpec[] = [{ name: 'embedding/embeddings', shape: [cfg.vocabSize, cfg.embedding] }];
  for (let l = 0; l < cfg.layers; l++) {
    const name = lstmLayerName(l);
    const input = l === 0 ? cfg.embedding : cfg.hidden;
    specs.push({ name: `${name}/kernel`, shape: [input, 4 * cfg.hidden] });
    specs.push({ name: `${name}/recurrent_kernel`, shape: [cfg.hidden, 4 * cfg.hidden] });
    specs.push({ name: `${name}/bias`, shape: [4 * cfg.hidden] });
  }
  if (!cfg.tied) specs.push({ name: 'output/kernel', shape: [cfg.hidden, cfg.vocabSize] });
  specs.push({ name: 'output/bias', shape: [cfg.vocabSize] });
  return specs;
}

/**
 * The weights as the Keras layers model stores them: for a tied model the dense kernel is written as a copy of
 * the embedding transposed ([hidden × vocab]), so stock tfjs loads a plain Dense layer; otherwise `weights`.
 */
export function layersWeights(cfg: ModelConfig, weights: readonly NamedWeight[]): NamedWeight[] {
  if (!cfg.tied) return [...weights];
  const emb = (weights[0] as NamedWeight).values;
  const { vocabSize: V, embedding: E } = cfg;
  const kernel = new Float32Array(E * V);
  for (let v = 0; v < V; v++) for (let e = 0; e < E; e++) kernel[e * V + v] = emb[v * E + e] as number;
  const out = weights.slice(0, -1);
  out.push({ name: 'output/kernel', shape: [E, V], values: kernel }, weights[weights.length - 1] as NamedWeight);
  return out;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

const ZEROS = { class_name: 'Zeros', config: {} };

/**
 * Keras Sequential topology: Embedding → layers × (LSTM [→ Dropout]) → Dense(softmax) applied per step.
 * Initialisers are written as Zeros because the saved weights replace them on load (a stock loader would
 * otherwise run Keras' slow orthogonal initialiser first). recurrent_activation is the Keras 2 sigmoid.
 */
export function layersTopology(cfg: ModelConfig): Record<string, unknown> {
  const layers: unknown[] = [
    {
      class_name: 'Embedding',
      config: {
        name: 'embedding',
        trainable: true,
        batch_input_shape: [null, cfg.seqLength],
        dtype: 'float32',
        input_dim: cfg.vocabSize,
        output_dim: cfg.embedding,
        embeddings_initializer: ZEROS,
        embeddings_regularizer: null,
        activity_regularizer: null,
        embeddings_constraint: null,
        mask_zero: false,
        input_length: cfg.seqLength,
      },
    },
  ];
  for (let l = 0; l < cfg.layers; l++) {
    layers.push({
      class_name: 'LSTM',
      config: {
        name: lstmLayerName(l),
        trainable: true,
        units: cfg.hidden,
        activation: 'tanh',
        recurrent_activation: 'sigmoid',
        use_bias: true,
        kernel_initializer: ZEROS,
        recurrent_initializer: ZEROS,
        bias_initializer: ZEROS,
        unit_forget_bias: false,
        kernel_regularizer: null,
        recurrent_regularizer: null,
        bias_regularizer: null,
        activity_regularizer: null,
        kernel_constraint: null,
        recurrent_constraint: null,
        bias_constraint: null,
        dropout: 0,
        recurrent_dropout: 0,
        implementation: 2,
        return_sequences: true,
        return_state: false,
        go_backwards: false,
        stateful: false,
        unroll: false,
      },
    });
    if (cfg.dropout > 0) {
      layers.push({
        class_name: 'Dropout',
        config: { name: `dropout_${l + 1}`, trainable: true, rate: cfg.dropout, noise_shape: null, seed: null },
      });
    }
  }
  layers.push({
    class_name: 'Dense',
    config: {
      name: 'output',
      trainable: true,
      units: cfg.vocabSize,
      activation: 'softmax',
      use_bias: true,
      kernel_initializer: ZEROS,
      bias_initializer: ZEROS,
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  });
  return {
    class_name: 'Sequential',
    config: { name: 'tweetlab', layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
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

/** Writes model.json + weights.bin for `cfg` with the given weights (checked against `weightSpecs(cfg)`). */
export async function writeLayersModel(dir: string, cfg: ModelConfig, weights: readonly NamedWeight[]): Promise<void> {
  checkWeights(cfg, weights, dir);
  const { specs, data } = packWeights(layersWeights(cfg, weights));
  await nodeFileIO(dir).save({
    modelTopology: layersTopology(cfg),
    weightSpecs: specs,
    weightData: data.buffer as ArrayBuffer,
    format: 'layers-model',
    generatedBy: 'tweetlab',
  });
}

/**
 * Reads the weights of a saved model in canonical order, checking names and shapes against `cfg` (a tied
 * model's stored output/kernel is the embedding's transposed copy and is not read back).
 */
export async function readLayersWeights(dir: string, cfg: ModelConfig): Promise<NamedWeight[]> {
  const { specs, data } = await readLayersFiles(dir);
  const weights = unpackWeights(specs, data, path.join(dir, WEIGHTS_BIN));
  const byName = new Map(weights.map((w) => [w.name, w]));
  const ordered = weightSpecs(cfg).map((s) => {
    const w = byName.get(s.name);
    if (!w) throw new TweetlabError(`Model in ${dir} has no weight ${s.name}; it does not match its config.json`);
    return w;
  });
  checkWeights(cfg, ordered, dir);
  return ordered;
}

/** Throws a clear error when weights do not fit the config (the vocabulary size is the usual culprit). */
export function checkWeights(cfg: ModelConfig, weights: readonly NamedWeight[], where: string): void {
  const specs = weightSpecs(cfg);
  if (weights.length !== specs.length) {
    throw new TweetlabError(`Model in ${where} has ${weights.length} weights, its config needs ${specs.length}`);
  }
  specs.forEach((s, i) => {
    const w = weights[i] as NamedWeight;
    if (w.name !== s.name) throw new TweetlabError(`Model in ${where}: weight ${i} is ${w.name}, expected ${s.name}`);
    if (w.shape.join('x') !== s.shape.join('x')) {
      if (s.name === 'embedding/embeddings' || s.name.startsWith('output/')) {
        const rows = s.name === 'output/kernel' ? w.shape[1] : w.shape[0];
        throw new TweetlabError(
          `Vocabulary size mismatch in ${where}: the weights are for ${rows} words, the vocabulary/config has ${cfg.vocabSize}`,
        );
      }
      throw new TweetlabError(`Model in ${where}: weight ${s.name} has shape [${w.shape}], the config needs [${s.shape}]`);
    }
  });
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

/** The recurrent state before the first word: zero h and c for every layer (what Keras LSTMs start from). */
export function zeroRecurrentState(cfg: Pick<ModelConfig, 'layers' | 'hidden'>): RecurrentState {
  return {
    h: Array.from({ length: cfg.layers }, () => new Float32Array(cfg.hidden)),
    c: Array.from({ length: cfg.layers }, () => new Float32Array(cfg.hidden)),
  };
}
