/**
 * tweetlab's public API. Notebooks and users import from here (`import * as tl from "tweetlab"`).
 * Each pipeline stage is also reachable as a namespace (`tl.sources`, `tl.model`, `tl.cluster`, `tl.viz`).
 */
export * from './types.js';
export { Random, RRandom, deriveSeed } from './random.js';
export { TweetlabError, UsageError } from './errors.js';
export { parseCsv, formatCsv, neutraliseFormula, restoreFormula, type CsvTable, type CsvWriteOptions } from './util/csv.js';
export { readRunStatus, type RunStatus } from './report/run-folder.js';
export { writeFileAtomic, writeJsonAtomic } from './util/fs.js';

export * as sources from './sources/index.js';
export * as model from './model/index.js';
export * as cluster from './cluster/index.js';
export * as viz from './viz/index.js';
export * as page from './page/index.js';

export * from './sources/index.js';
export * from './analysis/index.js';
export * from './text/index.js';
export * from './dataset/index.js';
export * from './model/index.js';
export * from './model/fast/index.js';
export { prepareTrainingData, type TrainingData, type TrainingDataOptions } from './model/data.js';
export * from './generate/index.js';
export * from './evaluate/index.js';
export * from './report/index.js';
export * from './viz/index.js';
// Both the terminal printer (model) and the notebook display (viz) have a formatProgress; the top level keeps
// the general one, which takes a plain status object.
export { formatProgress } from './viz/index.js';
export * from './notebook/index.js';
export * from './cluster/index.js';
export { writeModelPage, type WriteModelPageOptions, type WrittenPage, type PageMetrics } from './page/index.js';
