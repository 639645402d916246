import { TweetlabError } from '../errors.js';
import type { AccuracyResult } from './accuracy.js';
import type { KMeansResult } from './kmeans.js';

/**
 * Notebook 04's settings checked before any clustering runs, so a bad k or elbow range ends in one line that
 * names the setting (instead of a TypeError several cells later), and the helpers its prose relies on.
 */

export interface LessonSettings {
  /** Clusters of the main fit. */
  k: number;
  /** Random starts per fit. */
  nstart: number;
  /** The elbow runs k = 1 … elbowTo. */
  elbowTo: number;
}

function wholeAtLeast(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new TweetlabError(`${name} must be a whole number ≥ ${min}, got ${value}`);
}

/** Throws a one-line TweetlabError naming the setting when k, nstart or elbowTo cannot work for `rows` songs. */
export function checkLessonSettings(settings: LessonSettings, rows: number): void {
  wholeAtLeast('k', settings.k, 1);
  wholeAtLeast('nstart', settings.nstart, 1);
  wholeAtLeast('elbowTo', settings.elbowTo, 1);
  if (settings.k >= rows) throw new TweetlabError(`k = ${settings.k} is too large: it must be smaller than the number of songs (${rows})`);
  if (settings.elbowTo >= rows) {
    throw new TweetlabError(`elbowTo = ${settings.elbowTo} is too large: every k of the elbow must be smaller than the number of songs (${rows})`);
  }
  if (settings.elbowTo < settings.k) {
    throw new TweetlabError(`elbowTo = ${settings.elbowTo} is smaller than k = ${settings.k}: the elbow must include k (the lesson keeps its k-means fit), so set elbowTo ≥ ${settings.k}`);
  }
}

/** The elbow's fit for k (the lesson's final_kmeans); a one-line TweetlabError when the elbow does not cover k. */
export function elbowFitFor(fits: readonly { k: number; fit: KMeansResult }[], k: number): KMeansResult {
  const found = fits.find((f) => f.k === k);
  if (!found) {
    const range = fits.length > 0 ? `k = ${fits[0]!.k} … ${fits[fits.length - 1]!.k}` : 'no k at all';
    throw new TweetlabError(`The elbow covers ${range}, so it has no fit for k = ${k}: set elbowTo ≥ ${k}`);
  }
  return found.fit;
}

/**
 * A pairing of clusters with genres as text: "1 → afropop, 2 → nigerian pop, 3 → afro dancehall, 4 → —". A
 * cluster paired with no genre (more clusters than genres) shows "—", and the text says why.
 */
export function pairingText(result: Pick<AccuracyResult, 'matching'>): string {
  const parts = result.matching.map((g, i) => `${i + 1} → ${g ?? '—'}`);
  const unpaired = result.matching.filter((g) => g === null).length;
  return parts.join(', ') + (unpaired > 0 ? ` (— : no genre left for ${unpaired === 1 ? 'this cluster' : 'these clusters'}; its songs count as wrong)` : '');
}
