/** How generated posts end and how long they are, next to the real posts. */

export interface GeneratedPostShape {
  words: readonly string[];
  /** True when the model chose to end the post (end-of-post token), false when a length limit cut it off. */
  endedNaturally: boolean;
}

export interface GenerationStats {
  /** Share of generated posts that ended on their own (0..1); NaN without posts. */
  naturalEndShare: number;
  /** Mean words per generated post; NaN without posts. */
  meanLength: number;
  /** Mean words per real post; NaN without real posts. */
  realMeanLength: number;
  /** meanLength ÷ realMeanLength (1 = the same length on average); NaN when either is missing or real is 0. */
  lengthRatio: number;
}

export function generationStats(posts: readonly GeneratedPostShape[], realWordsPerPost: readonly number[]): GenerationStats {
  let natural = 0;
  let words = 0;
  for (const post of posts) {
    if (post.endedNaturally) natural++;
    words += post.words.length;
  }
  let realWords = 0;
  for (const n of realWordsPerPost) {
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`real words per post must be non-negative numbers, got ${n}`);
    realWords += n;
  }
  const meanLength = posts.length === 0 ? Number.NaN : words / posts.length;
  const realMeanLength = realWordsPerPost.length === 0 ? Number.NaN : realWords / realWordsPerPost.length;
  return {
    naturalEndShare: posts.length === 0 ? Number.NaN : natural / posts.length,
    meanLength,
    realMeanLength,
    lengthRatio: realMeanLength > 0 ? meanLength / realMeanLength : Number.NaN,
  };
}
