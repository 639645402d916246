/**
 * tweetlab's public API: what a notebook or a user's script needs (`import * as tl from "tweetlab"`), stage by
 * stage in the pipeline's order. Everything else in src/ is internal and may change; README's Library section
 * lists these names. test/index.test.ts checks that every name the notebooks use is here and the list stays small.
 */
import { LESSON_COLUMNS, LESSON_GENRES, scale, textColumn } from './cluster/data.js';
import { elbowFits } from './cluster/kmeans.js';
import { checkLessonSettings, elbowFitFor, pairingText } from './cluster/settings.js';

// ── Shared types and errors ──
/** A post, a corpus of them, describe() statistics, a vocabulary, a window set, a generated post, a figure spec. */
export type { CleanResult, Corpus, Describe, Figure, GeneratedPost, Post, SourceInfo, Vocabulary, WindowSet } from './types.js';
/** The error every tweetlab failure throws: one line that names the file, flag or setting at fault. */
export { TweetlabError } from './errors.js';
/** R's Mersenne-Twister stream, so the K-Means lesson draws the starts R draws for the same seed. */
export { RRandom } from './random.js';

// ── Sources: where posts come from ──
/** The corpus to work on: a posts file (.csv/.jsonl), a Twitter archive, or the State of the Union corpus. */
export { loadCorpus, type LoadCorpusOptions } from './sources/index.js';
/** Posts from one source named in one value, fetched once into data/ (`{ kind: 'bluesky', handle }`, `{ kind: 'csv', path }` …). */
export { loadSourceCorpus, type SourceSpec } from './notebook/source.js';
/** Writes posts as CSV (RFC 4180, formula cells neutralised). */
export { writePostsCsv } from './sources/files.js';

// ── Analysis: what the posts look like ──
/** pandas' describe() of a list of numbers (count, mean, std, min, quartiles as pandas computes them, max). */
export { describe } from './analysis/describe.js';
/** Characters per post. */
export { charsPerPost } from './analysis/lengths.js';
/** Words per post. */
export { wordsPerPost } from './analysis/lengths.js';
/** Share of values below a limit (e.g. posts too short for a window). */
export { shareShorterThan } from './analysis/lengths.js';
/** Draws post lengths from a words-per-post distribution (how generated posts get their lengths). */
export { createLengthSampler } from './analysis/lengths.js';
/** The posts as a danfojs DataFrame: one row per post with its length in characters and words. */
export { postsFrame } from './analysis/frame.js';
/** describe() results as a danfojs DataFrame (pandas' layout). */
export { describeFrame } from './analysis/frame.js';
/** Histogram of characters per post. */
export { charsPerPostFigure } from './analysis/figures.js';
/** Histogram of words per post. */
export { wordsPerPostFigure } from './analysis/figures.js';

// ── Text: cleaning and tokens ──
/** The cleaning rules in the order they run: name (what --disable takes), description, the rule. */
export { CLEAN_RULES } from './text/clean.js';
/** Applies the cleaning rules to posts; posts left empty are dropped (and listed). */
export { cleanPosts } from './text/clean.js';
/** Splits cleaned text into word tokens. */
export { tokenizeWords } from './text/tokenize.js';
/** The vocabulary of tokenized posts (rare words become `<unk>`). */
export { buildVocabulary } from './text/tokenize.js';
/** Tokenized posts as id arrays of a vocabulary. */
export { encodePosts } from './text/tokenize.js';
/** Totals of tokenized posts: word tokens and distinct words. */
export { wordTotals } from './text/tokenize.js';

// ── Dataset: split and windows ──
/** Splits posts into training and held-out posts, by post and seeded (before any window is built), repeats kept on one side. */
export { splitPostsForValidation } from './dataset/split.js';
/** The windows of training set variant 1 (inside each post) or 2 (posts joined). */
export { buildWindows } from './dataset/windows.js';
/** Window i of a window set as plain arrays (inputs and targets). */
export { windowAt } from './dataset/windows.js';
/** One window as a table a student can read: input and target words per step. */
export { windowRows } from './dataset/window-rows.js';
/** Bytes a one-hot encoding of the windows would take (why the models take ids instead). */
export { oneHotCostBytes } from './dataset/windows.js';
/** A byte count as a short figure ("1.2 GB"). */
export { formatBytes } from './dataset/windows.js';

// ── Models: settings, engines, training, saved folders ──
/** The report's four models' settings of a preset (quick, default, report). */
export { presetConfig, type ExperimentConfig, type PresetName } from './model/experiment.js';
/** The four models' plans (model and training settings, seeds) for a config and vocabulary size. */
export { buildExperiment, type ModelPlan } from './model/experiment.js';
/** An engine to build models on, by name or the fastest available ("auto"). */
export { getEngine } from './model/backend.js';
/** The engine seam: an engine builds language models; a model trains, evaluates, predicts and steps. */
export type { Engine, LanguageModel, ModelConfig, TrainConfig } from './model/types.js';
/** Trains one model: epochs, validation, checkpoints with sample posts, resume, stop between batches. */
export { trainModel, type TrainOptions, type TrainResult } from './model/train.js';
/** Loads a saved model folder with its vocabulary and config. */
export { loadModel, type LoadedModel, type LoadModelOptions } from './model/io.js';

// ── Generation ──
/** New posts from a model: lengths from the training posts, a start word, sampling settings, a seed. */
export { generatePosts, type GenerateOptions } from './generate/generate.js';

// ── The pipeline: one config, the stages in order ──
/** The run's one config with every field defaulted from a preset and overrides. */
export { resolvePipelineConfig } from './pipeline/config.js';
/** The config's parts: the whole config, its overrides, tweetlab's own model and how it writes. */
export type { OwnGenerationConfig, OwnModelConfig, PipelineConfig, PipelineOverrides } from './pipeline/config.js';
/** Stage 1: posts → statistics → cleaning → tokens → split → vocabulary → windows and post stream. */
export { preparePipeline, type PipelineHooks, type PipelineResult } from './pipeline/run.js';
/** What stage 1 gives every later stage. */
export type { PreparedRun } from './pipeline/prepare.js';
/** The engine choice the pipeline runs on, as `--backend` makes it. */
export { startModelBackend, type RunBackend } from './pipeline/train.js';
/** The stages after preparing: the report's models, tweetlab's own, evaluation and posts. */
export { runPipeline } from './pipeline/run.js';
/** Trains tweetlab's own model (tied LSTM, early stopping) on the prepared post stream. */
export { ownStage } from './pipeline/run.js';
/** Evaluates trained models against the 3-gram: both perplexities, copies, diversity, "can you tell?". */
export { evaluateStage } from './pipeline/run.js';
/** The quality table the evaluation gives. */
export type { QualityRow, QualityTable } from './pipeline/quality.js';
/** The main job (`npm start`): the whole pipeline into a run folder with report.html and summary.json. */
export { runMainJob, type RunJobHooks, type RunJobOptions, type RunJobResult } from './report/job.js';
/** What summary.json of a run holds. */
export type { RunSummary } from './report/types.js';

// ── Notebook helpers ──
/** The preset a notebook runs (TWEETLAB_PRESET, default "default"). */
export { presetFromEnv } from './notebook/environment.js';
/** Versions, backend and machine, for a notebook's first cell. */
export { environmentInfo } from './notebook/environment.js';
/** The pipeline's stage 1 for a notebook's config. */
export { prepareNotebookData, type NotebookData } from './notebook/experiment.js';
/** Trains one of the report's models in a notebook, with live progress; an interrupt stops it after its batch. */
export { trainInNotebook, type TrainMode } from './notebook/train.js';
/** Trains tweetlab's own model in a notebook. */
export { trainOwnInNotebook } from './notebook/train.js';
/** The pipeline's evaluation of the models a notebook trained (the same seeds as `npm start`). */
export { evaluateInNotebook } from './notebook/experiment.js';
/** The sample posts of every checkpoint, as table rows. */
export { checkpointPostRows } from './notebook/experiment.js';
/** Training and validation loss per epoch of several models. */
export { trainingCurvesFigure } from './notebook/experiment.js';
/** The quality table as rows, with ratios to the 3-gram. */
export { qualityTableRows } from './notebook/experiment.js';
/** Both perplexities of every row of the quality table, as grouped bars. */
export { qualityFigure } from './report/quality-section.js';
/** The trainings running in this kernel (by label). */
export { runningTrainings } from './notebook/stop.js';
/** Asks a running training (or all) to stop after its current batch. */
export { stopTraining } from './notebook/stop.js';

// ── Charts and tables in a notebook ──
/** Loads plotly once for the page (a notebook's first cell), so every chart stays drawable. */
export { setupPage } from './viz/notebook.js';
/** Shows a figure. */
export { display } from './viz/notebook.js';
/** Shows rows as a table. */
export { displayTable } from './viz/notebook.js';
/** Shows an object as a two-column table. */
export { displayKeyValues } from './viz/notebook.js';
/** Shows describe() results as pandas shows them. */
export { displayDescribe } from './viz/notebook.js';
/** Shows a danfojs DataFrame as a table. */
export { displayFrame } from './viz/notebook.js';
/** A histogram figure spec. */
export { histogramFigure } from './viz/figures.js';
/** A bar chart figure spec. */
export { barChartFigure } from './viz/figures.js';
/** A line chart figure spec. */
export { lineChartFigure } from './viz/figures.js';

// ── The browser page ──
/** Writes the self-contained page that writes posts in the browser with a saved model. */
export { writeModelPage, type WriteModelPageOptions, type WrittenPage } from './page/page.js';

// ── The K-Means lesson (Nigerian songs), with R's numbers ──
/** The lesson in one call: load, filter, scale, k-means, silhouette, accuracy, elbow. */
export { runKMeansLesson, type KMeansLessonConfig, type KMeansLessonResult } from './cluster/lesson.js';
/** The songs table (NIGERIAN_SONGS_CSV, data/, or a download). */
export { loadSongs } from './cluster/load.js';
/** The lesson's filter: the given genres, without the songs of popularity 0. */
export { filterSongs } from './cluster/data.js';
/** Named numeric columns of a table as a matrix (R's select()). */
export { selectColumns } from './cluster/data.js';
/** A matrix's rows as objects column → value, for tables. */
export { matrixRows } from './cluster/data.js';
/** The columns whose every cell is a number. */
export { numericColumnNames } from './cluster/data.js';
/** describe() of every column of a matrix. */
export { describeColumns } from './cluster/data.js';
/** Rows per value of a text column (R's count()). */
export { countBy } from './cluster/data.js';
/** A songs table. */
export type { DataTable } from './cluster/data.js';
/** k-means as R's kmeans(): Hartigan–Wong, nstart random starts. */
export { kmeans, type KMeansOptions, type KMeansResult } from './cluster/kmeans.js';
/** The elbow: total within-cluster sum of squares for k = 1…n. */
export { elbow } from './cluster/kmeans.js';
/** Silhouette widths, as R's cluster::silhouette. */
export { silhouette, type SilhouetteResult } from './cluster/silhouette.js';
/** The lesson's accuracy: clusters read as genres in the lesson's pairing. */
export { lessonAccuracy } from './cluster/accuracy.js';
/** The accuracy of the best pairing of clusters with genres. */
export { bestAccuracy } from './cluster/accuracy.js';
/** Size, within-cluster sum of squares and centre of each cluster, as table rows. */
export { clusterTable } from './cluster/lesson.js';
/** The data rows with their cluster (R's augment()). */
export { augmentClusters } from './cluster/lesson.js';
/** Songs per genre, as bars. */
export { genreBarFigure } from './cluster/figures.js';
/** One box plot per column. */
export { boxPlotsFigure } from './cluster/figures.js';
/** The elbow curve. */
export { elbowFigure } from './cluster/figures.js';
/** Several elbow curves on one scale (each relative to its total sum of squares), e.g. unscaled vs scaled. */
export { elbowComparisonFigure } from './cluster/figures.js';
/** Two columns of a table as a scatter, coloured by cluster (the lesson: popularity vs danceability). */
export { clusterScatterFromTable } from './cluster/figures.js';
/** The silhouette plot: one bar per point, by cluster, with the mean width. */
export { silhouetteFigure } from './cluster/figures.js';
/**
 * The lesson's settings and helpers notebook 04 reads as `tl.cluster.…`: its genres and columns, the check of
 * k/nstart/elbow, the elbow's fits, the fit for one k, the pairing as text, scaling and a text column.
 */
export const cluster = { LESSON_GENRES, LESSON_COLUMNS, checkLessonSettings, elbowFits, elbowFitFor, pairingText, scale, textColumn } as const;

// The classroom notebooks (01–03): one shared config (notebooks/config.json) and the cells of 03 as calls.
/** The notebooks' shared config: notebooks/config.json, a cell's overrides and the environment, resolved by the pipeline. */
export { labConfig } from './notebook/lab-config.js';
/** The config as a table: each setting, its value and where it came from. */
export { showLabConfig } from './notebook/lab.js';
/** Notebook 03's data for the config (the pipeline's prepare stage). */
export { labData } from './notebook/lab.js';
/** The report's models the config asks for. */
export { labPlans } from './notebook/lab.js';
/** Trains one report model for the config, or loads it from an earlier run with the same config. */
export { trainLabModel } from './notebook/lab.js';
/** Trains tweetlab's own model for the config, or loads it from an earlier run. */
export { trainLabOwn } from './notebook/lab.js';
/** Which earlier run (npm start or a notebook) has models for this config, and why another does not. */
export { reusePlan } from './notebook/lab.js';
/** The pipeline's evaluation of the lab's models (the same seeds as npm start). */
export { evaluateLab } from './notebook/lab.js';
/** The posts a trained model wrote, as table rows. */
export { generatedPostRows } from './notebook/experiment.js';
/** A seed derived from a base seed and a label (every random choice in tweetlab takes one). */
export { deriveSeed } from './random.js';
