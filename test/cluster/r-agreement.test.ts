import { describe, expect, it } from 'vitest';
import {
  DEFAULT_KMEANS_LESSON,
  elbow,
  filterSongs,
  kmeans,
  LESSON_COLUMNS,
  LESSON_GENRES,
  runKMeansLesson,
  scale,
  selectColumns,
  silhouette,
} from '../../src/cluster/index.js';
import { songs } from './songs.js';

/**
 * Global optima of tot.withinss on the lesson's matrix (286 songs × popularity, danceability, acousticness,
 * loudness, energy; unscaled), i.e. the values R's kmeans reaches when its random starts find the best
 * partition. R is not available here and the lesson prints none of these numbers, so they were derived:
 * k = 1 is exact (totss, no search involved); for k = 2..10, kmeans(x, k, { nstart: 5000, seed, init }) was run
 * for seeds 101–104 and both init = "random" (R's scheme) and "kmeans++" — 8 independent searches of 5000
 * starts each per k — and all 8 found the same minimum (to 1e-15 relative) for every k.
 */
const OPTIMUM_TOT_WITHINSS: Record<number, number> = {
  1: 91283.92602427783,
  2: 28531.649628638228,
  3: 12998.660252742311,
  4: 8486.19869367026,
  5: 5891.305670203327,
  6: 4470.721241763603,
  7: 3808.868652445719,
  8: 3332.069622853685,
  9: 2948.9504955793986,
  10: 2671.305364371347,
};

function lessonMatrix() {
  return selectColumns(filterSongs(songs(), { genres: LESSON_GENRES }), LESSON_COLUMNS);
}

describe('agreement with R on the lesson (k = 3, nstart = 25, unscaled)', () => {
  const lesson = runKMeansLesson(songs(), DEFAULT_KMEANS_LESSON);

  it('keeps the 286 songs of the three genres with popularity ≠ 0', () => {
    expect(lesson.matrix.values).toHaveLength(286);
    expect(new Set(lesson.genres)).toEqual(new Set(LESSON_GENRES));
  });

  it('finds clusters of sizes {65, 110, 111}, as the lesson reports', () => {
    expect([...lesson.kmeans.size].sort((a, b) => a - b)).toEqual([65, 110, 111]);
    expect(lesson.kmeans.size.reduce((a, b) => a + b, 0)).toBe(286);
    expect(lesson.kmeans.totWithinss).toBeCloseTo(OPTIMUM_TOT_WITHINSS[3] as number, 6);
  });

  it('has mean silhouette 0.549 (±0.001), as the lesson reports', () => {
    expect(lesson.silhouette).not.toBeNull();
    expect(Math.abs((lesson.silhouette?.mean as number) - 0.549)).toBeLessThanOrEqual(0.001);
  });

  it('keeps R’s identities: betweenss + tot.withinss = totss, withinss sum to tot.withinss', () => {
    const r = lesson.kmeans;
    expect(r.betweenss + r.totWithinss).toBeCloseTo(r.totss, 6);
    expect(r.withinss.reduce((a, b) => a + b, 0)).toBeCloseTo(r.totWithinss, 6);
    expect(r.totss).toBeCloseTo(OPTIMUM_TOT_WITHINSS[1] as number, 6);
    expect(r.ifault).toBe(0);
    expect(r.iter).toBeLessThanOrEqual(10);
  });

  it('centres are the means of their clusters', () => {
    const r = lesson.kmeans;
    for (let c = 0; c < 3; c++) {
      const members = lesson.matrix.values.filter((_, i) => r.cluster[i] === c + 1);
      for (let j = 0; j < LESSON_COLUMNS.length; j++) {
        const mean = members.reduce((s, row) => s + (row[j] as number), 0) / members.length;
        expect((r.centers[c] as number[])[j]).toBeCloseTo(mean, 9);
      }
    }
  });
});

describe('the elbow series against R’s optima', () => {
  const x = lessonMatrix().values;
  const series = elbow(x, { from: 1, to: 10, nstart: 25, seed: 2056 });

  it('k = 1 is exactly totss', () => {
    expect(series[0]).toEqual({ k: 1, totWithinss: OPTIMUM_TOT_WITHINSS[1] });
  });

  it('k = 2..6 with nstart = 25 is within 0.1 % of the optimum', () => {
    for (const p of series.filter((q) => q.k >= 2 && q.k <= 6)) {
      const opt = OPTIMUM_TOT_WITHINSS[p.k] as number;
      expect(p.totWithinss / opt - 1, `k = ${p.k}`).toBeLessThanOrEqual(0.001);
    }
  });

  it('k = 7..10 with nstart = 25 never beats the optimum and stays within the spread 25 starts have', () => {
    // With only 25 random starts a k ≥ 7 run — in R as here, the algorithm and the start distribution being the
    // same — often ends in a local optimum: over 40 seeds we measured hit rates of 60 % (k = 7) down to 2.5 %
    // (k = 10), with misses up to 3.6 % above the optimum. No single R run can therefore be matched to 0.1 %
    // there; the test below with more starts checks that the optimum itself is reached.
    for (const p of series.filter((q) => q.k >= 7)) {
      const opt = OPTIMUM_TOT_WITHINSS[p.k] as number;
      expect(p.totWithinss, `k = ${p.k}`).toBeGreaterThanOrEqual(opt * (1 - 1e-12));
      expect(p.totWithinss / opt - 1, `k = ${p.k}`).toBeLessThanOrEqual(0.05);
    }
  });

  it('k = 7..10 reach the optimum within 0.1 % once the starts are many (kmeans++ starts)', () => {
    // k = 10's best partition is rare (about 1 start in 1000 lands on it), hence more starts there.
    for (let k = 7; k <= 10; k++) {
      const r = kmeans(x, k, { nstart: k === 10 ? 4000 : 1000, seed: 7, init: 'kmeans++' });
      expect(r.totWithinss / (OPTIMUM_TOT_WITHINSS[k] as number) - 1, `k = ${k}`).toBeLessThanOrEqual(0.001);
    }
  });

  it('is decreasing in k, as optimal tot.withinss must be', () => {
    const values = Object.values(OPTIMUM_TOT_WITHINSS);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
  });
});

describe('the challenge: scaled columns', () => {
  const raw = lessonMatrix();
  const scaled = scale(raw);

  it('scaled totss is (n − 1) × columns, since every column then has sample variance 1', () => {
    const r = kmeans(scaled.values, 1);
    expect(r.totss).toBeCloseTo(285 * 5, 9);
  });

  it('the silhouette goes down with scaling, as the lesson’s challenge says', () => {
    const rawRun = kmeans(raw.values, 3, { nstart: 25 });
    const scaledRun = kmeans(scaled.values, 3, { nstart: 25 });
    const rawSil = silhouette(raw.values, rawRun.cluster).mean;
    const scaledSil = silhouette(scaled.values, scaledRun.cluster).mean;
    expect(scaledSil).toBeLessThan(rawSil);
  });
});
