/**
 * The k-means lesson (Nigerian songs): CSV → filter/select → scale → k-means (Hartigan–Wong, as R) →
 * silhouette / elbow / accuracy → figure specs.
 */
export {
  GENRE_COLUMN,
  LESSON_GENRES,
  LESSON_COLUMNS,
  parseDataTable,
  parseNumberCell,
  columnPosition,
  numericColumn,
  textColumn,
  numericColumnNames,
  filterRows,
  filterSongs,
  selectColumns,
  matrixRows,
  countBy,
  compareCodeUnits,
  describeColumns,
  scale,
  type DataTable,
  type NumericMatrix,
  type ScaledMatrix,
  type SongFilter,
} from './data.js';
export { kmeans, elbow, elbowFits, type KMeansOptions, type KMeansResult, type ElbowOptions, type ElbowPoint } from './kmeans.js';
export { hartiganWong, type HartiganWongRun } from './hartigan-wong.js';
export { totalSumOfSquares, toRowMajor, type Rows } from './matrix.js';
export { sumLikeR } from './r-arithmetic.js';
export { silhouette, type SilhouetteResult } from './silhouette.js';
export { groupIds, lessonAccuracy, bestAccuracy, type AccuracyResult } from './accuracy.js';
export {
  NIGERIAN_SONGS_URL,
  NIGERIAN_SONGS_FILE,
  NIGERIAN_SONGS_ENV,
  downloadSongsCsv,
  resolveSongsCsv,
  readDataTable,
  loadSongs,
  type FetchLike,
  type SongsSourceOptions,
  type SongsSource,
} from './load.js';
export {
  DEFAULT_KMEANS_LESSON,
  runKMeansLesson,
  summarizeKMeansLesson,
  clusterTable,
  augmentClusters,
  type KMeansLessonConfig,
  type KMeansLessonResult,
  type KMeansSummary,
} from './lesson.js';
export {
  CATEGORY10,
  TABLEAU10,
  GENRE_SYMBOLS,
  genreBarFigure,
  boxPlotsFigure,
  elbowFigure,
  elbowComparisonFigure,
  clusterScatterFigure,
  clusterScatterFromTable,
  silhouetteFigure,
  type ClusterScatterInput,
} from './figures.js';
export { checkLessonSettings, elbowFitFor, pairingText, type LessonSettings } from './settings.js';
