import { describe, expect, it } from 'vitest';
import {
  ownChunks,
  ownStream,
  ownWorkload,
  REPORT_WORKLOAD,
  reportWindows,
  syntheticPosts,
  takeWindows,
} from '../../src/cli/bench-workloads.js';
import { weightSpecs } from '../../src/model/format.js';
import { OWN_MODEL_DEFAULTS } from '../../src/pipeline/config.js';
import { ownModelConfig } from '../../src/pipeline/own.js';

function checksum(...arrays: Int32Array[]): number {
  let h = 0;
  for (const a of arrays) for (const x of a) h = (Math.imul(h, 31) + x) >>> 0;
  return h;
}

describe("the bench's own-model workload", () => {
  const w = ownWorkload();

  it("is tweetlab's own model as the main job builds and trains it", () => {
    expect(w.model).toEqual(ownModelConfig(OWN_MODEL_DEFAULTS, 2602, w.seed));
    expect(w.model).toMatchObject({
      variant: 3, layers: 1, hidden: 256, embedding: 256, tied: true,
      embeddingDropout: 0.15, inputDropout: 0.5, outputDropout: 0.5, recurrentDropout: 0.45, seqLength: 10,
    });
    expect(w.optimizer).toMatchObject({ kind: 'adam', learningRate: 0.005, weightDecay: 1e-5, clipNorm: 0.25 });
    expect(w).toMatchObject({ batchSize: 16, seqLength: 10, tokensPerStep: 160, vocabSize: 2602, eosId: 1 });
    // Tied: the embedding is the output layer, so there is no output kernel to train.
    expect(weightSpecs(w.model).map((s) => s.name)).not.toContain('output/kernel');
    expect(weightSpecs(w.model).find((s) => s.name === 'embedding/embeddings')?.shape).toEqual([2602, 256]);
  });

  it('follows changed own-model settings', () => {
    const small = ownWorkload({ ...OWN_MODEL_DEFAULTS, hidden: 64, batchSize: 16, seqLength: 12, learningRate: 0.01 });
    expect(small.model).toMatchObject({ hidden: 64, embedding: 64, seqLength: 12 });
    expect(small).toMatchObject({ batchSize: 16, seqLength: 12, tokensPerStep: 192 });
    expect(small.optimizer.learningRate).toBe(0.01);
  });

  it('trains on chunks of a post stream framed by <eos>, cut afresh per seed', () => {
    const stream = ownStream(w);
    expect(stream[0]).toBe(w.eosId);
    expect(stream[stream.length - 1]).toBe(w.eosId);
    expect(stream.filter((id) => id === w.eosId).length).toBe(w.posts + 1);
    expect(stream.every((id) => id >= 1 && id < w.vocabSize)).toBe(true);
    const a = ownChunks(w, stream, 1);
    expect(a.seqLength).toBe(10);
    expect(a.count).toBeGreaterThan(40 * w.batchSize * 3); // enough chunks for the timed runs
    // Chunks start at a random offset below seqLength; every target is the next id of the stream.
    const offset = [...Array(10).keys()].find((o) => a.inputs.subarray(0, 30).every((id, i) => id === stream[o + i]));
    expect(offset).toBeDefined();
    expect([...a.targets.subarray(0, 30)]).toEqual([...stream.subarray(offset! + 1, offset! + 31)]);
    expect(a.count).toBe(Math.floor((stream.length - 1 - offset!) / 10));
    expect(checksum(ownChunks(w, stream, 1).inputs)).toBe(checksum(a.inputs));
    expect(checksum(ownChunks(w, stream, 2).inputs)).not.toBe(checksum(a.inputs));
  });
});

describe("the bench's report workload", () => {
  it('keeps the windows it always had (count and checksum from before the workloads moved to src/)', () => {
    const r = reportWindows(REPORT_WORKLOAD);
    expect(r.count).toBe(8337);
    expect(checksum(r.inputs, r.targets)).toBe(1244489487);
  });

  it('draws posts of 3 … 2·mean − 3 words over ids ≥ 2', () => {
    const posts = syntheticPosts({ posts: 500, meanWords: 11, vocabSize: 50, seed: 3 });
    expect(posts).toHaveLength(500);
    expect(Math.min(...posts.map((p) => p.length))).toBe(3);
    expect(Math.max(...posts.map((p) => p.length))).toBe(19);
    expect(posts.every((p) => p.every((id) => id >= 2 && id < 50))).toBe(true);
  });

  it('takes the first windows, cycling when there are fewer', () => {
    const base = { inputs: Int32Array.from([1, 2, 3, 4]), targets: Int32Array.from([2, 3, 4, 5]), count: 2, seqLength: 2, variant: 1 as const, excludedPosts: 0 };
    const t = takeWindows(base, 3);
    expect([...t.inputs]).toEqual([1, 2, 3, 4, 1, 2]);
    expect([...t.targets]).toEqual([2, 3, 4, 5, 2, 3]);
    expect(t.count).toBe(3);
  });
});
