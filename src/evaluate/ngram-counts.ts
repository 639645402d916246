import { absoluteDiscountUniform, discountFor } from './kn-discount.js';

/**
 * The counts of the Kneser–Ney 3-gram (src/evaluate/ngram.ts) and its discounts: one pass over the training
 * sequences for the raw trigram counts, then the lower orders derived from them (continuation counts: how many
 * different words precede; raw counts alongside for the one-word and empty histories).
 */

/** A context's counts: id → count, with the context's total and (as the map's size) its number of types. */
export type CountRow = Map<number, number>;

export interface KneserNeyCounts {
  /** Order 3: raw counts c(uvw) per context key u·base+v, and the context totals c(uv•). */
  tri: Map<number, CountRow>;
  triTotal: Map<number, number>;
  /** Order 2: continuation counts N1+(•vw) per context v, and their sums N1+(•v•). */
  bi: Map<number, CountRow>;
  biTotal: Map<number, number>;
  /** Raw bigram counts c(vw), used when the history has one word only, and their totals. */
  biRaw: Map<number, CountRow>;
  biRawTotal: Map<number, number>;
  /** Order 1 per id: continuation counts N1+(•w) and raw counts c(w). */
  uniCont: Float64Array;
  uniRaw: Float64Array;
  /** Training words counted (without the padding markers). */
  trainingWords: number;
}

/** The absolute discounts, per order and kind of count (raw counts or continuation counts). */
export interface KneserNeyDiscounts {
  trigram: number;
  bigramContinuation: number;
  unigramContinuation: number;
  bigram: number;
  unigram: number;
}

/** How the sequences are read: `bos` pads the begin context, `eos` (post-stream mode) ends a post. */
export interface CountingRules {
  vocabSize: number;
  /** Context key base: u·base + v (vocabSize + 1, so the padding marker has a key too). */
  base: number;
  bos: number;
  eos: number | undefined;
  /** Returns the id, or throws when it is outside the vocabulary. */
  checkId: (w: number) => number;
}

function addCount(row: CountRow, w: number, by: number): void {
  row.set(w, (row.get(w) ?? 0) + by);
}

function rowOf(rows: Map<number, CountRow>, key: number): CountRow {
  let row = rows.get(key);
  if (!row) rows.set(key, (row = new Map()));
  return row;
}

/** Raw trigram counts of every sequence, padded on the left with two begin markers; posts never share a trigram. */
function countTrigrams(sequences: readonly ArrayLike<number>[], rules: CountingRules): Pick<KneserNeyCounts, 'tri' | 'triTotal' | 'trainingWords'> {
  const tri = new Map<number, CountRow>();
  const triTotal = new Map<number, number>();
  const { eos, base } = rules;
  const count = (u: number, v: number, w: number): void => {
    const key = u * base + v;
    addCount(rowOf(tri, key), w, 1);
    triTotal.set(key, (triTotal.get(key) ?? 0) + 1);
  };
  let words = 0;
  for (const seq of sequences) {
    let u = rules.bos;
    let v = rules.bos;
    for (let i = 0; i < seq.length; i++) {
      const w = rules.checkId(seq[i] as number);
      count(u, v, w);
      if (w === eos) {
        u = v = eos; // the post ended: the next one starts from the begin context
        continue;
      }
      u = v;
      v = w;
      words++;
    }
    // Post-stream mode: close the post unless it already ended with <eos>.
    if (eos !== undefined && (seq.length === 0 || seq[seq.length - 1] !== eos)) count(u, v, eos);
  }
  return { tri, triTotal, trainingWords: words };
}

/** Every count the model needs, from the training sequences. */
export function countKneserNey(sequences: readonly ArrayLike<number>[], rules: CountingRules): KneserNeyCounts {
  const { tri, triTotal, trainingWords } = countTrigrams(sequences, rules);
  const bi = new Map<number, CountRow>();
  const biTotal = new Map<number, number>();
  const biRaw = new Map<number, CountRow>();
  const biRawTotal = new Map<number, number>();
  // Continuation counts: every distinct trigram (u, v, w) adds one left neighbour to the bigram (v, w).
  // Raw bigram counts: each trigram occurrence is one occurrence of its bigram (v, w).
  for (const [key, row] of tri) {
    const v = key % rules.base;
    const biRow = rowOf(bi, v);
    const rawRow = rowOf(biRaw, v);
    for (const [w, c] of row) {
      addCount(biRow, w, 1);
      biTotal.set(v, (biTotal.get(v) ?? 0) + 1);
      addCount(rawRow, w, c);
      biRawTotal.set(v, (biRawTotal.get(v) ?? 0) + c);
    }
  }
  // Every distinct bigram (v, w) adds one left neighbour to the unigram w; raw unigram counts alongside.
  const uniCont = new Float64Array(rules.vocabSize);
  const uniRaw = new Float64Array(rules.vocabSize);
  for (const row of biRaw.values()) {
    for (const [w, c] of row) {
      uniCont[w] = (uniCont[w] as number) + 1;
      uniRaw[w] = (uniRaw[w] as number) + c;
    }
  }
  return { tri, triTotal, bi, biTotal, biRaw, biRawTotal, uniCont, uniRaw, trainingWords };
}

/** Every count of every context of one order, for the count-of-counts the discounts are estimated from. */
function allCounts(rows: Map<number, CountRow>): number[] {
  const out: number[] = [];
  for (const row of rows.values()) for (const c of row.values()) out.push(c);
  return out;
}

/** Chen & Goodman's discount of each order and kind of count. */
export function discountsOf(counts: KneserNeyCounts): KneserNeyDiscounts {
  return {
    trigram: discountFor(allCounts(counts.tri)),
    bigramContinuation: discountFor(allCounts(counts.bi)),
    unigramContinuation: discountFor(counts.uniCont),
    bigram: discountFor(allCounts(counts.biRaw)),
    unigram: discountFor(counts.uniRaw),
  };
}

/** The two unigram distributions: continuation (Pc1) and raw (empty history), each interpolated with 1/V. */
export function unigramDistributions(counts: KneserNeyCounts, d: KneserNeyDiscounts): { p1: Float64Array; p1Raw: Float64Array } {
  return { p1: absoluteDiscountUniform(counts.uniCont, d.unigramContinuation), p1Raw: absoluteDiscountUniform(counts.uniRaw, d.unigram) };
}
