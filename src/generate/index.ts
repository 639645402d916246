export {
  generatePosts,
  checkpointSampler,
  chooseNext,
  forbiddenIds,
  lengthCounts,
  lengthsFromCounts,
  type GenerateOptions,
  type GeneratedPost,
} from './generate.js';
export { unknownStartWords, startWordsWarning } from './start-words.js';
