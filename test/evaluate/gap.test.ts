import { describe, expect, it } from 'vitest';
import { gapNats, scoreGap, type GapRow } from '../../src/evaluate/gap.js';

const ids = { eosId: 1, oovId: 0 };
// Two posts: [5 0 6] and [0]; each has its words + the closing <eos> as targets.
const posts = [Int32Array.from([5, 0, 6]), Int32Array.from([0])];
const model = [Float64Array.from([-1, -2, -3, -0.5]), Float64Array.from([-4, -0.25])];
const baseline = [Float64Array.from([-2, -1, -1, -1]), Float64Array.from([-2, -0.75])];

describe('scoreGap', () => {
  it('splits the targets by what is predicted and by the word before it', () => {
    const gap = scoreGap(posts, model, baseline, ids);
    expect(gap.byTarget).toEqual([
      { group: 'known word', targets: 2, modelNats: (1 + 3) / 2, baselineNats: (2 + 1) / 2 },
      { group: '<unk>', targets: 2, modelNats: (2 + 4) / 2, baselineNats: (1 + 2) / 2 },
      { group: '<eos>', targets: 2, modelNats: (0.5 + 0.25) / 2, baselineNats: (1 + 0.75) / 2 },
    ]);
    // Context: starts are the first targets of each post; post 1 has <unk> before its 6; post 2's <eos> follows <unk>.
    expect(gap.byContext).toEqual([
      { group: 'start of post', targets: 2, modelNats: (1 + 4) / 2, baselineNats: (2 + 2) / 2 },
      { group: 'after a known word', targets: 2, modelNats: (2 + 0.5) / 2, baselineNats: (1 + 1) / 2 },
      { group: 'after <unk>', targets: 2, modelNats: (3 + 0.25) / 2, baselineNats: (1 + 0.75) / 2 },
    ]);
  });

  it('adds up to the whole difference either way', () => {
    const gap = scoreGap(posts, model, baseline, ids);
    const total = [...model, ...baseline.map((b) => b.map((x) => -x))].flatMap((a) => Array.from(a)).reduce((s, x) => s - x, 0);
    const sum = (rows: readonly GapRow<string>[]) => rows.reduce((s, r) => s + gapNats(r), 0);
    expect(sum(gap.byTarget)).toBeCloseTo(total, 12);
    expect(sum(gap.byContext)).toBeCloseTo(total, 12);
  });

  it('leaves an empty group at zero targets and refuses scores of the wrong length', () => {
    const gap = scoreGap([Int32Array.from([5])], [Float64Array.from([-1, -1])], [Float64Array.from([-1, -1])], ids);
    const unk = gap.byTarget.find((r) => r.group === '<unk>');
    expect(unk?.targets).toBe(0);
    expect(unk ? gapNats(unk) : null).toBe(0);
    expect(() => scoreGap(posts, [model[0] as Float64Array, Float64Array.from([-1])], baseline, ids)).toThrow(/post 1 has 1 words but 1 and 2 scores/);
  });
});
