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
