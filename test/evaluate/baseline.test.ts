import { describe, expect, it } from 'vitest';
import { prepareDatasets } from '../../src/dataset/prepare.js';
import { BASELINE_NAME, evaluateWithBaseline } from '../../src/evaluate/evaluate.js';
import type { WindowSet } from '../../src/types.js';

const posts = Array.from({ length: 30 }, (_, i) => `we will build ${i % 5} new roads and ${i % 3} bridges this year ${i % 2}`.split(' ')); // 30 distinct posts

describe('evaluateWithBaseline', () => {
  it('scores every model and the 3-gram on the same held-out windows, seeded', async () => {
    const prepared = prepareDatasets(posts, { seqLength: 4, validationShare: 0.2, splitSeed: 3 });
    const seen: WindowSet[] = [];
    const fake = { evaluate: async (w: WindowSet) => (seen.push(w), { loss: Math.log(50), perplexity: 50 }) };
    const input = { models: [{ name: 'Model 1', model: fake, generated: ['we will build new roads'] }], prepared, seed: 9, posts: 5 };
    const a = await evaluateWithBaseline(input);
    expect(a.table.rows.map((r) => r.name)).toEqual(['Model 1', BASELINE_NAME]);
    expect(seen[0]).toBe(prepared.heldOut);
    expect(a.table.heldOutTargets).toBe(prepared.heldOut.count * 4);
    expect(a.baselinePosts).toHaveLength(5);
    // A repetitive corpus is easy for a 3-gram: far below the uniform perplexity of the vocabulary.
    const baseline = a.table.rows[1]!;
    expect(baseline.perplexity).toBeLessThan(prepared.vocab.words.length / 2);
    const b = await evaluateWithBaseline(input);
    expect(b.baselinePosts).toEqual(a.baselinePosts);
  });

  it('keeps the generation columns when there is nothing held out to score', async () => {
    const prepared = { ...prepareDatasets(posts, { seqLength: 4, validationShare: 0.2, splitSeed: 3 }) };
    prepared.heldOut = { ...prepared.heldOut, inputs: new Int32Array(0), targets: new Int32Array(0), count: 0 };
    const never = { evaluate: async () => { throw new Error('must not score without held-out windows'); } };
    const { table } = await evaluateWithBaseline({ models: [{ name: 'Model 1', model: never, generated: ['a b c'] }], prepared, seed: 1, posts: 3 });
    expect(Number.isNaN(table.rows[0]!.perplexity)).toBe(true);
    expect(table.rows[0]!.generatedPosts).toBe(1);
  });
});
