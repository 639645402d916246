export { writeModelPage, buildPagePayload, PAGE_FILE, type WriteModelPageOptions, type WrittenPage } from './page.js';
export type { PageMetrics, PageInfo, PagePayload, GenerateSettings } from './protocol.js';
export { encodeWeights, decodeWeights, toHalfBits, fromHalfBits, WEIGHT_PRECISIONS, type WeightPrecision, type EncodedWeights } from './quantize.js';
export { COPY_RUN, trainingRunHashes, encodeHashSet, decodeHashSet, longestCopiedRun, type CopiedRun } from './ngrams.js';
export { unshareMemoryImport } from './kernels.js';
