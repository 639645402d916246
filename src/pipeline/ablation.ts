/**
 * The ablation behind tweetlab's model: the same training, each technique added one at a time, every row scored
 * on the same held-out posts (whole posts and windows) against the 3-gram, then the BPE tokens and the mixture
 * with the 3-gram. Development posts choose every best epoch and the mixture weight; the held-out posts are only
 * scored.
 */
import { splitPostsForValidation } from '../dataset/split.js';
import { postStream } from '../dataset/stream.js';
import { KneserNeyTrigram } from '../evaluate/ngram.js';
import { scorePostsWithModel } from '../evaluate/post-scores.js';
import type { Engine } from '../model/types.js';
import type { AblationRow } from './ablation-types.js';
import { trainBpe } from '../text/bpe-train.js';
import { noisingStart, type OwnModelConfig } from './config.js';
import { ownModelConfig } from './own.js';
import { trainOwnModel, type OwnTrainHooks } from './own-train.js';
import type { PreparedRun } from './prepare.js';
import { developmentWindows, evaluateQuality, fitMixture } from './quality.js';

/** The rows: a name and the settings that row trains with (each adds one technique to the row before). */
export function ablationSteps(full: OwnModelConfig): { step: string; settings: OwnModelConfig }[] {
  const plain: OwnModelConfig = {
    ...full, tied: false, embeddingDropout: 0, inputDropout: 0, outputDropout: 0, recurrentDropout: 0, weightDecay: 0, clipNorm: 0, lrDecay: 1, averageEpochs: 0, noising: 0,
  };
  const steps: [string, Partial<OwnModelConfig>][] = [
    ['LSTM on the post stream, early stopping', {}],
    ['+ tied embeddings', { tied: full.tied }],
    ['+ embedding dropout', { embeddingDropout: full.embeddingDropout }],
    ['+ locked input/output dropout', { inputDropout: full.inputDropout, outputDropout: full.outputDropout }],
    ['+ recurrent-weight dropout', { recurrentDropout: full.recurrentDropout }],
    ['+ weight decay, gradient clipping', { weightDecay: full.weightDecay, clipNorm: full.clipNorm }],
    ['+ learning rate halved on plateau', { lrDecay: full.lrDecay }],
    ['+ average of the weights', { averageEpochs: full.averageEpochs }],
    [`+ Kneser–Ney data noising (${full.noising}, from the ${noisingStart(full)}) (= tweetlab LSTM)`, { noising: full.noising }],
  ];
  let settings = plain;
  return steps.map(([step, add]) => {
    settings = { ...settings, ...add };
    return { step, settings };
  });
}

/** Trains one ablation row's model and scores it; the last row also gets its mixture row. */
async function wordRow(step: string, settings: OwnModelConfig, prepared: PreparedRun, engine: Engine, seed: number, withMixture: boolean, hooks: OwnTrainHooks): Promise<AblationRow[]> {
  const eos = prepared.vocab.eosId as number;
  const config = ownModelConfig(settings, prepared.vocab.words.length, seed);
  const r = await trainOwnModel({ engine, model: config, settings, stream: prepared.own.stream, devPosts: prepared.own.devPosts, eosId: eos, seed }, hooks);
  const mixture = withMixture ? await fitMixture(r.model, engine, prepared, developmentWindows(prepared)) : undefined;
  const table = await evaluateQuality([{ name: step, kind: 'tweetlab', model: r.model, posts: [], ...(mixture ? { mixture: { ...mixture, posts: [] } } : {}) }], [], prepared, engine, seed);
  r.model.dispose();
  return table.rows.filter((row) => row.kind !== 'baseline').map((row) => ({
    step: row.kind === 'mixture' ? '+ mixture with the 3-gram (weight fitted on development posts)' : step,
    postPerplexity: row.postPerplexity, postRatio: row.postRatio, windowedPerplexity: row.windowedPerplexity, windowedRatio: row.windowedRatio,
    bestEpoch: r.bestEpoch, seconds: row.kind === 'mixture' ? 0 : r.seconds,
  }));
}

/**
 * The full model on BPE tokens (`merges` merges learned from the training posts). Perplexity per WORD: the total
 * log-probability of the held-out posts (their `<eos>` included) over their words plus one end per post, the
 * denominator of the word models. Windows are word windows, so this row has no windowed figure.
 */
async function bpeRow(settings: OwnModelConfig, merges: number, prepared: PreparedRun, engine: Engine, seed: number, hooks: OwnTrainHooks): Promise<AblationRow> {
  const bpe = trainBpe(prepared.trainPosts, { merges });
  const split = splitPostsForValidation(prepared.trainPosts, settings.devShare, prepared.own.devSeed, prepared.trainPosts);
  const encode = (posts: readonly (readonly string[])[]) => posts.map((w) => bpe.encodeWords(w));
  const config = ownModelConfig(settings, bpe.vocabSize, seed);
  const r = await trainOwnModel({ engine, model: config, settings, stream: postStream(encode(split.train), bpe.eosId), devPosts: encode(split.validation), eosId: bpe.eosId, seed }, hooks);
  let total = 0;
  for (const lp of scorePostsWithModel(r.model, encode(prepared.validationPosts), bpe.eosId)) for (const x of lp) total += x;
  r.model.dispose();
  const units = prepared.validationPosts.reduce((n, w) => n + w.length + 1, 0);
  const perplexity = Math.exp(-total / units);
  const kn = KneserNeyTrigram.train(prepared.trainIds, prepared.vocab.words.length, { eosId: prepared.vocab.eosId as number }).scorePosts(prepared.validationIds);
  return { step: `the same on BPE tokens (${merges} merges), per word`, postPerplexity: perplexity, postRatio: perplexity / kn.perplexity, windowedPerplexity: Number.NaN, windowedRatio: Number.NaN, bestEpoch: r.bestEpoch, seconds: r.seconds };
}

export interface AblationOptions {
  full: OwnModelConfig;
  /** BPE merges of the BPE row; 0 = no BPE row. Default 2000. */
  bpeMerges: number;
  seed: number;
  /** Called after each row (a long run shows its table as it grows). */
  onRow?: (row: AblationRow) => void;
  hooks?: OwnTrainHooks;
}

/** Every row of the ablation, in order. */
export async function runAblation(prepared: PreparedRun, engine: Engine, opts: AblationOptions): Promise<AblationRow[]> {
  const rows: AblationRow[] = [];
  const steps = ablationSteps(opts.full);
  for (let i = 0; i < steps.length; i++) {
    const { step, settings } = steps[i] as { step: string; settings: OwnModelConfig };
    for (const row of await wordRow(step, settings, prepared, engine, opts.seed, i === steps.length - 1, opts.hooks ?? {})) {
      rows.push(row);
      opts.onRow?.(row);
    }
  }
  if (opts.bpeMerges > 0) {
    const row = await bpeRow(opts.full, opts.bpeMerges, prepared, engine, opts.seed, opts.hooks ?? {});
    rows.push(row);
    opts.onRow?.(row);
  }
  return rows;
}
