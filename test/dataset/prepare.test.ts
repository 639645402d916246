import { describe, expect, it } from 'vitest';
import { prepareDatasets } from '../../src/dataset/prepare.js';

const posts = [
  'the cat sat on the mat',
  'a dog ran in the park today',
  'we will build a new road',
  'short one',
  'the people of this nation',
  'every child can learn to read',
].map((t) => t.split(' '));

describe('prepareDatasets', () => {
  it('splits by post before windowing and builds the vocabulary from training posts only', () => {
    const d = prepareDatasets([...posts, []], { seqLength: 3, validationShare: 0.34, splitSeed: 7 });
    expect(d.trainPosts.length + d.validationPosts.length).toBe(posts.length); // the empty post is dropped
    const trainWords = new Set(d.trainPosts.flat());
    for (const w of d.vocab.words.slice(1)) expect(trainWords.has(w)).toBe(true);
    // Windows of each set come only from its own posts: counts follow the two formulas.
    const perPost = (set: string[][]) => set.reduce((n, p) => n + Math.max(0, p.length - 3), 0);
    expect(d.windows[1].train.count).toBe(perPost(d.trainPosts));
    expect(d.windows[2].train.count).toBe(d.trainPosts.flat().length - 3);
    expect(d.windows[1].validation.count).toBe(perPost(d.validationPosts));
    expect(d.heldOut).toBe(d.windows[1].validation.count > 0 ? d.windows[1].validation : d.windows[2].validation);
    expect(d.wordsPerPost).toEqual(d.trainPosts.map((p) => p.length));
  });

  it('is deterministic under the split seed', () => {
    const a = prepareDatasets(posts, { seqLength: 2, validationShare: 0.3, splitSeed: 11 });
    const b = prepareDatasets(posts, { seqLength: 2, validationShare: 0.3, splitSeed: 11 });
    expect(a.validationPosts).toEqual(b.validationPosts);
    expect(Array.from(a.windows[2].train.inputs)).toEqual(Array.from(b.windows[2].train.inputs));
  });

  it('fails clearly only for the training sets it must build', () => {
    const shortPosts = [['one', 'two'], ['three', 'four'], ['five', 'six'], ['seven', 'eight']];
    expect(() => prepareDatasets(shortPosts, { seqLength: 4, validationShare: 0.25, splitSeed: 1, require: [1] })).toThrow(
      /seqLength 4 is longer than every post/,
    );
    const d = prepareDatasets(shortPosts, { seqLength: 4, validationShare: 0.25, splitSeed: 1, require: [2] });
    expect(d.windows[1].train.count).toBe(0);
    expect(d.windows[2].train.count).toBeGreaterThan(0);
    expect(() => prepareDatasets([[]], { seqLength: 2, validationShare: 0.1, splitSeed: 1 })).toThrow(/No post has any words/);
  });
});
