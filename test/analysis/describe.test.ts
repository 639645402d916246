import { describe as suite, expect, it } from 'vitest';
import {
  DESCRIBE_ROWS,
  describe,
  describeToJson,
  formatDescribe,
  formatDescribeTable,
  quantileSorted,
} from '../../src/analysis/describe.js';
import { describeFrame } from '../../src/analysis/frame.js';

suite('describe (pandas semantics)', () => {
  it('matches pandas on [1, 2, 3, 4] (even count)', () => {
    const d = describe([4, 2, 1, 3]);
    expect(d.count).toBe(4);
    expect(d.mean).toBe(2.5);
    // deviations ±1.5, ±0.5 → 5 / (4 − 1)
    expect(d.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(d.min).toBe(1);
    expect(d.q25).toBe(1.75); // position 0.75 between 1 and 2
    expect(d.q50).toBe(2.5);
    expect(d.q75).toBe(3.25);
    expect(d.max).toBe(4);
  });

  it('handles ties with an odd count', () => {
    // sorted 1 3 3 5 9: positions 1, 2, 3 are exact
    const d = describe([5, 1, 3, 3, 9]);
    expect(d.count).toBe(5);
    expect(d.mean).toBeCloseTo(4.2, 12);
    // squared deviations 10.24 + 1.44 + 1.44 + 0.64 + 23.04 = 36.8, / 4 = 9.2
    expect(d.std).toBeCloseTo(Math.sqrt(9.2), 12);
    expect([d.q25, d.q50, d.q75]).toEqual([3, 3, 5]);
    expect([d.min, d.max]).toEqual([1, 9]);
  });

  it('handles ties with an even count', () => {
    // sorted 2 2 2 4 8 10; positions 1.25, 2.5, 3.75
    const d = describe([2, 10, 2, 8, 2, 4]);
    expect(d.mean).toBeCloseTo(28 / 6, 12);
    // Σx² = 192, n·mean² = 784 / 6 → ss = 184 / 3, / 5
    expect(d.std).toBeCloseTo(Math.sqrt(184 / 15), 12);
    expect(d.q25).toBe(2);
    expect(d.q50).toBe(3);
    expect(d.q75).toBe(7);
  });

  it('gives NaN std for a single value and NaN everything for none, as pandas does', () => {
    const one = describe([7]);
    expect(one.count).toBe(1);
    expect(one.mean).toBe(7);
    expect(one.std).toBeNaN();
    expect([one.min, one.q25, one.q50, one.q75, one.max]).toEqual([7, 7, 7, 7, 7]);
    const none = describe([]);
    expect(none.count).toBe(0);
    expect(none.mean).toBeNaN();
    expect(none.q50).toBeNaN();
  });

  it('skips NaN values like pandas', () => {
    expect(describe([1, NaN, 3]).count).toBe(2);
    expect(describe([1, NaN, 3]).mean).toBe(2);
  });

  it('quantileSorted interpolates linearly between neighbours', () => {
    expect(quantileSorted([10, 20], 0.25)).toBe(12.5);
    expect(quantileSorted([10, 20, 40], 0.75)).toBe(30);
    expect(quantileSorted([10, 20, 40], 1)).toBe(40);
    expect(quantileSorted([10, 20, 40], 0)).toBe(10);
  });

  it('describeToJson uses the pandas labels and turns NaN into null', () => {
    const json = describeToJson(describe([3]));
    expect(Object.keys(json)).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    expect(json.std).toBeNull();
    expect(json['50%']).toBe(3);
  });

  it('formatDescribe prints a pandas-like series block, values right-aligned', () => {
    const text = formatDescribe(describe([1, 2, 3, 40]), 'words');
    const lines = text.split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.slice(0, 8).map((l) => l.split(/\s+/)[0])).toEqual(DESCRIBE_ROWS.map(([label]) => label));
    expect(lines[0]).toMatch(/^count\s+4\.000000$/);
    expect(lines[7]).toMatch(/^max\s+40\.000000$/);
    expect(new Set(lines.slice(0, 8).map((l) => l.length)).size).toBe(1);
    expect(lines[8]).toBe('Name: words, dtype: float64');
  });

  it('formatDescribeTable puts several measures side by side', () => {
    const text = formatDescribeTable({ chars: describe([10, 20]), words: describe([2, 4]) });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/chars\s+words$/);
    expect(lines[2]).toMatch(/^mean\s+15\.000000\s+3\.000000$/);
  });

  it('describeFrame builds a danfojs DataFrame with pandas row labels and our quartiles', () => {
    const df = describeFrame({ chars: describe([1, 2, 3, 4]), words: describe([5, 1, 3, 3, 9]) });
    expect(df.index).toEqual(['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max']);
    expect(df.columns).toEqual(['chars', 'words']);
    const chars = df.column('chars').values as number[];
    expect(chars[4]).toBe(1.75);
    const single = describeFrame(describe([2, 4]), 'num_words');
    expect(single.columns).toEqual(['num_words']);
  });
});
