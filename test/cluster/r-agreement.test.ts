import { describe, expect, it } from 'vitest';
import { RRandom } from '../../src/random.js';
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
  sumLikeR,
} from '../../src/cluster/index.js';
import { songs } from './songs.js';

/*
 * R's numbers for the lesson, printed by R 4.2.2 (Debian r-base-core + r-cran-cluster, default RNGkind
 * "Mersenne-Twister" / "Inversion" / "Rejection") with
 *
 *   Rscript scripts/r-reference/kmeans-lesson.R ../shared/data/nigerian-songs.csv
 *
 * R_LESSON is the lesson's own sequence: set.seed(2056); kc <- kmeans(x, centers = 3, nstart = 25);
 * silhouette(kc$cluster, dist(x)); then for (k in 1:10) kmeans(x, centers = k, nstart = 25) — every call drawing
 * from the one stream — and finally runif(1), to check the stream ends where R's does. The accuracies are the
 * lesson's (genres numbered alphabetically, compared with the cluster number), for kclust and for final_kmeans,
 * the elbow's k = 3 model on which the lesson computes it. R_CHALLENGE is the same
 * sequence on scale(x). R_OTHER_STARTS covers nstart = 1 (starts drawn from all rows) and iter.max = 2 (no
 * convergence, ifault 2). Doubles were printed with %.17g, so they are R's exact values.
 */
const R_LESSON = {
  size: [65, 111, 110],
  totWithinss: 12998.660252742311,
  withinss: [3550.2926721214499, 4559.3579699486854, 4889.0096106721758],
  betweenss: 78285.265771535531,
  totss: 91283.92602427784,
  centers: [
    [53.399999999999999, 0.76986153846153826, 0.26842476923076924, -5.0812000000000008, 0.71672307692307691],
    [31.288288288288289, 0.73108108108108116, 0.25587671171171172, -5.15954954954955, 0.75892792792792807],
    [10.127272727272727, 0.74587272727272702, 0.27201709090909104, -4.5864181818181828, 0.79060909090909093],
  ],
  cluster: '2,3,2,2,2,2,2,2,2,3,2,2,3,2,1,2,3,3,1,3,1,1,1,3,1,2,1,1,2,2,3,3,1,2,2,2,2,3,3,1,2,1,2,1,2,1,1,3,3,2,3,1,1,2,2,2,2,3,3,1,3,2,2,3,2,2,3,2,3,2,2,3,3,3,3,3,2,3,2,2,1,2,3,3,3,2,2,2,2,3,2,2,2,2,3,3,2,3,3,2,3,2,3,2,3,2,2,3,2,1,3,3,2,3,3,2,2,2,2,2,2,2,1,3,3,3,3,1,3,2,3,2,3,2,2,2,1,2,3,3,3,2,3,1,3,2,2,3,3,3,1,3,2,2,2,3,3,1,3,2,3,3,3,3,2,1,1,1,3,1,1,1,1,1,1,2,1,3,1,1,3,1,1,2,1,1,3,3,2,1,2,2,1,2,2,3,3,1,3,3,1,1,3,1,2,1,3,1,2,1,1,2,2,2,3,3,3,3,3,1,2,2,2,2,2,3,3,3,3,3,2,2,3,3,1,3,3,3,1,2,2,2,3,3,1,1,3,3,2,1,1,1,1,1,2,1,1,2,3,3,3,2,2,2,3,2,3,2,3,3,3,1,2,2,2,3,2,3,1,3,2,3,3,3,2,3',
  silhouette: 0.54946675252644739,
  accuracyCorrect: 66, // sum(genre_id == kclust$cluster)
  finalKMeans: { size: [111, 110, 65], accuracyCorrect: 109 }, // the elbow's k = 3 model, as the lesson uses it
  elbow: [
    { k: 1, totWithinss: 91283.926024277971, size: [286] },
    { k: 2, totWithinss: 28531.649628638228, size: [146, 140] },
    { k: 3, totWithinss: 12998.660252742311, size: [111, 110, 65] },
    { k: 4, totWithinss: 8486.1986936702597, size: [61, 83, 60, 82] },
    { k: 5, totWithinss: 5891.3056702033273, size: [57, 73, 72, 35, 49] },
    { k: 6, totWithinss: 4474.431216817683, size: [51, 36, 56, 31, 56, 56] },
    { k: 7, totWithinss: 3812.0412146443778, size: [56, 34, 42, 51, 22, 53, 28] },
    { k: 8, totWithinss: 3333.5932402060544, size: [22, 38, 31, 28, 44, 37, 44, 42] },
    { k: 9, totWithinss: 2958.3811547068917, size: [31, 33, 35, 17, 37, 42, 21, 41, 29] },
    { k: 10, totWithinss: 2713.2714166053011, size: [21, 20, 33, 23, 31, 43, 37, 24, 42, 12] },
  ],
  nextRunif: 0.06323825940489769,
};

const R_CHALLENGE = {
  size: [102, 41, 143],
  totWithinss: 910.42997755924898,
  withinss: [298.23007508447472, 191.3326545411235, 420.86724793365079],
  betweenss: 514.57002244075079,
  totss: 1424.9999999999998,
  centers: [
    [0.99913671472500498, 0.26830748361508644, -0.00067787532667269094, -0.12014507437049946, -0.29637627161739594],
    [-0.36884969343844143, -0.026717890847243912, 0.83508758448587872, -1.5493457312422325, -1.5306897738600826],
    [-0.60691683546135911, -0.18371978883917314, -0.23894718657762526, 0.52991589207498246, 0.65027035267998412],
  ],
  cluster: '1,2,3,2,2,2,1,1,2,2,2,1,2,1,1,2,2,3,1,3,1,1,1,3,1,1,1,1,1,3,3,3,1,2,1,2,3,3,2,1,3,1,3,1,3,1,1,2,3,1,2,1,1,1,3,2,3,3,3,1,3,3,3,3,3,2,3,1,3,1,1,3,3,3,3,3,1,3,1,3,1,3,3,3,3,3,3,3,1,3,2,1,3,3,3,2,3,1,2,1,3,3,2,3,3,3,3,3,3,3,3,3,3,2,2,1,3,2,2,3,3,3,1,3,3,3,3,1,3,3,3,1,3,3,2,3,2,1,3,2,3,1,3,1,3,1,1,2,3,3,1,2,3,3,3,2,3,1,3,1,3,3,3,3,2,1,1,1,1,1,1,1,1,1,1,3,1,2,1,1,2,1,1,1,1,1,3,3,1,1,1,1,1,1,1,3,3,1,2,2,1,1,3,2,1,1,3,1,1,1,1,3,3,3,3,3,3,3,3,1,3,3,1,3,2,3,3,3,3,3,3,3,3,3,1,3,3,3,1,3,1,1,3,3,1,1,3,3,3,1,1,1,1,1,3,1,1,2,3,2,3,1,3,3,3,3,3,2,3,3,3,1,3,3,3,3,1,3,1,3,3,3,3,3,3,3',
  silhouette: 0.22315675416599595,
  accuracyCorrect: 77,
  finalKMeans: { size: [102, 143, 41], accuracyCorrect: 99 },
  elbow: [
    { k: 1, totWithinss: 1425.0000000000016, size: [286] },
    { k: 2, totWithinss: 1082.9277917382728, size: [123, 163] },
    { k: 3, totWithinss: 910.42997755924898, size: [102, 143, 41] },
    { k: 4, totWithinss: 780.03956424102182, size: [37, 108, 54, 87] },
    { k: 5, totWithinss: 702.75548033348446, size: [63, 31, 46, 33, 113] },
    { k: 6, totWithinss: 637.90890095474526, size: [29, 30, 34, 72, 56, 65] },
    { k: 7, totWithinss: 592.19300491790671, size: [32, 32, 29, 45, 53, 25, 70] },
    { k: 8, totWithinss: 553.67718626891224, size: [44, 30, 29, 42, 31, 30, 24, 56] },
    { k: 9, totWithinss: 516.72906690994171, size: [42, 28, 31, 52, 29, 26, 25, 28, 25] },
    { k: 10, totWithinss: 485.15713227439625, size: [29, 37, 26, 21, 34, 33, 28, 34, 21, 23] },
  ],
  nextRunif: 0.06323825940489769,
};

const R_OTHER_STARTS = [
  { seed: 7, k: 4, nstart: 1, iterMax: 10, totWithinss: 8589.1437767241005, iter: 3, ifault: 0,
    cluster: '1,4,4,1,1,1,1,1,4,4,1,1,4,1,2,1,4,4,2,4,2,1,2,4,2,1,2,2,1,1,3,3,2,1,4,4,4,3,3,2,1,2,1,2,4,2,2,4,3,1,4,2,2,1,1,1,4,4,4,2,3,1,4,3,1,1,4,1,3,1,1,3,3,4,3,4,1,3,1,1,1,4,3,4,4,1,1,1,1,4,4,1,1,1,4,4,4,4,3,1,4,4,4,4,4,1,1,3,4,2,3,3,4,3,3,1,1,1,1,1,4,1,1,3,4,4,3,2,4,1,4,1,4,1,1,4,2,1,4,3,4,1,4,2,3,4,1,4,4,3,2,4,4,1,1,4,3,2,4,1,4,4,4,4,1,2,2,2,4,2,2,2,2,2,2,1,2,3,2,2,3,2,2,1,2,2,3,4,1,2,1,1,2,1,1,3,3,2,3,3,2,2,3,2,1,2,3,2,1,2,2,1,1,1,4,3,3,3,3,2,1,4,1,1,1,3,3,3,4,3,1,1,3,3,2,3,3,3,2,1,1,1,4,3,2,2,4,4,1,2,2,2,2,2,1,2,2,1,4,4,3,1,1,1,3,1,3,1,3,4,3,2,4,4,1,3,1,4,2,3,4,4,4,3,1,3' },
  { seed: 15, k: 8, nstart: 1, iterMax: 2, totWithinss: 4049.0207626690003, iter: 3, ifault: 2,
    cluster: '1,7,2,2,1,2,1,1,2,5,1,1,7,1,6,1,5,7,3,7,6,6,3,7,3,1,3,3,6,2,4,8,3,1,2,2,2,8,8,6,2,6,1,6,2,6,3,5,8,6,7,3,3,1,1,1,2,7,2,6,8,2,2,4,2,1,7,6,4,6,1,4,5,7,8,7,1,8,1,1,6,2,8,7,7,6,1,2,1,7,2,1,1,1,7,7,2,7,5,2,7,2,7,2,7,1,1,8,2,6,4,8,2,5,5,1,6,1,1,1,2,2,6,4,7,7,8,6,2,2,7,1,7,2,1,2,6,1,7,8,7,1,7,3,4,2,1,7,7,8,6,5,2,1,1,5,4,3,7,1,7,7,7,7,6,3,3,3,7,3,3,3,3,3,3,6,3,8,6,3,4,6,3,6,3,3,8,2,6,6,1,6,6,1,1,4,8,6,5,5,6,6,8,3,1,3,8,6,6,3,3,1,1,2,7,4,4,4,4,6,1,2,1,1,1,8,8,8,7,8,1,1,4,4,3,8,8,8,6,6,6,1,7,8,6,6,7,7,1,3,3,3,6,3,1,6,6,6,2,5,4,1,1,1,8,1,4,1,4,7,4,3,2,2,1,4,6,7,6,8,2,2,7,8,2,4' },
  { seed: 11, k: 6, nstart: 3, iterMax: 10, totWithinss: 4518.405668086315, iter: 2, ifault: 0,
    cluster: '4,3,4,4,4,4,1,1,4,3,4,1,3,1,2,1,3,3,2,3,2,2,5,3,2,1,5,2,1,4,6,6,5,4,4,4,4,6,6,2,4,2,1,2,4,2,5,3,6,1,3,2,2,1,1,1,4,3,3,2,6,4,4,6,4,1,3,1,6,1,1,6,3,3,6,3,1,6,1,1,2,4,6,3,3,1,1,4,1,3,4,1,1,1,3,3,4,3,6,4,3,4,3,4,3,4,4,6,4,2,6,6,4,6,6,1,1,1,1,1,4,4,2,6,3,3,6,2,3,4,3,1,3,4,4,4,2,4,3,6,3,1,3,5,6,4,1,3,3,6,2,3,4,1,1,3,6,2,3,4,3,3,3,3,1,5,5,5,3,2,2,5,5,5,5,1,5,6,2,2,6,2,5,1,5,5,6,3,1,2,4,1,2,1,1,6,6,2,6,6,2,2,6,2,1,2,6,2,1,5,5,4,1,4,3,6,6,6,6,2,1,4,1,4,1,6,6,6,3,6,1,4,6,6,2,6,6,6,2,1,1,1,3,6,2,2,3,3,1,5,5,5,2,5,1,2,2,1,3,3,6,1,1,4,6,4,6,1,6,3,6,2,4,4,1,6,1,3,2,6,4,3,3,6,4,6' },
];

/** R's cluster vector, as printed (comma-separated). */
const clusters = (s: string): number[] => s.split(',').map(Number);

/**
 * Global optima of tot.withinss on the lesson's matrix (286 songs × 5 columns, unscaled). They were first
 * derived here (8 independent searches of 5000 starts per k, Random and k-means++ starts, all agreeing to 1e-15
 * relative), and R 4.2.2 agrees to its 12 printed digits: set.seed(1); kmeans(x, k, nstart = 1000) for k = 1..10.
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

/** |a/b − 1|, for comparing with R. */
const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe('agreement with R on the lesson (k = 3, nstart = 25, unscaled, set.seed(2056))', () => {
  const lesson = runKMeansLesson(songs(), { ...DEFAULT_KMEANS_LESSON, elbow: { from: 1, to: 10 } });

  it('runs in R mode by default and keeps the 286 songs of the three genres with popularity ≠ 0', () => {
    expect(DEFAULT_KMEANS_LESSON.rng).toBe('r');
    expect(lesson.kmeans.rng).toBe('r');
    expect(lesson.matrix.values).toHaveLength(286);
    expect(new Set(lesson.genres)).toEqual(new Set(LESSON_GENRES));
  });

  it('finds R’s clusters with R’s numbering: sizes 65, 111, 110 in that order, the same cluster of every song', () => {
    expect(lesson.kmeans.size).toEqual(R_LESSON.size);
    expect(lesson.kmeans.cluster).toEqual(clusters(R_LESSON.cluster));
    expect([...lesson.kmeans.size].sort((a, b) => a - b)).toEqual([65, 110, 111]); // the lesson's figures
  });

  it('has R’s tot.withinss, withinss, centres, betweenss and totss', () => {
    const r = lesson.kmeans;
    expect(rel(r.totWithinss, R_LESSON.totWithinss)).toBeLessThan(1e-12);
    r.withinss.forEach((w, i) => expect(rel(w, R_LESSON.withinss[i] as number)).toBeLessThan(1e-12));
    r.centers.forEach((c, i) => c.forEach((v, j) => expect(rel(v, (R_LESSON.centers[i] as number[])[j] as number)).toBeLessThan(1e-12)));
    expect(rel(r.betweenss, R_LESSON.betweenss)).toBeLessThan(1e-12);
    expect(r.totss).toBe(R_LESSON.totss); // to the last bit: colMeans() and sum() in long double, as R
    expect(r.ifault).toBe(0);
  });

  it('has R’s mean silhouette 0.5494667525 (the lesson’s 0.549 ± 0.001)', () => {
    const mean = lesson.silhouette?.mean as number;
    expect(Math.abs(mean - 0.549)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(mean - R_LESSON.silhouette)).toBeLessThan(1e-12);
  });

  it('every k of the elbow is within 0.1 % of R’s — in fact equal to 1e-12, local optima at k = 6..10 included', () => {
    expect(lesson.elbow.map((p) => p.k)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [i, p] of lesson.elbow.entries()) {
      const r = R_LESSON.elbow[i] as { k: number; totWithinss: number };
      expect(p.k).toBe(r.k);
      expect(rel(p.totWithinss, r.totWithinss), `k = ${p.k}`).toBeLessThanOrEqual(0.001);
      expect(rel(p.totWithinss, r.totWithinss), `k = ${p.k}`).toBeLessThan(1e-12);
    }
  });

  it('the elbow continues the stream exactly as R: sizes in R’s order for every k, and R’s next runif()', () => {
    const x = lessonMatrix().values;
    const stream = RRandom.setSeed(2056);
    kmeans(x, 3, { nstart: 25, rng: stream });
    const drawsBefore = stream.draws;
    for (const r of R_LESSON.elbow) {
      const fit = kmeans(x, r.k, { nstart: 25, rng: stream });
      expect(fit.size, `k = ${r.k}`).toEqual(r.size);
    }
    expect(stream.draws).toBeGreaterThan(drawsBefore);
    expect(stream.unifRand()).toBe(R_LESSON.nextRunif);
  });

  it('the lesson’s accuracy: 66/286 on kclust’s numbering, 109/286 on final_kmeans (the elbow’s k = 3 fit), as R', () => {
    expect(lesson.accuracy.correct).toBe(R_LESSON.accuracyCorrect);
    expect(lesson.finalKMeans?.size).toEqual(R_LESSON.finalKMeans.size);
    expect(lesson.finalAccuracy?.correct).toBe(R_LESSON.finalKMeans.accuracyCorrect);
    expect(lesson.finalAccuracy?.accuracy).toBeCloseTo(109 / 286, 12);
    // Same partition, other numbering: the best matching does not care.
    expect(lesson.finalKMeans?.totWithinss).toBe(lesson.kmeans.totWithinss);
    expect([...(lesson.finalKMeans?.size ?? [])].sort()).toEqual([...lesson.kmeans.size].sort());
  });

  it('records where in the stream a fit started, so it can be redone alone (set.seed, then that many runif)', () => {
    const x = lessonMatrix().values;
    const stream = RRandom.setSeed(2056);
    kmeans(x, 3, { nstart: 25, rng: stream });
    let last = kmeans(x, 1, { nstart: 25, rng: stream });
    for (let k = 2; k <= 10; k++) last = kmeans(x, k, { nstart: 25, rng: stream });
    const replay = RRandom.setSeed(2056);
    for (let i = 0; i < (last.rDrawsBefore as number); i++) replay.unifRand();
    const again = kmeans(x, 10, { nstart: 25, rng: replay });
    expect(again.cluster).toEqual(last.cluster);
    expect(rel(again.totWithinss, (R_LESSON.elbow[9] as { totWithinss: number }).totWithinss)).toBeLessThan(1e-12);
  });

  it('keeps R’s identities: betweenss + tot.withinss = totss, withinss sum to tot.withinss', () => {
    const r = lesson.kmeans;
    expect(r.betweenss + r.totWithinss).toBeCloseTo(r.totss, 6);
    expect(r.withinss.reduce((a, b) => a + b, 0)).toBeCloseTo(r.totWithinss, 6);
    expect(r.totss).toBeCloseTo(OPTIMUM_TOT_WITHINSS[1] as number, 6);
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

describe('R’s lesson values against the global optima', () => {
  it('R’s 25-start elbow reaches the optimum for k ≤ 5 and never goes below it', () => {
    for (const r of R_LESSON.elbow) {
      const opt = OPTIMUM_TOT_WITHINSS[r.k] as number;
      expect(r.totWithinss, `k = ${r.k}`).toBeGreaterThanOrEqual(opt * (1 - 1e-12));
      if (r.k <= 5) expect(rel(r.totWithinss, opt), `k = ${r.k}`).toBeLessThan(1e-12);
    }
  });

  it('is decreasing in k, as optimal tot.withinss must be', () => {
    const values = Object.values(OPTIMUM_TOT_WITHINSS);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1] as number);
  });
});

describe('the tweetlab generator (--rng tweetlab) reaches the same optima', () => {
  const x = lessonMatrix().values;

  it('k = 3 gives the lesson’s partition (sizes as a multiset: cluster numbers follow other starts)', () => {
    const r = runKMeansLesson(songs(), { rng: 'tweetlab' });
    expect(r.kmeans.rng).toBe('tweetlab');
    expect([...r.kmeans.size].sort((a, b) => a - b)).toEqual([65, 110, 111]);
    expect(rel(r.kmeans.totWithinss, R_LESSON.totWithinss)).toBeLessThan(1e-12);
    expect(Math.abs((r.silhouette?.mean as number) - R_LESSON.silhouette)).toBeLessThan(1e-12);
  });

  it('elbow k = 1..6 with nstart = 25 is within 0.1 % of the optimum', () => {
    const series = elbow(x, { from: 1, to: 6, nstart: 25, seed: 2056 });
    expect(series[0]).toEqual({ k: 1, totWithinss: OPTIMUM_TOT_WITHINSS[1] });
    for (const p of series.filter((q) => q.k >= 2)) {
      expect(rel(p.totWithinss, OPTIMUM_TOT_WITHINSS[p.k] as number), `k = ${p.k}`).toBeLessThanOrEqual(0.001);
    }
  });

  it('k = 7..10 reach the optimum within 0.1 % once the starts are many (kmeans++ starts)', () => {
    // k = 10's best partition is rare (about 1 start in 1000 lands on it), hence more starts there.
    for (let k = 7; k <= 10; k++) {
      const r = kmeans(x, k, { nstart: k === 10 ? 4000 : 1000, seed: 7, init: 'kmeans++' });
      expect(rel(r.totWithinss, OPTIMUM_TOT_WITHINSS[k] as number), `k = ${k}`).toBeLessThanOrEqual(0.001);
    }
  });
});

describe('R mode beyond the lesson', () => {
  it('the challenge (scale(x), same sequence) matches R: clusters, silhouette, every k of the elbow', () => {
    const lesson = runKMeansLesson(songs(), { scale: true, elbow: { from: 1, to: 10 } });
    expect(lesson.kmeans.size).toEqual(R_CHALLENGE.size);
    expect(lesson.kmeans.cluster).toEqual(clusters(R_CHALLENGE.cluster));
    expect(lesson.accuracy.correct).toBe(R_CHALLENGE.accuracyCorrect);
    expect(lesson.finalKMeans?.size).toEqual(R_CHALLENGE.finalKMeans.size);
    expect(lesson.finalAccuracy?.correct).toBe(R_CHALLENGE.finalKMeans.accuracyCorrect);
    // scale() may differ from R's in the last bit, hence 1e-9 rather than 1e-12 here.
    expect(rel(lesson.kmeans.totWithinss, R_CHALLENGE.totWithinss)).toBeLessThan(1e-9);
    expect(Math.abs((lesson.silhouette?.mean as number) - R_CHALLENGE.silhouette)).toBeLessThan(1e-9);
    lesson.elbow.forEach((p, i) => {
      expect(rel(p.totWithinss, (R_CHALLENGE.elbow[i] as { totWithinss: number }).totWithinss), `k = ${p.k}`).toBeLessThan(1e-9);
    });
  });

  it('nstart = 1 (starts from all rows) and iter.max = 2 (ifault 2) match R', () => {
    const x = lessonMatrix().values;
    for (const c of R_OTHER_STARTS) {
      const r = kmeans(x, c.k, { nstart: c.nstart, iterMax: c.iterMax, rng: RRandom.setSeed(c.seed) });
      const label = `set.seed(${c.seed}); kmeans(x, ${c.k}, nstart = ${c.nstart}, iter.max = ${c.iterMax})`;
      expect(r.cluster, label).toEqual(clusters(c.cluster));
      expect(rel(r.totWithinss, c.totWithinss), label).toBeLessThan(1e-12);
      expect([r.iter, r.ifault], label).toEqual([c.iter, c.ifault]);
      expect(r.rDrawsBefore).toBe(0);
    }
  });

  it('sums as R’s sum() does (x87 long double, then one rounding), which decides ties between starts', () => {
    // R 4.2.2: sprintf("%.17g", sum(c(1, 2^-53, 2^-53))) → 1.0000000000000002; sum(c(1, 2^-53, 2^-64)) → 1
    expect(sumLikeR([1, 2 ** -53, 2 ** -53])).toBe(1.0000000000000002);
    expect(sumLikeR([1, 2 ** -53, 2 ** -64])).toBe(1); // double rounding: 64 bits, then 53
    expect(sumLikeR([0.1, 0.2, 0.3])).toBe(0.59999999999999998); // R prints 0.59999999999999998
    expect(sumLikeR([R_LESSON.withinss[2] as number, R_LESSON.withinss[1] as number, R_LESSON.withinss[0] as number])).toBe(
      R_LESSON.totWithinss,
    );
    expect(sumLikeR([])).toBe(0);
    // sum(c(1, 2^-60, -1)) → 8.6736173798840355e-19 (kept in 64 bits); sum(c(2^-70, 1, -1)) → 0 (lost in 64 bits)
    expect(sumLikeR([1, 2 ** -60, -1])).toBe(8.6736173798840355e-19);
    expect(sumLikeR([2 ** -70, 1, -1])).toBe(0);
    expect(sumLikeR([-2.5, 1e-300, 2.5])).toBe(0); // R: 0
  });

  it('refuses k-means++ starts in R mode, where R has no such thing', () => {
    expect(() => kmeans(lessonMatrix().values, 3, { rng: RRandom.setSeed(1), init: 'kmeans++' })).toThrow(/R-compatible/);
  });

  it('a seed R’s set.seed cannot take is a clear error in R mode', () => {
    expect(() => runKMeansLesson(songs(), { seed: 2 ** 31 })).toThrow(/32-bit integer/);
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
    expect(R_CHALLENGE.silhouette).toBeLessThan(R_LESSON.silhouette); // and in R
  });
});
