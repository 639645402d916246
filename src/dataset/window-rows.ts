import { decode } from '../text/tokenize.js';
import type { Vocabulary } from '../types.js';

/**
 * One training window as a table a student can read: a "row" column first ("input", "target"), then one
 * column per step. (Objects keyed "0", "1", … would put "row" last: JavaScript orders integer-like keys first.)
 */
export function windowRows(window: { inputs: ArrayLike<number>; targets: ArrayLike<number> }, vocab: Vocabulary): { columns: string[]; rows: string[][] } {
  const inputs = decode(window.inputs, vocab);
  const targets = decode(window.targets, vocab);
  return {
    columns: ['row', ...inputs.map((_, i) => `word ${i + 1}`)],
    rows: [
      ['input', ...inputs],
      ['target', ...targets],
    ],
  };
}
