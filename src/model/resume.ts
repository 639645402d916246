/**
 * What `--resume` must restore beyond the weights and optimiser state (issue 15): where an interrupted epoch
 * stopped, and the seeds and split the model was trained with.
 */
import { TweetlabError } from '../errors.js';
import type { ModelFileConfig } from './config-file.js';

/** The saved position inside epoch `firstEpoch`, if the folder was saved by an interrupt inside that epoch. */
export function resumePositionFor(saved: ModelFileConfig | undefined, firstEpoch: number): ModelFileConfig['resumePosition'] {
  const p = saved?.resumePosition;
  return p && p.epoch === firstEpoch && p.batch > 0 ? p : undefined;
}

/**
 * The base seed and held-out share a resumed run must use: the saved ones. A --seed or --validation-share
 * that differs is refused (it would split the posts differently and leak held-out posts into training).
 * Folders saved before the split was recorded keep the flags' values. (Folders saved before repeats went to
 * training, without `split.repeatsToTraining`, keep their repeats held out: see trainingData in cli/train-run.ts.)
 */
export function resumedSplit(
  dir: string,
  saved: ModelFileConfig,
  given: { seed?: number; validationShare?: number },
): { baseSeed: number; validationShare: number } | undefined {
  const split = saved.split;
  if (!split) return undefined;
  if (given.seed !== undefined && given.seed !== split.baseSeed) {
    throw new TweetlabError(
      `${dir} was trained with --seed ${split.baseSeed}; a resumed model keeps its seeds and its held-out posts, so leave out --seed ${given.seed} (or train afresh into another folder)`,
    );
  }
  if (given.validationShare !== undefined && given.validationShare !== split.validationShare) {
    throw new TweetlabError(
      `${dir} holds out ${split.validationShare} of the posts; a resumed model keeps its held-out posts, so leave out --validation-share ${given.validationShare}`,
    );
  }
  return { baseSeed: split.baseSeed, validationShare: split.validationShare };
}

/** Share of word tokens outside a saved vocabulary (id 0) in the training targets of a resumed run. */
export function unknownShare(targets: Int32Array): number {
  if (targets.length === 0) return 0;
  let unknown = 0;
  for (let i = 0; i < targets.length; i++) if (targets[i] === 0) unknown++;
  return unknown / targets.length;
}

/** The most unknown words a resumed corpus may have without --force: a quarter, or 10 points over the model's own. */
export function unknownShareLimit(saved: ModelFileConfig): number {
  return Math.max(0.25, (saved.split?.unknownShare ?? 0) + 0.1);
}
