import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import type { ModelConfig, NamedWeight, RecurrentState } from './types.js';
import { WEIGHTS_BIN, nodeFileIO, packWeights, readLayersFiles, unpackWeights } from './weight-files.js';

/**
 * The on-disk weight format shared by every engine: tfjs layers format (model.json + weights.bin), so a saved
 * model loads with stock `tf.loadLayersModel` in Node or a browser. This module needs no tfjs: the topology is
 * plain JSON and the weights are little-endian float32, so a non-tfjs engine can read and write the same files.
 * The bytes on disk are read and written by `weight-files.ts`.
 */

export {
  MODEL_JSON,
  OPTIMIZER_BIN,
  WEIGHTS_BIN,
  nodeFileIO,
  packWeights,
  readLayersFiles,
  readOptimizerSlots,
  sizeOf,
  unpackWeights,
  writeOptimizerSlots,
  type LayersArtifacts,
} from './weight-files.js';

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

const ZEROS = { class_name: 'Zeros', config: {} };

/**
 * Keras Sequential topology: Embedding → layers × (LSTM [→ Dropout]) → Dense(softmax) applied per step.
 * Initialisers are written as Zeros because the saved weights replace them on load (a stock loader would
 * otherwise run Keras' slow orthogonal initialiser first). recurrent_activation is the Keras 2 sigmoid.
 */
export function layersTopology(cfg: ModelConfig): Record<string, unknown> {
  const layers: unknown[] = [embeddingLayer(cfg)];
  for (let l = 0; l < cfg.layers; l++) {
    layers.push(lstmLayer(cfg, l));
    if (cfg.dropout > 0) {
      layers.push({
        class_name: 'Dropout',
        config: { name: `dropout_${l + 1}`, trainable: true, rate: cfg.dropout, noise_shape: null, seed: null },
      });
    }
  }
  layers.push(denseLayer(cfg));
  return {
    class_name: 'Sequential',
    config: { name: 'tweetlab', layers },
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

function embeddingLayer(cfg: ModelConfig): Record<string, unknown> {
  return {
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
  };
}

/** LSTM layer `l` (0-based), returning every step's output for the next layer. */
function lstmLayer(cfg: ModelConfig, l: number): Record<string, unknown> {
  return {
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
  };
}

/** The softmax output layer over the vocabulary. */
function denseLayer(cfg: ModelConfig): Record<string, unknown> {
  return {
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
  };
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

/** The recurrent state before the first word: zero h and c for every layer (what Keras LSTMs start from). */
export function zeroRecurrentState(cfg: Pick<ModelConfig, 'layers' | 'hidden'>): RecurrentState {
  return {
    h: Array.from({ length: cfg.layers }, () => new Float32Array(cfg.hidden)),
    c: Array.from({ length: cfg.layers }, () => new Float32Array(cfg.hidden)),
  };
}
