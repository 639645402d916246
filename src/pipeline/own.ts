/**
 * Stage 3b: tweetlab's own model — build its config, train it on the post stream with early stopping, save
 * the best epoch as a model folder (weights, vocabulary and config together).
 */
import * as path from 'node:path';
import { lengthCounts } from '../generate/generate.js';
import { INITIALIZER } from '../model/init.js';
import { saveModel } from '../model/io.js';
import type { Engine, ModelConfig } from '../model/types.js';
import { deriveSeed } from '../random.js';
import type { OwnModelConfig } from './config.js';
import { trainOwnModel, type OwnTrainHooks, type OwnTrainResult } from './own-train.js';
import type { PreparedRun } from './prepare.js';

/** Name of tweetlab's own model in tables, reports and generated.csv. */
export const OWN_MODEL_NAME = 'tweetlab LSTM';
/** Its folder under `<run>/models/`. */
export const OWN_MODEL_DIR = 'tweetlab';

/** The engine-level config of the own model (variant 3) for a vocabulary of `vocabSize` ids. */
export function ownModelConfig(own: OwnModelConfig, vocabSize: number, seed: number): ModelConfig {
  return {
    variant: 3,
    layers: own.layers,
    hidden: own.hidden,
    embedding: own.hidden,
    dropout: 0,
    vocabSize,
    seqLength: own.seqLength,
    initializer: INITIALIZER,
    seed: deriveSeed(seed, 'own-init'),
    tied: own.tied,
    embeddingDropout: own.embeddingDropout,
    inputDropout: own.inputDropout,
    outputDropout: own.outputDropout,
    recurrentDropout: own.recurrentDropout,
  };
}

export interface TrainedOwn extends OwnTrainResult {
  config: ModelConfig;
  /** The saved model folder (best epoch), or null without a run folder. */
  dir: string | null;
  seeds: { model: number; train: number };
}

/** Trains the own model of a prepared run and saves its best epoch to `<runDir>/models/tweetlab/`. */
export async function trainOwnStage(
  prepared: PreparedRun,
  own: OwnModelConfig,
  engine: Engine,
  opts: { seed: number; runDir: string | null; hooks?: OwnTrainHooks },
): Promise<TrainedOwn> {
  const config = ownModelConfig(own, prepared.vocab.words.length, opts.seed);
  const trainSeed = deriveSeed(opts.seed, 'own-train');
  const result = await trainOwnModel(
    { engine, model: config, settings: own, stream: prepared.own.stream, devPosts: prepared.own.devPosts, eosId: prepared.vocab.eosId as number, seed: trainSeed },
    opts.hooks ?? {},
  );
  const dir = opts.runDir === null ? null : path.join(opts.runDir, 'models', OWN_MODEL_DIR);
  if (dir !== null) {
    await saveModel(dir, result.model, prepared.vocab, {
      epoch: result.bestEpoch,
      history: result.history.map(({ learningRate: _lr, ...r }) => r),
      wordsPerPost: lengthCounts(prepared.wordsPerPost),
      extra: { model: OWN_MODEL_NAME, endOfPost: true, bestEpoch: result.bestEpoch, devPerplexity: result.bestDevPerplexity, settings: own },
    });
  }
  return { ...result, config, dir, seeds: { model: config.seed, train: trainSeed } };
}
