export {
  describe,
  describeToJson,
  formatDescribe,
  formatDescribeTable,
  quantileSorted,
  DESCRIBE_ROWS,
  type DescribeJson,
} from './describe.js';
export {
  codePointLength,
  charsPerPost,
  wordsPerPost,
  shareShorterThan,
  integerHistogram,
  lengthHistogram,
  createLengthSampler,
  type Histogram,
  type LengthSampler,
} from './lengths.js';
export { postsFrame, frameRows, describeFrame, describeFromFrame, type Frame, type FrameLike } from './frame.js';
export { wordsPerPostFigure, charsPerPostFigure, type LengthFigureOptions } from './figures.js';
