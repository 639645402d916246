/** Evaluation: perplexity, memorisation, distinct-n and the Kneser–Ney 3-gram baseline. */
export {
  perplexityFromCrossEntropy,
  splitWords,
  NgramIndex,
  memorisation,
  distinctN,
  type MemorisationResult,
  type DistinctResult,
} from './metrics.js';
export { KneserNeyTrigram, type NgramEvaluation, type KneserNeyOptions, type PostScores } from './ngram.js';
export { interpolationWeight, mixtureLogLikelihood } from './interpolation.js';
export { SpanIndex, longestCopiedSpan, NoveltyFilter, type CopiedSpan } from './novelty.js';
export { canYouTell, type CanYouTellOptions, type CanYouTellResult } from './classifier.js';
export { generationStats, type GeneratedPostShape, type GenerationStats } from './generation-stats.js';
export {
  evaluateModels,
  generateNgramPosts,
  type ModelUnderEvaluation,
  type EvaluateModelsInput,
  type EvaluationRow,
  type EvaluationTable,
  type NgramGenerationOptions,
} from './evaluate.js';
