/**
 * tweetlab's public API. Notebooks and users import from here (`import * as tl from "tweetlab"`).
 */
export * from './types.js';
export { Random, deriveSeed } from './random.js';
export { TweetlabError, UsageError } from './errors.js';
export { parseCsv, formatCsv, type CsvTable } from './util/csv.js';
export { writeFileAtomic, writeJsonAtomic } from './util/fs.js';
