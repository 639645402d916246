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
export { KneserNeyTrigram, type NgramEvaluation } from './ngram.js';
export {
  evaluateModels,
  generateNgramPosts,
  type ModelUnderEvaluation,
  type EvaluateModelsInput,
  type EvaluationRow,
  type EvaluationTable,
  type NgramGenerationOptions,
} from './evaluate.js';
