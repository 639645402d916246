/**
 * Where a model wins and loses against the 3-gram on the held-out posts: the whole-post scores of both, split
 * by what is predicted (a known word, `<unk>`, the end of the post) and by what precedes it (the start of the
 * post, a known word, `<unk>`). Each group gives its share of the targets and both models' nats per target, so
 * "the LSTM loses on known words after known words" is a number (issue 11's Russian diagnosis).
 */
import type { PostLogProbs } from './post-scores.js';

export type TargetGroup = 'known word' | '<unk>' | '<eos>';
export type ContextGroup = 'start of post' | 'after a known word' | 'after <unk>';

export interface GapRow<G extends string> {
  group: G;
  /** Targets in the group. */
  targets: number;
  /** Mean negative log-probability per target (nats) of the model and of the baseline; NaN for an empty group. */
  modelNats: number;
  baselineNats: number;
}

export interface ScoreGap {
  byTarget: GapRow<TargetGroup>[];
  byContext: GapRow<ContextGroup>[];
}

const TARGETS: readonly TargetGroup[] = ['known word', '<unk>', '<eos>'];
const CONTEXTS: readonly ContextGroup[] = ['start of post', 'after a known word', 'after <unk>'];

/**
 * Splits two scorings of the same posts (`scorePostsWithModel` / the 3-gram's `scorePosts`: post i has
 * length + 1 log-probabilities, its `<eos>` last) into the target and context groups.
 */
export function scoreGap(posts: readonly Int32Array[], model: PostLogProbs, baseline: PostLogProbs, ids: { eosId: number; oovId: number }): ScoreGap {
  const byTarget = TARGETS.map(() => ({ targets: 0, model: 0, baseline: 0 }));
  const byContext = CONTEXTS.map(() => ({ targets: 0, model: 0, baseline: 0 }));
  const kindOf = (id: number): number => (id === ids.eosId ? 2 : id === ids.oovId ? 1 : 0);
  posts.forEach((post, i) => {
    const m = model[i] as Float64Array;
    const b = baseline[i] as Float64Array;
    if (m.length !== post.length + 1 || b.length !== post.length + 1) {
      throw new RangeError(`scoreGap: post ${i} has ${post.length} words but ${m.length} and ${b.length} scores (want words + 1)`);
    }
    for (let t = 0; t <= post.length; t++) {
      const target = t < post.length ? kindOf(post[t] as number) : 2;
      const context = t === 0 ? 0 : kindOf(post[t - 1] as number) === 1 ? 2 : 1;
      for (const g of [byTarget[target], byContext[context]]) {
        if (!g) continue;
        g.targets++;
        g.model -= m[t] as number;
        g.baseline -= b[t] as number;
      }
    }
  });
  const rows = <G extends string>(groups: readonly G[], sums: { targets: number; model: number; baseline: number }[]): GapRow<G>[] =>
    groups.map((group, k) => {
      const s = sums[k] as { targets: number; model: number; baseline: number };
      return { group, targets: s.targets, modelNats: s.model / s.targets, baselineNats: s.baseline / s.targets };
    });
  return { byTarget: rows(TARGETS, byTarget), byContext: rows(CONTEXTS, byContext) };
}

/** The whole difference of a group in nats (model − baseline, summed over its targets): where the total gap comes from. */
export function gapNats(row: GapRow<string>): number {
  return row.targets === 0 ? 0 : (row.modelNats - row.baselineNats) * row.targets;
}
