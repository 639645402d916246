import { describe, expect, it } from 'vitest';
import {
  boxPlotsFigure,
  clusterScatterFigure,
  countBy,
  describeColumns,
  elbowFigure,
  elbowComparisonFigure,
  filterSongs,
  genreBarFigure,
  numericColumn,
  numericColumnNames,
  parseDataTable,
  runKMeansLesson,
  selectColumns,
  silhouetteFigure,
  clusterTable,
  augmentClusters,
  LESSON_GENRES,
} from '../../src/cluster/index.js';
import { songs } from './songs.js';

const TINY = parseDataTable(
  'name,artist_top_genre,popularity,energy,note\n' +
    'a,afropop,10,0.5,x\n' +
    'b,afropop,0,0.6,y\n' +
    '"c, the song",nigerian pop,20,1e-1,z\n' +
    'd,jazz,30,0.9,w\n',
  'tiny.csv',
);

describe('table helpers', () => {
  it('parses numbers strictly and finds the numeric columns', () => {
    expect(numericColumn(TINY, 'energy')).toEqual([0.5, 0.6, 0.1, 0.9]);
    expect(numericColumnNames(TINY)).toEqual(['popularity', 'energy']);
    expect(() => numericColumn(TINY, 'note')).toThrow('tiny.csv: line 2, column "note": "x" is not a number');
    expect(() => numericColumn(TINY, 'nope')).toThrow(/no column "nope" \(columns: name, artist_top_genre/);
  });

  it('filters genres and popularity 0, keeping file lines for later errors', () => {
    const f = filterSongs(TINY, { genres: ['afropop', 'nigerian pop'] });
    expect(f.rows.map((r) => r[0])).toEqual(['a', 'c, the song']);
    expect(f.lines).toEqual([2, 4]);
    expect(filterSongs(TINY, {}).rows).toHaveLength(3);
    expect(filterSongs(TINY, { dropZeroPopularity: false }).rows).toHaveLength(4);
    expect(() => filterSongs(TINY, { genres: ['polka'] })).toThrow(/no rows left after filtering/);
    expect(selectColumns(f, ['energy', 'popularity'])).toEqual({ columns: ['energy', 'popularity'], values: [[0.5, 10], [0.1, 20]] });
  });

  it('counts and describes like R / pandas', () => {
    expect(countBy(TINY, 'artist_top_genre')).toEqual([
      { value: 'afropop', n: 2 },
      { value: 'jazz', n: 1 },
      { value: 'nigerian pop', n: 1 },
    ]);
    const d = describeColumns({ columns: ['v'], values: [[1], [2], [3], [4]] }).v!;
    expect(d).toMatchObject({ count: 4, mean: 2.5, min: 1, q25: 1.75, q50: 2.5, q75: 3.25, max: 4 });
    expect(d.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('the lesson data: 12 numeric columns (release_date … time_signature) and the genre counts', () => {
    const f = filterSongs(songs(), { genres: LESSON_GENRES });
    expect(numericColumnNames(f)).toEqual([
      'release_date', 'length', 'popularity', 'danceability', 'acousticness', 'energy',
      'instrumentalness', 'liveness', 'loudness', 'speechiness', 'tempo', 'time_signature',
    ]);
    expect(countBy(f, 'artist_top_genre').map((c) => c.value)).toEqual([...LESSON_GENRES]);
    expect(countBy(f, 'artist_top_genre').reduce((s, c) => s + c.n, 0)).toBe(286);
  });
});

describe('figures', () => {
  const lesson = runKMeansLesson(songs(), { nstart: 5, elbow: { from: 1, to: 4 } });

  it('genre bars and box plots are plain plotly JSON with one trace per genre / feature', () => {
    const bars = genreBarFigure(countBy(lesson.songs, 'artist_top_genre'));
    expect(bars.data.map((t) => t.name)).toEqual([...LESSON_GENRES]);
    expect(JSON.parse(JSON.stringify(bars))).toEqual(bars);
    const cols = numericColumnNames(lesson.songs);
    const boxes = boxPlotsFigure(lesson.songs, cols);
    expect(boxes.data).toHaveLength(12);
    expect(boxes.layout.grid).toMatchObject({ rows: 3, columns: 4, pattern: 'independent' });
    expect(boxes.data[0]).toMatchObject({ type: 'box', xaxis: 'x', yaxis: 'y' });
    expect(boxes.data[11]).toMatchObject({ name: 'time_signature', xaxis: 'x12', yaxis: 'y12' });
    expect((boxes.data[2] as { y: number[] }).y).toHaveLength(286);
  });

  it('elbow, scatter and silhouette figures carry the results', () => {
    const e = elbowFigure(lesson.elbow);
    expect(e.data[0]).toMatchObject({ x: [1, 2, 3, 4] });
    const cmp = elbowComparisonFigure([{ name: 'a', points: lesson.elbow }, { name: 'b', points: [{ k: 1, totWithinss: 4 }, { k: 2, totWithinss: 1 }] }]);
    expect((cmp.data[0]!.y as number[])[0]).toBe(1);
    expect(cmp.data[1]!.y).toEqual([1, 0.25]);
    expect(() => elbowComparisonFigure([{ name: 'c', points: [{ k: 2, totWithinss: 1 }] }])).toThrow(/no k = 1 point/);
    const sc = clusterScatterFigure({
      x: numericColumn(lesson.songs, 'popularity'),
      y: numericColumn(lesson.songs, 'danceability'),
      cluster: lesson.kmeans.cluster,
      genre: lesson.genres,
    });
    const total = sc.data.reduce((s, t) => s + (t.x as number[]).length, 0);
    expect(total).toBe(286);
    const symbols = new Set(sc.data.map((t) => (t.marker as { symbol: string }).symbol));
    expect(symbols.size).toBe(3);
    const sil = silhouetteFigure(lesson.silhouette!);
    expect(sil.data).toHaveLength(3);
    expect(sil.data.reduce((s, t) => s + (t.y as number[]).length, 0)).toBe(286);
    const rows = clusterTable(lesson.kmeans, lesson.matrix.columns);
    expect(rows.map((r) => r.size)).toEqual(lesson.kmeans.size);
    expect(Object.keys(rows[0]!)).toEqual(['cluster', 'size', 'withinss', 'popularity', 'danceability', 'acousticness', 'loudness', 'energy']);
    const aug = augmentClusters(lesson.matrix, lesson.kmeans.cluster, 10);
    expect(aug).toHaveLength(10);
    expect(Object.keys(aug[0]!)[0]).toBe('.cluster');
    expect(aug[3]!['.cluster']).toBe(lesson.kmeans.cluster[3]);
    expect(aug[3]!.energy).toBe(lesson.matrix.values[3]![4]);
  });
});

describe('cluster figures escape text from the CSV', () => {
  it('puts genre names into hover templates only escaped', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const fig = clusterScatterFigure({ x: [1, 2], y: [3, 4], cluster: [1, 2], genre: [payload, 'afropop'] });
    const templates = fig.data.map((t) => String(t['hovertemplate']));
    expect(templates.join('\n')).not.toContain('<img');
    expect(templates.some((t) => t.includes('&lt;img src=x onerror=alert(1)&gt;'))).toBe(true);
  });
});
