export {
  CLEAN_RULES,
  CLEAN_RULE_NAMES,
  ORG_TYPE_ABBREVIATIONS,
  activeRules,
  cleanText,
  cleanPosts,
  type CleanOptions,
} from './clean.js';
export {
  WHITESPACE_CLASS,
  splitWhitespace,
  tokenizeWords,
  buildVocabulary,
  wordTotals,
  encode,
  encodePosts,
  decode,
  vocabularyToJson,
  vocabularyFromJson,
  OOV_ID,
  OOV_TOKEN,
  type VocabularyOptions,
  type WordTotals,
  type VocabularyJson,
} from './tokenize.js';
export {
  BpeTokenizer,
  tokensPerWord,
  BPE_UNK_TOKEN,
  BPE_EOS_TOKEN,
  BPE_UNK_ID,
  BPE_EOS_ID,
  BPE_END_OF_WORD,
} from './bpe.js';
export { trainBpe, type BpeTrainOptions } from './bpe-train.js';
export { toTokenizerJson, fromTokenizerJson, saveBpeTokenizer, loadBpeTokenizer } from './bpe-json.js';
