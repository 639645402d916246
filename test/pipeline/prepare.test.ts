import { describe, expect, it } from 'vitest';
import { repeatKey } from '../../src/dataset/split.js';
import { prepareRun } from '../../src/pipeline/prepare.js';
import { Random } from '../../src/random.js';
import type { Corpus } from '../../src/types.js';

/** Posts over a few common words plus one rare word per post, so some words live only in one post. */
function corpus(): Corpus {
  const rng = new Random(4);
  const common = ['we', 'will', 'build', 'the', 'future', 'and', 'our', 'jobs'];
  const posts = Array.from({ length: 120 }, (_, i) => ({
    id: String(i),
    text: [...Array.from({ length: 12 }, () => common[rng.int(common.length)]), `rare${rng.int(60)}`].join(' '),
  }));
  return { source: { kind: 'file', name: 'toy.csv' }, posts } as unknown as Corpus;
}

describe('prepareRun', () => {
  it("scores the development posts as held-out posts are scored: words the own model's stream lacks are <unk>", () => {
    const minCount = 2;
    const p = prepareRun(corpus(), { seqLength: 5, validationShare: 0.1, minCount, devShare: 0.2, require: [1, 2], seed: 3 });
    const counts = new Map<number, number>();
    for (const post of p.own.trainPosts) for (const id of post) counts.set(id, (counts.get(id) ?? 0) + 1);
    const devIds = p.own.devPosts.flatMap((post) => Array.from(post));
    for (const id of devIds) if (id !== p.vocab.oovId) expect(counts.get(id) ?? 0).toBeGreaterThanOrEqual(minCount);
    // Some rare words are in the vocabulary only through the development posts: those became <unk>.
    expect(devIds.filter((id) => id === p.vocab.oovId).length).toBeGreaterThan(0);
    expect(p.own.devPosts.length).toBeGreaterThan(0);
  });

  it('keeps repeated posts out of the held-out and development posts (ё and е alike)', () => {
    const base = corpus();
    // Every post a second time, the second copy with ё where the first has е: a leak unless repeats are grouped.
    const copies = base.posts.map((p, i) => ({ id: `copy-${i}`, text: `${p.text} ещё` }));
    const originals = base.posts.map((p) => ({ ...p, text: `${p.text} еще` }));
    const p = prepareRun({ ...base, posts: [...originals, ...copies] }, { seqLength: 5, validationShare: 0.1, minCount: 2, devShare: 0.2, require: [1, 2], seed: 3 });
    const trained = new Set(p.trainPosts.map(repeatKey));
    expect(p.validationPosts.length).toBeGreaterThan(0);
    expect(p.validationPosts.filter((w) => trained.has(repeatKey(w)))).toEqual([]);
    expect(p.repeatsMoved).toBeGreaterThan(0);
    expect(p.trainPosts.length + p.validationPosts.length).toBe(240);
    const words = (ids: Int32Array) => repeatKey(Array.from(ids, (id) => p.vocab.words[id] as string));
    const streamPosts = new Set(p.own.trainPosts.map(words));
    const devInStream = p.own.devPosts.filter((ids) => !Array.from(ids).includes(p.vocab.oovId) && streamPosts.has(words(ids)));
    expect(p.own.devPosts.length).toBeGreaterThan(0);
    expect(devInStream).toEqual([]);
  });
});
