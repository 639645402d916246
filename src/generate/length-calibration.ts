/**
 * Length calibration of end-of-post generation. A model that writes until it draws `<eos>` ends its posts sooner
 * than real ones: what it writes is less coherent than what it read, and it takes that as a cue to stop (top-p,
 * which drops rare words but keeps a likely `<eos>`, adds to it). Multiplying p(`<eos>`) by one factor at every
 * step moves the mean length back. The factor is fitted on the model's own posts against the mean length of the
 * training posts, so no held-out post is used.
 *
 * Posts drawn at one factor say what the mean would be at another: each post is reweighted by how much likelier
 * it is there (importance sampling), which gives a smooth curve to solve instead of noisy fresh draws.
 */
import { TweetlabError } from '../errors.js';
import { LIMITS } from '../model/validate.js';

/** What the calibration needs of a drawn post: its words, whether it ended itself, p(<eos>) where it could end. */
export interface DrawnPost {
  words: readonly string[];
  endedNaturally?: boolean;
  endChances?: readonly number[];
  /** At a temperature other than 1: Σ p(w)^(1/T) over the words that could follow, with p(<eos>) unscaled, per step. */
  endWordMass?: readonly number[];
}

export interface EndScaleFit {
  /** The factor on p(`<eos>`) (1 = the model as it is). */
  endScale: number;
  /** Mean words per post at that factor: measured on its posts, or (when a second draw missed) reweighted. */
  meanLength: number;
  /** Mean words per post at factor 1. */
  uncalibratedMeanLength: number;
  /** The mean it aimed at (the training posts'). */
  targetMeanLength: number;
  /** Times the posts were drawn (each with the same seed). */
  draws: number;
}

/** Factors stay within the range a model folder may record (LIMITS.endScale). */
const LOG_LIMIT = Math.log(LIMITS.endScale);
/** p(<eos>) after scaling stays below 1, so a word always keeps some chance. */
const MAX_END = 0.999;

/**
 * The chance that a step with unscaled p(<eos>) `p` ends the post when p(<eos>) is multiplied by `scale` and the
 * words share the rest, sampled at `temperature`: the end's tempered weight against the words' (`wordMass` at scale
 * 1, which the scaling multiplies by ((1 − scale·p)/(1 − p))^(1/T)). At temperature 1 it is scale·p.
 */
export function temperedEndChance(p: number, scale: number, temperature: number, wordMass: number): number {
  const scaled = Math.min(MAX_END, scale * p);
  if (!(p < 1)) return scaled;
  const end = Math.pow(scaled, 1 / temperature);
  const words = Math.pow((1 - scaled) / (1 - p), 1 / temperature) * wordMass;
  return end / (end + words);
}

/**
 * Mean words per post that posts drawn at factor `from` would have at factor `to`: each post weighs
 * Π over the steps where it went on of (1 − to·p)/(1 − from·p), times to/from when it ended itself. Posts drawn
 * at a temperature other than 1 (with their `endWordMass`) weigh the tempered chances instead.
 */
export function reweightedMeanLength(posts: readonly DrawnPost[], from: number, to: number, temperature = 1): number {
  let total = 0;
  let weighted = 0;
  for (const post of posts) {
    const chances = post.endChances ?? [];
    const masses = temperature === 1 ? undefined : post.endWordMass;
    const chance = (t: number, scale: number) => temperedEndChance((chances[t] as number) / from, scale, temperature, (masses as readonly number[])[t] as number);
    let logWeight = 0;
    const last = post.endedNaturally ? chances.length - 1 : chances.length;
    for (let t = 0; t < last; t++) {
      const p = (chances[t] as number) / from;
      logWeight += masses
        ? Math.log(1 - chance(t, to)) - Math.log(1 - chance(t, from))
        : Math.log(1 - Math.min(MAX_END, to * p)) - Math.log(1 - Math.min(MAX_END, from * p));
    }
    if (post.endedNaturally) logWeight += masses ? Math.log(chance(last, to) / chance(last, from)) : Math.log(to / from);
    const w = Math.exp(logWeight);
    total += w;
    weighted += w * post.words.length;
  }
  return total > 0 ? weighted / total : 0;
}

/** Mean words per post. */
function meanLength(posts: readonly DrawnPost[]): number {
  return posts.reduce((sum, p) => sum + p.words.length, 0) / Math.max(1, posts.length);
}

/** The factor (from `from`) at which the reweighted mean meets `target`: bisection on log(factor). */
function solveFactor(posts: readonly DrawnPost[], from: number, target: number, temperature: number): number {
  let lo = -LOG_LIMIT;
  let hi = LOG_LIMIT;
  for (let i = 0; i < 40; i++) {
    const mid = (lo + hi) / 2;
    // A larger factor ends posts sooner: the mean falls as the factor rises.
    if (reweightedMeanLength(posts, from, Math.exp(mid), temperature) > target) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * The factor on p(`<eos>`) whose posts have the `target` mean length. `draw(factor)` writes the calibration posts
 * at that factor (always with the same seed). Two draws: at 1, then at the factor those posts point to, which is
 * kept unless its posts point further by more than `tolerance` (then the factor they point to is taken).
 * `temperature`: the one the posts are drawn at (their `endWordMass` then says how the factor moves each step).
 */
export function fitEndScale(draw: (endScale: number) => readonly DrawnPost[], target: number, tolerance = 0.02, temperature = 1): EndScaleFit {
  if (!(target > 0 && Number.isFinite(target))) throw new TweetlabError(`The target mean length must be > 0, got ${target}`);
  const first = draw(1);
  const uncalibratedMeanLength = meanLength(first);
  if (Math.abs(uncalibratedMeanLength / target - 1) <= tolerance) {
    return { endScale: 1, meanLength: uncalibratedMeanLength, uncalibratedMeanLength, targetMeanLength: target, draws: 1 };
  }
  const factor = solveFactor(first, 1, target, temperature);
  const second = draw(factor);
  const measured = meanLength(second);
  if (Math.abs(measured / target - 1) <= tolerance) {
    return { endScale: factor, meanLength: measured, uncalibratedMeanLength, targetMeanLength: target, draws: 2 };
  }
  const refined = solveFactor(second, factor, target, temperature);
  return { endScale: refined, meanLength: reweightedMeanLength(second, factor, refined, temperature), uncalibratedMeanLength, targetMeanLength: target, draws: 2 };
}
