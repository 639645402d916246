import { describe, expect, it } from 'vitest';
import { buildWindows } from '../../src/dataset/windows.js';
import { createFastEngine } from '../../src/model/fast/index.js';
import { Random } from '../../src/random.js';
import { encodePosts } from '../../src/text/tokenize.js';
import { decodeWeights, encodeWeights, fromHalfBits, toHalfBits } from '../../src/page/quantize.js';
import { fixturePosts, trainFixtureModel } from './fixture.js';

function randomWeights(seed: number): { values: Float32Array[]; shapes: number[][] } {
  const rng = new Random(seed);
  const shapes = [[30, 12], [12], [5, 40]];
  const values = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.4));
  // Extremes: a zero row, a tiny value, a large one.
  (values[0] as Float32Array).fill(0, 0, 12);
  (values[1] as Float32Array)[0] = 3e-7;
  (values[2] as Float32Array)[7] = 9.5;
  return { values, shapes };
}

describe('float16', () => {
  it('converts known values exactly, rounding ties to even', () => {
    const cases: [number, number][] = [
      [0, 0x0000], [1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [2 ** -14, 0x0400], [2 ** -24, 0x0001],
      [1e6, 0x7c00], [-1e6, 0xfc00], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0.1, 0x2e66],
    ];
    for (const [value, bits] of cases) expect(toHalfBits(value)).toBe(bits);
    expect(fromHalfBits(0x3c00)).toBe(1);
    expect(fromHalfBits(0x0001)).toBe(2 ** -24);
    expect(fromHalfBits(0xfc00)).toBe(-Infinity);
    expect(Number.isNaN(fromHalfBits(toHalfBits(Number.NaN)))).toBe(true);
  });
});

describe('encodeWeights / decodeWeights', () => {
  const { values, shapes } = randomWeights(5);

  it('float32 round-trips exactly', () => {
    const back = decodeWeights(encodeWeights(values, shapes, 'float32'));
    back.forEach((b, k) => expect(Array.from(b)).toEqual(Array.from(values[k] as Float32Array)));
  });

  it('float16 stays within half a unit of the last place (relative 2^-11)', () => {
    const enc = encodeWeights(values, shapes, 'float16');
    const back = decodeWeights(enc);
    back.forEach((b, k) => {
      const v = values[k] as Float32Array;
      for (let i = 0; i < v.length; i++) {
        expect(Math.abs((b[i] as number) - (v[i] as number))).toBeLessThanOrEqual(Math.abs(v[i] as number) * 2 ** -11 + 2 ** -25);
      }
    });
  });

  it('int8 stays within half a step of each row (step = row max / 127)', () => {
    const back = decodeWeights(encodeWeights(values, shapes, 'int8'));
    back.forEach((b, k) => {
      const v = values[k] as Float32Array;
      const shape = shapes[k] as number[];
      const rows = shape.length === 2 ? (shape[0] as number) : 1;
      const cols = v.length / rows;
      for (let r = 0; r < rows; r++) {
        const row = v.subarray(r * cols, (r + 1) * cols);
        const step = Math.max(...Array.from(row, Math.abs)) / 127;
        for (let j = 0; j < cols; j++) expect(Math.abs((b[r * cols + j] as number) - (row[j] as number))).toBeLessThanOrEqual(step / 2 + 1e-7);
      }
    });
    // The zero row stays zero.
    expect(Array.from((back[0] as Float32Array).subarray(0, 12))).toEqual(new Array(12).fill(0));
  });

  it('shrinks the payload to about 1/2 and 1/4', () => {
    const sizes = (['float32', 'float16', 'int8'] as const).map((p) => {
      const e = encodeWeights(values, shapes, p);
      return e.data.length + (e.scales?.length ?? 0);
    });
    expect(sizes[1]! / sizes[0]!).toBeCloseTo(0.5, 1);
    // int8: one byte a value plus a float32 scale per row (these test matrices have short rows).
    expect(sizes[2]! / sizes[0]!).toBeLessThan(0.35);
  });

  it('refuses a payload whose length does not fit its shapes', () => {
    const enc = encodeWeights(values, shapes, 'float16');
    expect(() => decodeWeights({ ...enc, shapes: [[3, 3]] })).toThrow(/shapes need/);
  });
});

describe('quantised weights on held-out windows', () => {
  it('float16 moves held-out perplexity by < 1%; int8 is measured against the same bound', async () => {
    const train = fixturePosts(120, 11);
    const { model, vocab } = await trainFixtureModel(train);
    try {
      const heldOut = buildWindows(encodePosts(fixturePosts(40, 99), vocab), 4, 1);
      const base = (await model.evaluate(heldOut)).perplexity;
      const weights = model.getWeights();
      const engine = createFastEngine({ threads: 1 });
      const moved: Record<string, number> = {};
      for (const precision of ['float16', 'int8'] as const) {
        const decoded = decodeWeights(encodeWeights(weights.map((w) => w.values), weights.map((w) => w.shape), precision));
        const q = engine.createModel(model.config, weights.map((w, k) => ({ ...w, values: decoded[k] as Float32Array })));
        try {
          moved[precision] = Math.abs((await q.evaluate(heldOut)).perplexity / base - 1);
        } finally {
          q.dispose();
        }
      }
      expect(moved.float16).toBeLessThan(0.01);
      expect(moved.float16).toBeLessThan(moved.int8 as number);
      expect(moved.int8).toBeLessThan(0.05);
    } finally {
      model.dispose();
    }
  });
});
