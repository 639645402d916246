export {
  buildWindows,
  buildWindowsPerTweet,
  buildWindowsJoined,
  windowsInRun,
  windowAt,
  oneHotCostBytes,
  formatBytes,
  type OneHotCost,
} from './windows.js';
export { splitPostsForValidation, type PostSplit } from './split.js';
export { prepareDatasets, type PrepareDatasetsOptions, type PreparedDatasets } from './prepare.js';
export { windowRows } from './window-rows.js';
