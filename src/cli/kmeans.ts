import { UsageError } from '../errors.js';
import { loadSongs } from '../cluster/load.js';
import {
  DEFAULT_KMEANS_LESSON,
  runKMeansLesson,
  summarizeKMeansLesson,
  type KMeansLessonConfig,
  type KMeansLessonResult,
  type KMeansSummary,
} from '../cluster/lesson.js';
import { intFlag, parseFlagsOnly, toJson, type Command } from './common.js';

const usage = `Usage: tweetlab kmeans [--input F] [--genres a,b,c] [--columns c1,c2,…] [--k 3] [--nstart 25]
                      [--seed N] [--rng r|tweetlab] [--scale] [--elbow 1..10] [--json]

The k-means lesson on the Nigerian songs: keep the chosen genres and songs with popularity ≠ 0, cluster
the chosen columns with k-means (Hartigan–Wong, as R's kmeans, best of --nstart seeded random starts), then
report cluster sizes and centres, tot.withinss, the mean silhouette width (Euclidean), the lesson's accuracy
(genre → alphabetical group id compared with the cluster number) and the best accuracy over all pairings of
clusters with genres.

Flags:
  --input F          songs CSV (default: $NIGERIAN_SONGS_CSV, else data/nigerian-songs.csv, else it is
                     downloaded from the lesson's URL and cached there)
  --genres a,b,c     genres to keep, or "all" (default: afro dancehall,afropop,nigerian pop)
  --columns c1,…     numeric columns to cluster (default: popularity,danceability,acousticness,loudness,energy)
  --k N              number of clusters (default 3)
  --nstart N         random starts, the best is kept (default 25)
  --seed N           seed of the starts (default 2056, the lesson's set.seed)
  --rng r|tweetlab   generator of the random starts. With --rng r (default) the numbers match R's kmeans()
                     run after set.seed(seed): the starts are drawn from R's Mersenne-Twister stream exactly
                     as R draws them, and --elbow continues that stream after the k-means fit, as the
                     lesson's R code does (same clusters and numbering, same tot.withinss for every k).
                     --rng tweetlab uses tweetlab's own generator (same optimum when found, other numbering)
  --scale            standardise the columns first (R's scale(): centre, divide by the sample sd)
  --elbow A..B       also compute tot.withinss for k = A..B ("10" means 1..10)
  --json             print {"rows", "sizes", "centers", "totWithinss", "betweenss", "totss", "silhouette",
                     "accuracy", "bestAccuracy", "elbow": [{"k", "totWithinss"}]}; "centers" holds one object
                     per cluster (cluster 1 first) mapping column → centre; "silhouette" is null when k = 1;
                     "elbow" is [] without --elbow`;

function listFlag(value: string | undefined, flag: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`kmeans: --${flag} needs at least one name, got "${value}"`);
  return items;
}

/** "1..10" → {1, 10}; "10" → {1, 10}. */
export function parseElbowRange(value: string): { from: number; to: number } {
  const m = /^\s*(?:(\d+)\s*\.\.\s*)?(\d+)\s*$/.exec(value);
  const from = m ? Number(m[1] ?? '1') : NaN;
  const to = m ? Number(m[2]) : NaN;
  if (!m || from < 1 || to < from || to > 100) {
    throw new UsageError(`kmeans: --elbow must look like 1..10 (1 ≤ from ≤ to ≤ 100), got "${value}"`);
  }
  return { from, to };
}

function fmt(v: number, digits = 4): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(digits);
}

function pad(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padStart(widths[i] as number)).join('  ');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  return [pad(header, widths), ...rows.map((r) => pad(r, widths))].join('\n');
}

/** The human-readable output: settings, the cluster table, the fit's figures and the elbow. */
function humanReport(result: KMeansLessonResult, summary: KMeansSummary, source: string): string {
  const cfg = result.config;
  const lines: string[] = [];
  const genreText = cfg.genres.length > 0 ? cfg.genres.join(', ') : 'all genres';
  lines.push(`${summary.rows} songs (${genreText}${cfg.dropZeroPopularity ? '; popularity ≠ 0' : ''}) from ${source}`);
  lines.push(
    `k-means (Hartigan–Wong): k = ${cfg.k}, nstart = ${cfg.nstart}, ` +
      `${cfg.rng === 'r' ? `R's random stream after set.seed(${cfg.seed})` : `tweetlab seed ${cfg.seed}`}, ` +
      `${cfg.scale ? 'scaled' : 'unscaled'} columns ${cfg.columns.join(', ')}`,
  );
  lines.push('');
  lines.push(
    table(
      ['cluster', 'size', 'withinss', ...result.matrix.columns],
      result.kmeans.centers.map((c, i) => [
        String(i + 1),
        String(result.kmeans.size[i]),
        fmt(result.kmeans.withinss[i] as number, 2),
        ...c.map((v) => fmt(v)),
      ]),
    ),
  );
  lines.push('');
  lines.push(`tot.withinss    ${fmt(summary.totWithinss, 3)}`);
  lines.push(`betweenss       ${fmt(summary.betweenss, 3)}   (totss ${fmt(summary.totss, 3)}, ${((100 * summary.betweenss) / summary.totss).toFixed(1)} %)`);
  lines.push(`mean silhouette ${summary.silhouette === null ? 'n/a (k = 1)' : summary.silhouette.toFixed(3)}`);
  lines.push(
    `accuracy        ${summary.accuracy.toFixed(3)} (${result.accuracy.correct} of ${summary.rows}; cluster n = n-th genre alphabetically, as the lesson)`,
  );
  const pairs = result.bestAccuracy.matching.map((g, i) => `${i + 1} → ${g ?? '—'}`).join(', ');
  lines.push(`best accuracy   ${summary.bestAccuracy.toFixed(3)} (${result.bestAccuracy.correct} of ${summary.rows}; best pairing: ${pairs})`);
  if (result.finalKMeans && result.finalAccuracy) {
    lines.push(
      `final_kmeans    accuracy ${result.finalAccuracy.accuracy.toFixed(3)} (${result.finalAccuracy.correct} of ${summary.rows}) on the ` +
        `elbow's own k = ${cfg.k} fit, sizes ${result.finalKMeans.size.join(', ')}: the fit the lesson's accuracy uses`,
    );
  }
  if (summary.elbow.length > 0) {
    lines.push('');
    lines.push('elbow');
    lines.push(table(['k', 'tot.withinss'], summary.elbow.map((p) => [String(p.k), fmt(p.totWithinss, 3)])));
  }
  return lines.join('\n');
}

export const command: Command = {
  name: 'kmeans',
  summary: 'the k-means lesson on the Nigerian songs (sizes, centres, silhouette, accuracy, elbow)',
  usage,
  async run(argv, io) {
    const flags = parseFlagsOnly('kmeans', argv, {
      input: { type: 'string' },
      genres: { type: 'string' },
      columns: { type: 'string' },
      k: { type: 'string' },
      nstart: { type: 'string' },
      seed: { type: 'string' },
      rng: { type: 'string' },
      scale: { type: 'boolean' },
      elbow: { type: 'string' },
      json: { type: 'boolean' },
    });
    const genres = listFlag(flags.str('genres'), 'genres');
    const rngFlag = flags.str('rng') ?? DEFAULT_KMEANS_LESSON.rng;
    if (rngFlag !== 'r' && rngFlag !== 'tweetlab') {
      throw new UsageError(`kmeans: --rng must be "r" or "tweetlab", got "${rngFlag}"`);
    }
    const rng: 'r' | 'tweetlab' = rngFlag;
    const config: Partial<KMeansLessonConfig> = {
      genres: genres && genres.length === 1 && genres[0] === 'all' ? [] : (genres ?? DEFAULT_KMEANS_LESSON.genres),
      columns: listFlag(flags.str('columns'), 'columns') ?? DEFAULT_KMEANS_LESSON.columns,
      k: intFlag('kmeans', flags.str('k'), 'k', DEFAULT_KMEANS_LESSON.k, 1, 1000),
      nstart: intFlag('kmeans', flags.str('nstart'), 'nstart', DEFAULT_KMEANS_LESSON.nstart, 1, 100000),
      seed: intFlag('kmeans', flags.str('seed'), 'seed', DEFAULT_KMEANS_LESSON.seed, 0, rng === 'r' ? 2147483647 : 0xffffffff),
      rng,
      scale: flags.bool('scale'),
      elbow: flags.str('elbow') !== undefined ? parseElbowRange(flags.str('elbow') as string) : null,
    };
    const table0 = await loadSongs({
      input: flags.str('input'),
      onDownload: (url, dest) => io.err(`kmeans: downloading ${url} → ${dest}`),
    });
    const result = runKMeansLesson(table0, config);
    const summary: KMeansSummary = summarizeKMeansLesson(result);
    if (flags.bool('json')) {
      io.out(toJson(summary));
      return 0;
    }
    io.out(humanReport(result, summary, table0.source));
    return 0;
  },
};
