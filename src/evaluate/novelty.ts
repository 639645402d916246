import { NgramIndex } from './metrics.js';

/**
 * Novelty of generated posts against the training posts: the longest run of consecutive words a post copies
 * from one training post, and a filter that rejects posts copying ≥ n words.
 */

/**
 * Every run of consecutive words inside one training post, as a generalised suffix automaton over word ids
 * (Blumer et al. 1985): built in time linear in the number of training words, it finds the longest copied run
 * of a post in time linear in the post's length — no scan over the corpus per post.
 */
export class SpanIndex {
  private readonly ids = new Map<string, number>();
  private readonly len: number[] = [0];
  private readonly link: number[] = [-1];
  private readonly next: Map<number, number>[] = [new Map()];

  constructor(posts: readonly (readonly string[])[]) {
    for (const words of posts) {
      let last = 0;
      for (const word of words) {
        let id = this.ids.get(word);
        if (id === undefined) this.ids.set(word, (id = this.ids.size));
        last = this.extend(last, id);
      }
    }
  }

  /** Number of automaton states (at most twice the training words). */
  get states(): number {
    return this.len.length;
  }

  /** For each position of `words`, the length of the longest training run ending there. */
  matchLengths(words: readonly string[]): Int32Array {
    const out = new Int32Array(words.length);
    let state = 0;
    let length = 0;
    for (let i = 0; i < words.length; i++) {
      const c = this.ids.get(words[i] as string);
      if (c === undefined) {
        state = 0;
        length = 0;
        continue;
      }
      while (state !== 0 && !this.edges(state).has(c)) {
        state = this.link[state] as number;
        length = this.len[state] as number;
      }
      const to = this.edges(state).get(c);
      if (to === undefined) {
        length = 0;
      } else {
        state = to;
        length++;
      }
      out[i] = length;
    }
    return out;
  }

  private edges(state: number): Map<number, number> {
    return this.next[state] as Map<number, number>;
  }

  private newState(length: number, link: number, edges: Map<number, number>): number {
    this.len.push(length);
    this.link.push(link);
    this.next.push(edges);
    return this.len.length - 1;
  }

  /** Appends word `c` after state `last` of the post being inserted; returns the new last state. */
  private extend(last: number, c: number): number {
    const existing = this.edges(last).get(c);
    if (existing !== undefined) {
      // The run is already known (an earlier post shares it): split its state if it is longer than this run.
      if ((this.len[last] as number) + 1 === this.len[existing]) return existing;
      return this.split(last, c, existing);
    }
    const cur = this.newState((this.len[last] as number) + 1, 0, new Map());
    let p = last;
    while (p !== -1 && !this.edges(p).has(c)) {
      this.edges(p).set(c, cur);
      p = this.link[p] as number;
    }
    if (p !== -1) {
      const q = this.edges(p).get(c) as number;
      this.link[cur] = (this.len[p] as number) + 1 === this.len[q] ? q : this.split(p, c, q);
    }
    return cur;
  }

  /** Clones state q with length len(p) + 1, redirects p's suffix path from q to the clone, returns the clone. */
  private split(p: number, c: number, q: number): number {
    const clone = this.newState((this.len[p] as number) + 1, this.link[q] as number, new Map(this.edges(q)));
    for (let s = p; s !== -1 && this.edges(s).get(c) === q; s = this.link[s] as number) this.edges(s).set(c, clone);
    this.link[q] = clone;
    return clone;
  }
}

export interface CopiedSpan {
  /** Number of consecutive words copied (0 when no word of the post occurs in training). */
  length: number;
  /** Index in the post of the span's first word (0 when length is 0). */
  start: number;
  /** The copied words. */
  words: string[];
}

/**
 * The longest run of consecutive words of `words` that also appears consecutively inside one training post
 * (the first such run when several are equally long).
 */
export function longestCopiedSpan(words: readonly string[], index: SpanIndex): CopiedSpan {
  const lengths = index.matchLengths(words);
  let best = 0;
  let end = -1;
  for (let i = 0; i < lengths.length; i++) {
    if ((lengths[i] as number) > best) {
      best = lengths[i] as number;
      end = i;
    }
  }
  const start = best === 0 ? 0 : end - best + 1;
  return { length: best, start, words: words.slice(start, start + best) };
}

/**
 * Built once from the training posts: tells whether a generated post is new (copies fewer than `n` consecutive
 * words of any training post — the memorisation metric's rule, through the same n-gram hash) and how long its
 * longest copied run is.
 */
export class NoveltyFilter {
  private readonly grams: NgramIndex;
  private readonly spans: SpanIndex;

  constructor(
    trainingPosts: readonly (readonly string[])[],
    readonly n = 6,
  ) {
    this.grams = new NgramIndex(trainingPosts, n);
    this.spans = new SpanIndex(trainingPosts);
  }

  /** False when `words` copies ≥ n consecutive words of one training post. */
  isNovel(words: readonly string[]): boolean {
    return this.grams.findCopiedRun(words) === undefined;
  }

  longestSpan(words: readonly string[]): CopiedSpan {
    return longestCopiedSpan(words, this.spans);
  }
}
