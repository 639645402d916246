import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORG_TYPE_ABBREVIATIONS, cleanText } from '../../src/text/clean.js';

const LOWER = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcdefghijklmnopqrstuvwxyz';
const UPPER = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';

/** A word of Cyrillic/Latin letters and digits that no rule removes as a whole. */
const plainWord = fc
  .string({ unit: fc.constantFrom(...LOWER, ...UPPER, ...DIGITS), minLength: 1, maxLength: 8 })
  .filter((w) => !ORG_TYPE_ABBREVIATIONS.includes(w) && !/^(amp|https?$|www$)/i.test(w));

const separator = fc.constantFrom(' ', ', ', '. ', '! ', ' — ', '—\u00a0', ' «', '» ', ' (', ') ', '\u00a0', '\n', '"', '? ', ': ', '; ', '… ', '  ', '\t', '-', ' - ', "'", '/', '*', ' © ', ' 🔥 ', ' ❤️ ');

/** Text made of plain words and separators (no links, mentions, entities or abbreviations). */
const plainText = fc
  .array(fc.tuple(plainWord, separator), { maxLength: 20 })
  .map((parts) => parts.map(([w, s]) => w + s).join(''));

/** Fragments that exercise every rule. */
const fragment = fc.oneof(
  plainWord,
  separator,
  fc.constantFrom(
    'http://t.co/Ab12', 'https://example.org/a?b=1&amp;c=2', 'www.gascorp.example', 'http://t…', '@GasCorp_RU', '@a.bsky.social',
    '#Газпром', '#gpr_export', '&amp;', '&amp;quot;', '&#39;', '&gt;', '&#x2014;', '&nbsp;', 'amp', 'ampquot', 'ПАО', 'ООО', 'АО',
    'Inc.', 'LLC', 'GmbH', '\\xa0', '\u00ad', '\u200b', '\ufffd', 'ｇａｚ', 'ﬁ', '²', 'и\u0306', '™', '№', '°', '♪', '👩‍🔧', '🇷🇺', '1️⃣',
    'Ямало-Ненецкий', 'don’t', "O'Neil", 'İstanbul', 'ß', 'ǅ', '\u0301', '-', "'", '_', '__init__', '(', ')', '[', ']',
  ),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const messyText = fc.array(fragment, { maxLength: 25 }).map((parts) => parts.join(''));

const lettersAndDigits = (s: string) => (s.match(/[\p{L}\p{N}]/gu) ?? []).join('');

describe('cleaning properties', () => {
  it('is idempotent on messy posts', () => {
    fc.assert(
      fc.property(messyText, (text) => {
        const once = cleanText(text);
        expect(cleanText(once)).toBe(once);
      }),
      { numRuns: 400 },
    );
  });

  it('is idempotent on arbitrary Unicode', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = cleanText(text);
        expect(cleanText(once)).toBe(once);
      }),
      { numRuns: 400 },
    );
  });

  it('never yields empty tokens and leaves only word characters and single spaces', () => {
    fc.assert(
      fc.property(fc.oneof(messyText, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const out = cleanText(text);
        if (out === '') return;
        for (const token of out.split(' ')) {
          expect(token.length).toBeGreaterThan(0);
          expect(token).toMatch(/^[\p{L}\p{N}\p{M}'_-]+$/u);
          expect(token).toMatch(/^[\p{L}\p{N}]/u); // never starts with a joiner or a loose mark
          expect(token).toMatch(/[\p{L}\p{N}\p{M}]$/u);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps every Cyrillic and Latin letter and every digit, lowercased, in order', () => {
    fc.assert(
      fc.property(plainText, (text) => {
        expect(lettersAndDigits(cleanText(text))).toBe(lettersAndDigits(text).toLowerCase());
      }),
      { numRuns: 400 },
    );
  });
});
