/**
 * Byte-pair-encoding subword tokens (Sennrich et al. 2016, word-level BPE): a word is its characters with an
 * end-of-word marker on the last one ("кот" → "к" "о" "т</w>"), and a learned list of merges joins adjacent
 * symbols into longer tokens. Training is in `bpe-train.ts`, the Hugging Face tokenizer.json form in
 * `bpe-json.ts`.
 *
 * Id layout: 0 = `<unk>`, 1 = `<eos>` (the begin/end of a post for the language models), then the base symbols
 * (every character seen in training, both plain and with the end-of-word marker, sorted by UTF-16 code units),
 * then each merged token in the order its merge was learned.
 *
 * Encoding applies merges exactly as Hugging Face's BPE model does — repeatedly the adjacent pair with the
 * lowest merge rank, the leftmost one on a tie — so ids match `@huggingface/tokenizers` on our tokenizer.json.
 * A symbol outside the vocabulary (a character never seen in training) becomes one `<unk>`. `<unk>` carries no
 * end-of-word marker (Hugging Face has one unknown token), so a word whose LAST character was never seen runs
 * into the next word on decode; cleaned posts of the training account rarely have such characters.
 */
import { TweetlabError } from '../errors.js';

export const BPE_UNK_TOKEN = '<unk>';
export const BPE_EOS_TOKEN = '<eos>';
export const BPE_UNK_ID = 0;
export const BPE_EOS_ID = 1;
/** The end-of-word marker on a word's last symbol. */
export const BPE_END_OF_WORD = '</w>';

/** Words longer than this are encoded but not cached (they are rare and would only fill the cache). */
const MAX_CACHED_WORD = 64;
const MAX_CACHE_ENTRIES = 100_000;

export class BpeTokenizer {
  /** Token of each id (do not modify: the encoder's tables are built from it). */
  readonly tokens: string[];
  /** The merges in the order they were learned (rank = index; do not modify). */
  readonly merges: [string, string][];
  readonly unkId = BPE_UNK_ID;
  readonly eosId = BPE_EOS_ID;
  readonly endOfWordSuffix = BPE_END_OF_WORD;
  private readonly index = new Map<string, number>();
  /** left id * vocabSize + right id → merge rank. */
  private readonly rank = new Map<number, number>();
  /** Merge rank → id of the merged token. */
  private readonly mergedId: number[] = [];
  private readonly endsWord: Uint8Array;
  private readonly cache = new Map<string, readonly number[]>();

  /**
   * `tokens` must follow the id layout above and hold every merge's parts and result; `fromTokenizerJson`
   * checks that for files, and training builds it so.
   */
  constructor(tokens: readonly string[], merges: readonly (readonly [string, string])[]) {
    this.tokens = [...tokens];
    this.merges = merges.map((m): [string, string] => [m[0], m[1]]);
    this.tokens.forEach((t, id) => this.index.set(t, id));
    if (this.tokens[BPE_UNK_ID] !== BPE_UNK_TOKEN || this.tokens[BPE_EOS_ID] !== BPE_EOS_TOKEN || this.index.size !== this.tokens.length) {
      throw new TweetlabError(`BPE tokens must start with ${BPE_UNK_TOKEN}, ${BPE_EOS_TOKEN} and hold no token twice`);
    }
    const n = this.tokens.length;
    this.merges.forEach(([left, right], r) => {
      const a = this.index.get(left);
      const b = this.index.get(right);
      const c = this.index.get(left + right);
      if (a === undefined || b === undefined || c === undefined) {
        throw new TweetlabError(`BPE merge ${r} ("${left}" "${right}") uses a token that is not in the vocabulary`);
      }
      const key = a * n + b;
      // Hugging Face keeps the last rank of a repeated merge; refusing repeats keeps both readings equal.
      if (this.rank.has(key)) throw new TweetlabError(`BPE merge ${r} ("${left}" "${right}") appears twice`);
      this.rank.set(key, r);
      this.mergedId.push(c);
    });
    this.endsWord = Uint8Array.from(this.tokens, (t, id) => (id > BPE_EOS_ID && t.endsWith(BPE_END_OF_WORD) ? 1 : 0));
  }

  get vocabSize(): number {
    return this.tokens.length;
  }

  /** Id of a token string, or undefined. */
  idOf(token: string): number | undefined {
    return this.index.get(token);
  }

  /** True if `id` is a token that ends a word (`<unk>` and `<eos>` do not). */
  wordBoundaryAfter(id: number): boolean {
    return this.endsWord[id] === 1;
  }

  /** Token ids of one word (no whitespace inside); an empty word has none. */
  encodeWord(word: string): number[] {
    const cached = this.cache.get(word);
    if (cached !== undefined) return [...cached];
    const ids = this.applyMerges(this.baseSymbols(word));
    if (word.length <= MAX_CACHED_WORD) {
      if (this.cache.size >= MAX_CACHE_ENTRIES) this.cache.clear();
      this.cache.set(word, ids);
    }
    return [...ids];
  }

  /** Token ids of a post's words, in order (no `<eos>` is added: the caller frames posts). */
  encodeWords(words: readonly string[]): Int32Array {
    const out: number[] = [];
    for (const w of words) for (const id of this.encodeWord(w)) out.push(id);
    return Int32Array.from(out);
  }

  /**
   * Words of `ids`: tokens are joined until one ends a word. `<eos>` is skipped and also closes a word left
   * open, as does the end of `ids`; `<unk>` stands in a word as the text "<unk>".
   */
  decode(ids: ArrayLike<number>): string[] {
    const words: string[] = [];
    let current = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      const token = this.tokens[id];
      if (token === undefined || !Number.isInteger(id)) {
        throw new TweetlabError(`Token id ${id} is outside the BPE vocabulary (size ${this.tokens.length})`);
      }
      if (id === BPE_EOS_ID) {
        if (current !== '') words.push(current);
        current = '';
      } else if (this.endsWord[id] === 1) {
        words.push(current + token.slice(0, token.length - BPE_END_OF_WORD.length));
        current = '';
      } else {
        current += token;
      }
    }
    if (current !== '') words.push(current);
    return words;
  }

  /** Symbol ids of a word before any merge; -1 for a symbol outside the vocabulary. */
  private baseSymbols(word: string): number[] {
    const chars = Array.from(word);
    return chars.map((c, i) => this.index.get(i === chars.length - 1 ? c + BPE_END_OF_WORD : c) ?? -1);
  }

  /** Merges the lowest-ranked adjacent pair (leftmost on a tie) until none is left, as Hugging Face does. */
  private applyMerges(symbols: number[]): number[] {
    const n = this.tokens.length;
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < symbols.length; i++) {
        const a = symbols[i] as number;
        const b = symbols[i + 1] as number;
        if (a < 0 || b < 0) continue;
        const r = this.rank.get(a * n + b);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      symbols.splice(bestAt, 2, this.mergedId[bestRank] as number);
    }
    return symbols.map((s) => (s < 0 ? BPE_UNK_ID : s));
  }
}

/** Mean number of tokens per word over tokenized posts (NaN when there are no words). */
export function tokensPerWord(tok: BpeTokenizer, posts: readonly (readonly string[])[]): number {
  let words = 0;
  let tokens = 0;
  for (const post of posts) {
    for (const w of post) {
      words++;
      tokens += tok.encodeWord(w).length;
    }
  }
  return words === 0 ? NaN : tokens / words;
}
