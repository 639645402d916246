import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainBpe } from '../../src/text/bpe-train.js';
import { toTokenizerJson } from '../../src/text/bpe-json.js';
import { TweetlabError } from '../../src/errors.js';

/** Sennrich et al.'s example: low ×5, lower ×2, newest ×6, widest ×3, as posts. */
const SENNRICH: string[][] = [
  ...Array.from({ length: 5 }, () => ['low']),
  ['lower', 'lower'],
  ...Array.from({ length: 3 }, () => ['newest', 'newest', 'widest']),
];

/**
 * Worked out by hand. Start: (e,s)=9 and (s,t</w>)=9 tie, "e" < "s" → (e,s). Then (es,t</w>)=9, (l,o)=7.
 * At 6: (e,w), (n,e), (w,est</w>) tie → "e" first; then (ew,est</w>) before (n,ew); then (n,ewest</w>).
 * (lo,w</w>)=5. At 3: (d,est</w>), (i,d), (w,i) → "d" first, then (i,dest</w>), (w,idest</w>).
 * At 2 (lower): (e,r</w>), (lo,w), (w,e) → "e" first, then (lo,w), then (low,er</w>). Then no pair is left.
 */
const SENNRICH_MERGES: [string, string][] = [
  ['e', 's'],
  ['es', 't</w>'],
  ['l', 'o'],
  ['e', 'w'],
  ['ew', 'est</w>'],
  ['n', 'ewest</w>'],
  ['lo', 'w</w>'],
  ['d', 'est</w>'],
  ['i', 'dest</w>'],
  ['w', 'idest</w>'],
  ['e', 'r</w>'],
  ['lo', 'w'],
  ['low', 'er</w>'],
];

/** A plain BPE trainer that recounts every pair before each merge: the reference for the fast one. */
function referenceMerges(posts: readonly (readonly string[])[], maxMerges: number, minPairCount = 2): [string, string][] {
  const counts = new Map<string, number>();
  for (const p of posts) for (const w of p) counts.set(w, (counts.get(w) ?? 0) + 1);
  let words = [...counts].map(([w, c]) => ({ s: Array.from(w).map((ch, i, a) => (i === a.length - 1 ? ch + '</w>' : ch)), c }));
  const done = new Set<string>();
  const merges: [string, string][] = [];
  while (merges.length < maxMerges) {
    const pairs = new Map<string, { l: string; r: string; n: number }>();
    for (const { s, c } of words) {
      for (let i = 0; i + 1 < s.length; i++) {
        const k = JSON.stringify([s[i], s[i + 1]]);
        if (done.has(k)) continue;
        const e = pairs.get(k) ?? { l: s[i] as string, r: s[i + 1] as string, n: 0 };
        e.n += c;
        pairs.set(k, e);
      }
    }
    const best = [...pairs.values()].sort((a, b) => b.n - a.n || (a.l < b.l ? -1 : a.l > b.l ? 1 : a.r < b.r ? -1 : a.r > b.r ? 1 : 0))[0];
    if (best === undefined || best.n < minPairCount) break;
    merges.push([best.l, best.r]);
    done.add(JSON.stringify([best.l, best.r]));
    words = words.map(({ s, c }) => {
      const out: string[] = [];
      for (let i = 0; i < s.length; i++) {
        if (s[i] === best.l && s[i + 1] === best.r) {
          out.push(best.l + best.r);
          i++;
        } else out.push(s[i] as string);
      }
      return { s: out, c };
    });
  }
  return merges;
}

describe('trainBpe', () => {
  it('learns the hand-checked merges of the Sennrich example and stops when no pair repeats', () => {
    const tok = trainBpe(SENNRICH, { merges: 100 });
    expect(tok.merges).toEqual(SENNRICH_MERGES);
  });

  it('stops at the merge count, and below minPairCount', () => {
    expect(trainBpe(SENNRICH, { merges: 4 }).merges).toEqual(SENNRICH_MERGES.slice(0, 4));
    expect(trainBpe(SENNRICH, { merges: 0 }).merges).toEqual([]);
    // After the 10th merge the best pair occurs only twice (in "lower").
    expect(trainBpe(SENNRICH, { merges: 100, minPairCount: 3 }).merges).toEqual(SENNRICH_MERGES.slice(0, 10));
    // With a minimum of 1 a word's last pair is merged even when it occurs once.
    expect(trainBpe([['ab']], { merges: 5, minPairCount: 1 }).merges).toEqual([['a', 'b</w>']]);
    expect(trainBpe([['ab']], { merges: 5 }).merges).toEqual([]);
  });

  it('lays out ids: <unk>, <eos>, every seen character plain and word-final (sorted), then merged tokens', () => {
    const tok = trainBpe(SENNRICH, { merges: 3 });
    const chars = ['d', 'e', 'i', 'l', 'n', 'o', 'r', 's', 't', 'w'];
    expect(tok.tokens).toEqual(['<unk>', '<eos>', ...chars.flatMap((c) => [c, `${c}</w>`]), 'es', 'est</w>', 'lo']);
    expect(tok.vocabSize).toBe(2 + 20 + 3);
  });

  it('is deterministic and does not depend on the order of posts or words', () => {
    const posts = [['the', 'cat', 'sat'], ['the', 'mat'], ['a', 'cat', 'on', 'the', 'mat'], ['that', 'hat']];
    const a = JSON.stringify(toTokenizerJson(trainBpe(posts, { merges: 50, minPairCount: 1 })));
    const b = JSON.stringify(toTokenizerJson(trainBpe(posts, { merges: 50, minPairCount: 1 })));
    const reversed = posts.map((p) => [...p].reverse()).reverse();
    const c = JSON.stringify(toTokenizerJson(trainBpe(reversed, { merges: 50, minPairCount: 1 })));
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it('learns the same merges as a trainer that recounts every pair (random small corpora)', () => {
    const word = fc.array(fc.constantFrom('a', 'b', 'c', 'я', 'ё'), { minLength: 1, maxLength: 7 }).map((cs) => cs.join(''));
    const corpus = fc.array(fc.array(word, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(corpus, fc.integer({ min: 1, max: 3 }), (posts, minPairCount) => {
        const tok = trainBpe(posts, { merges: 40, minPairCount });
        expect(tok.merges).toEqual(referenceMerges(posts, 40, minPairCount));
        // Two merges may spell the same token ("a"+"bc", "ab"+"c"): it is still one id.
        expect(new Set(tok.tokens).size).toBe(tok.vocabSize);
      }),
      { numRuns: 150, seed: 20260 },
    );
  });

  it('leaves out words holding the end-of-word marker or a special token', () => {
    const tok = trainBpe([['ab', 'ab', 'a</w>b', 'x<unk>', 'y<eos>']], { merges: 10 });
    expect(tok.tokens.slice(2)).toEqual(['a', 'a</w>', 'b', 'b</w>', 'ab</w>']);
  });

  it('accepts a merge count far above what the corpus allows', () => {
    expect(trainBpe(SENNRICH, { merges: Number.MAX_SAFE_INTEGER, minPairCount: 1 }).merges).toEqual(SENNRICH_MERGES);
  });

  it('refuses bad options with a clear error', () => {
    expect(() => trainBpe(SENNRICH, { merges: -1 })).toThrow(TweetlabError);
    expect(() => trainBpe(SENNRICH, { merges: 1.5 })).toThrow(/merges must be a whole number/);
    expect(() => trainBpe(SENNRICH, { merges: 3, minPairCount: 0 })).toThrow(/minPairCount must be a whole number/);
  });
});
