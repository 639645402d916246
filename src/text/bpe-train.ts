/**
 * Training of the word-level BPE of `bpe.ts` (Sennrich et al. 2016). Each distinct word is a list of symbols
 * weighted by how often the word occurs; every step merges the most frequent adjacent pair everywhere.
 *
 * Speed: pair counts are kept up to date incrementally. A merge touches only the words that hold its pair
 * (found through a pair → words index) and changes the counts of only the pairs around it; the next best
 * pair comes from a max-heap whose outdated entries are skipped when popped. So a merge costs about the size
 * of the words it touches, not a pass over the corpus.
 *
 * Ties (equal counts) go to the pair whose left symbol sorts first, then whose right symbol sorts first
 * (UTF-16 code units), so training is reproducible without any randomness.
 */
import { TweetlabError } from '../errors.js';
import { BPE_END_OF_WORD, BPE_EOS_TOKEN, BPE_UNK_TOKEN, BpeTokenizer } from './bpe.js';

export interface BpeTrainOptions {
  /** Most merges to learn. */
  merges: number;
  /** Stop when the most frequent pair occurs fewer times than this (counting word repeats). Default: 2. */
  minPairCount?: number;
}

/** Training state: distinct words as symbol lists, symbols as strings, pair counts and where pairs occur. */
interface State {
  /** Pair key = left * keyBase + right; keyBase exceeds every symbol id (base symbols + merges), so keys of a
   * usual corpus stay small integers, which Maps handle fastest. */
  keyBase: number;
  symbols: string[];
  symbolId: Map<string, number>;
  words: number[][];
  wordCounts: number[];
  pairCounts: Map<number, number>;
  pairWords: Map<number, Set<number>>;
}

/** Max-heap of (count, pair) entries; an entry is outdated once its pair's count has changed. */
class PairHeap {
  private readonly counts: number[] = [];
  private readonly keys: number[] = [];
  constructor(
    private readonly symbols: readonly string[],
    private readonly keyBase: number,
  ) {}

  get size(): number {
    return this.keys.length;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.keys.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the best entry as [count, key]. */
  pop(): [number, number] {
    const top: [number, number] = [this.counts[0] as number, this.keys[0] as number];
    const lastCount = this.counts.pop() as number;
    const lastKey = this.keys.pop() as number;
    if (this.keys.length === 0) return top;
    this.counts[0] = lastCount;
    this.keys[0] = lastKey;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.keys.length && this.before(l, best)) best = l;
      if (r < this.keys.length && this.before(r, best)) best = r;
      if (best === i) return top;
      this.swap(i, best);
      i = best;
    }
  }

  /** True if entry i comes out before entry j: a higher count, then the smaller pair by string order. */
  private before(i: number, j: number): boolean {
    const ci = this.counts[i] as number;
    const cj = this.counts[j] as number;
    if (ci !== cj) return ci > cj;
    return comparePairs(this.symbols, this.keyBase, this.keys[i] as number, this.keys[j] as number) < 0;
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i] as number;
    this.counts[i] = this.counts[j] as number;
    this.counts[j] = c;
    const k = this.keys[i] as number;
    this.keys[i] = this.keys[j] as number;
    this.keys[j] = k;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePairs(symbols: readonly string[], base: number, x: number, y: number): number {
  const left = compareStrings(symbols[Math.floor(x / base)] as string, symbols[Math.floor(y / base)] as string);
  return left !== 0 ? left : compareStrings(symbols[x % base] as string, symbols[y % base] as string);
}

/** A word that holds a special token or the end-of-word marker could produce a token equal to one of them. */
function usableWord(word: string): boolean {
  return word !== '' && !word.includes(BPE_END_OF_WORD) && !word.includes(BPE_UNK_TOKEN) && !word.includes(BPE_EOS_TOKEN);
}

function symbolOf(state: State, text: string): number {
  let id = state.symbolId.get(text);
  if (id === undefined) {
    id = state.symbols.length;
    state.symbols.push(text);
    state.symbolId.set(text, id);
  }
  return id;
}

/** Distinct words as symbol lists with their counts, and the counts of every adjacent pair. */
function initialState(posts: readonly (readonly string[])[], merges: number): State {
  const wordCounts = new Map<string, number>();
  for (const post of posts) for (const w of post) if (usableWord(w)) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
  const state: State = { keyBase: 0, symbols: [], symbolId: new Map(), words: [], wordCounts: [], pairCounts: new Map(), pairWords: new Map() };
  for (const [word, count] of wordCounts) {
    const chars = Array.from(word);
    state.words.push(chars.map((c, i) => symbolOf(state, i === chars.length - 1 ? c + BPE_END_OF_WORD : c)));
    state.wordCounts.push(count);
  }
  // Each merge shortens at least one distinct word, which bounds the merges (and new symbols) there can be.
  const possibleMerges = state.words.reduce((n, symbols) => n + symbols.length - 1, 0);
  state.keyBase = state.symbols.length + Math.min(merges, possibleMerges) + 1;
  state.words.forEach((symbols, w) => {
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = (symbols[i] as number) * state.keyBase + (symbols[i + 1] as number);
      state.pairCounts.set(key, (state.pairCounts.get(key) ?? 0) + (state.wordCounts[w] as number));
      addPairWord(state, key, w);
    }
  });
  return state;
}

function addPairWord(state: State, key: number, w: number): void {
  let set = state.pairWords.get(key);
  if (set === undefined) state.pairWords.set(key, (set = new Set()));
  set.add(w);
}

/** Adds `count` (negative to subtract) to `delta` for every adjacent pair of `symbols`. */
function countPairs(symbols: readonly number[], base: number, count: number, delta: Map<number, number>): void {
  for (let i = 0; i + 1 < symbols.length; i++) {
    const key = (symbols[i] as number) * base + (symbols[i + 1] as number);
    delta.set(key, (delta.get(key) ?? 0) + count);
  }
}

/** Joins every non-overlapping (a, b) of `symbols`, left to right, into `merged`; null if there is none. */
function mergeWord(symbols: readonly number[], a: number, b: number, merged: number): number[] | null {
  const out: number[] = [];
  let changed = false;
  for (let i = 0; i < symbols.length; i++) {
    if (symbols[i] === a && symbols[i + 1] === b) {
      out.push(merged);
      i++;
      changed = true;
    } else out.push(symbols[i] as number);
  }
  return changed ? out : null;
}

/** Applies the merge of pair `key` to every word that holds it; returns how each pair's count changed. */
function applyMerge(state: State, key: number, merged: number): Map<number, number> {
  const base = state.keyBase;
  const a = Math.floor(key / base);
  const b = key % base;
  const delta = new Map<number, number>();
  for (const w of state.pairWords.get(key) ?? []) {
    const before = state.words[w] as number[];
    const after = mergeWord(before, a, b, merged);
    if (after === null) continue; // the index may list words that no longer hold the pair
    const count = state.wordCounts[w] as number;
    countPairs(before, base, -count, delta);
    countPairs(after, base, count, delta);
    for (let i = 0; i + 1 < after.length; i++) {
      if (after[i] === merged || after[i + 1] === merged) addPairWord(state, (after[i] as number) * base + (after[i + 1] as number), w);
    }
    state.words[w] = after;
  }
  state.pairWords.delete(key);
  return delta;
}

function checkOptions(opts: BpeTrainOptions): number {
  const minPairCount = opts.minPairCount ?? 2;
  if (!Number.isInteger(opts.merges) || opts.merges < 0) {
    throw new TweetlabError(`BPE merges must be a whole number of at least 0, got ${opts.merges}`);
  }
  if (!Number.isInteger(minPairCount) || minPairCount < 1) {
    throw new TweetlabError(`BPE minPairCount must be a whole number of at least 1, got ${minPairCount}`);
  }
  return minPairCount;
}

/**
 * Learns up to `opts.merges` merges from tokenized TRAINING posts (cleaned words). Words that contain
 * `<unk>`, `<eos>` or `</w>` are left out (cleaned text never has them). The vocabulary's base symbols are
 * every character seen, plain and with the end-of-word marker.
 */
export function trainBpe(posts: readonly (readonly string[])[], opts: BpeTrainOptions): BpeTokenizer {
  const minPairCount = checkOptions(opts);
  const state = initialState(posts, opts.merges);
  const baseSymbols = state.symbols.slice();
  const heap = new PairHeap(state.symbols, state.keyBase);
  for (const [key, count] of state.pairCounts) heap.push(count, key);
  const merged = new Set<number>(); // pairs already merged: one that forms again is never merged twice
  const merges: [string, string][] = [];
  while (merges.length < opts.merges && heap.size > 0) {
    const [count, key] = heap.pop();
    if (count !== state.pairCounts.get(key) || merged.has(key)) continue; // outdated entry
    if (count < minPairCount) break;
    const left = state.symbols[Math.floor(key / state.keyBase)] as string;
    const right = state.symbols[key % state.keyBase] as string;
    merges.push([left, right]);
    merged.add(key);
    const delta = applyMerge(state, key, symbolOf(state, left + right));
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const next = (state.pairCounts.get(k) ?? 0) + d;
      if (next > 0) {
        state.pairCounts.set(k, next);
        heap.push(next, k);
      } else state.pairCounts.delete(k);
    }
  }
  return new BpeTokenizer(vocabularyOf(baseSymbols, merges), merges);
}

/** `<unk>`, `<eos>`, the sorted base symbols, then each merge's result the first time it appears. */
function vocabularyOf(baseSymbols: readonly string[], merges: readonly [string, string][]): string[] {
  const chars = new Set<string>();
  for (const s of baseSymbols) chars.add(s.endsWith(BPE_END_OF_WORD) ? s.slice(0, s.length - BPE_END_OF_WORD.length) : s);
  const base = [...chars].flatMap((c) => [c, c + BPE_END_OF_WORD]).sort(compareStrings);
  const tokens = [BPE_UNK_TOKEN, BPE_EOS_TOKEN, ...base];
  const seen = new Set(tokens);
  for (const [l, r] of merges) {
    if (!seen.has(l + r)) {
      seen.add(l + r);
      tokens.push(l + r);
    }
  }
  return tokens;
}
