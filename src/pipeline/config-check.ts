/**
 * Range checks of tweetlab's model and generation settings, so a bad value in a notebook config cell or a script
 * fails at once in one line naming the field, not minutes later inside training or a generated post.
 */
import { TweetlabError } from '../errors.js';

type Check = [field: string, ok: (v: number) => boolean, want: string];

const whole = (min: number) => (v: number) => Number.isInteger(v) && v >= min;
const share = (v: number) => v >= 0 && v < 1;
const unit = (v: number) => v >= 0 && v <= 1;

const OWN_NUMBERS: Check[] = [
  ['layers', whole(1), 'a whole number ≥ 1'],
  ['hidden', whole(1), 'a whole number ≥ 1'],
  ['embeddingDropout', share, 'from 0 to below 1'],
  ['inputDropout', share, 'from 0 to below 1'],
  ['outputDropout', share, 'from 0 to below 1'],
  ['recurrentDropout', share, 'from 0 to below 1'],
  ['seqLength', whole(1), 'a whole number ≥ 1'],
  ['batchSize', whole(1), 'a whole number ≥ 1'],
  ['learningRate', (v) => v > 0, 'above 0'],
  ['weightDecay', (v) => v >= 0, '0 or more'],
  ['noising', unit, 'a number from 0 to 1'],
  ['clipNorm', (v) => v >= 0, '0 (off) or more'],
  ['lrDecay', (v) => v > 0 && v <= 1, 'above 0 and at most 1'],
  ['averageEpochs', (v) => v >= 0, '0 (off) or more'],
  ['maxEpochs', whole(1), 'a whole number ≥ 1'],
  ['patience', whole(1), 'a whole number ≥ 1'],
  ['devShare', (v) => v > 0 && v < 1, 'above 0 and below 1'],
];

const GENERATION_NUMBERS: Check[] = [
  ['temperature', (v) => v > 0, 'above 0'],
  ['topP', (v) => v > 0 && v <= 1, 'above 0 and at most 1 (1 = off)'],
  ['topK', whole(0), 'a whole number ≥ 0 (0 = off)'],
  ['noveltyN', whole(0), 'a whole number ≥ 0 (0 = off)'],
  ['lengthCalibrationPosts', whole(0), 'a whole number ≥ 0 (0 = off)'],
];

function checkNumbers(prefix: string, settings: object, checks: readonly Check[]): void {
  for (const [field, ok, want] of checks) {
    const v = (settings as Record<string, unknown>)[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) throw new TweetlabError(`${prefix}.${field} must be ${want}, got ${JSON.stringify(v)}`);
  }
}

/**
 * Throws a one-line TweetlabError naming the first setting of tweetlab's model out of its range (`own.hidden`, …).
 * `own` is an OwnModelConfig (typed loosely: config.ts calls this). trainOwnModel runs it too, before its first epoch.
 */
export function checkOwnModelSettings(own: { optimizer: string; noisingFrom: string }): void {
  checkNumbers('own', own, OWN_NUMBERS);
  if (!['adam', 'adamw', 'rmsprop'].includes(own.optimizer)) throw new TweetlabError(`own.optimizer must be "adam", "adamw" or "rmsprop", got ${JSON.stringify(own.optimizer)}`);
  if (own.noisingFrom !== 'plateau' && own.noisingFrom !== 'start') throw new TweetlabError(`own.noisingFrom must be "plateau" or "start", got ${JSON.stringify(own.noisingFrom)}`);
}

/** checkOwnModelSettings, then the generation settings (`generation.topP`, …); `generation` is an OwnGenerationConfig. */
export function checkOwnSettings(own: { optimizer: string; noisingFrom: string }, generation: object): void {
  checkOwnModelSettings(own);
  checkNumbers('generation', generation, GENERATION_NUMBERS);
}
