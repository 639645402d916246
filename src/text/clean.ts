/**
 * Cleaning (the report's section 3): every step is a named `CleanRule` that can be switched off by name.
 * The rules run in the order of `CLEAN_RULES`; the order matters and is explained beside each rule.
 *
 * Decisions worth knowing:
 * - Word joiners. A hyphen, apostrophe or underscore *between two letters/digits* stays part of the word:
 *   "ямало-ненецкого", "санкт-петербург", "covid-19", "don't", "gpr_export" are one word each. Compounds
 *   are single words in Russian; splitting them would leave fragments ("санкт") that only make sense
 *   together. Any other hyphen/dash/apostrophe is punctuation. Hyphen and apostrophe look-alikes
 *   (U+2010, U+2011, U+2019, U+02BC …) are spelled as ASCII "-" and "'" so one word has one spelling.
 * - Organisation types. The abbreviations are removed only in their upper-case spellings (ООО, ПАО, АО,
 *   LLC, Inc, GmbH …), because lower case collides with real words: "а" (but) and "о" (about) are a
 *   conjunction and a preposition that casual spelling runs together ("ао", "аоо"), and "ооо" is an
 *   exclamation. An upper-case two-letter word "АО" is the abbreviation (a capitalised preposition is
 *   "О", one letter), and upper-case-only matching leaves "Ооо!" at the start of a sentence alone.
 *   Every listed form has an upper-case letter, so a lowered text never matches again (idempotence).
 *   One exception: after a region adjective ("Ямало-Ненецкий АО", "в Чукотском АО") "АО" means
 *   "автономный округ" (an autonomous district), which is kept (it becomes the word "ао").
 * - NFKC. Compatibility normalisation folds look-alike code points onto one spelling before counting words:
 *   fullwidth "ｇａｚ" → "gaz", ligatures "ﬁ" → "fi", superscripts "²" → "2", no-break and other width spaces
 *   → space, and decomposed letters ("и" + U+0306) → "й". Without it the vocabulary holds twins that look
 *   identical. Symbols that NFKC would spell out as letters (™ → "TM", № → "No") are removed first.
 * - Cleaning is idempotent: cleanText(cleanText(x)) === cleanText(x) (property-tested).
 */
import { TweetlabError } from '../errors.js';
import type { CleanResult, CleanRule, Post } from '../types.js';
import { WHITESPACE_CLASS, splitWhitespace } from './tokenize.js';

// ── helpers ───────────────────────────────────────────────────────────────────────────────────────────

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', laquo: '«', raquo: '»', lsquo: '‘',
  rsquo: '’', ldquo: '“', rdquo: '”', bdquo: '„', ndash: '–', mdash: '—', hellip: '…', copy: '©',
  reg: '®', trade: '™', deg: '°', bull: '•', middot: '·', shy: '\u00ad', numero: '№', euro: '€',
};
const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z]{2,8}));/g;

function decodeEntitiesOnce(text: string): string {
  return text.replace(ENTITY, (whole, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (name !== undefined) return Object.hasOwn(NAMED_ENTITIES, name.toLowerCase()) ? (NAMED_ENTITIES[name.toLowerCase()] as string) : whole;
    const cp = dec !== undefined ? parseInt(dec, 10) : parseInt(hex as string, 16);
    if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return ' ';
    return String.fromCodePoint(cp);
  });
}

/** True for a code point that is part of a word: a letter, a digit/number, or a combining mark. */
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u;
const MARK = /^\p{M}$/u;
const WHITESPACE_CHAR = new RegExp(`^[${WHITESPACE_CLASS}]$`, 'u');
const HYPHENS = new Set(['-', '\u2010', '\u2011']);
const APOSTROPHES = new Set(["'", '\u2019', '\u02bc']);

/** Replaces each match of `re` with a single space. */
const toSpace = (re: RegExp) => (text: string) => text.replace(re, ' ');

// Word boundary for whole-word rules: not next to a letter, digit, mark or underscore.
const B_BEFORE = '(?<![\\p{L}\\p{N}\\p{M}_])';
const B_AFTER = '(?![\\p{L}\\p{N}\\p{M}_])';

/** Organisation-type abbreviations removed by the `org-types` rule (case-sensitive, see the header). */
export const ORG_TYPE_ABBREVIATIONS: readonly string[] = [
  // Russian legal forms
  'ООО', 'ОАО', 'ЗАО', 'ПАО', 'НАО', 'АО', 'ОДО', 'ИП', 'НКО', 'АНО', 'ФГУП', 'ГУП', 'МУП',
  // English, German and other Latin forms (each has at least one upper-case letter)
  'LLC', 'LLP', 'Inc', 'INC', 'Ltd', 'LTD', 'Corp', 'CORP', 'PLC', 'Plc', 'PJSC', 'OJSC', 'CJSC', 'JSC', 'GmbH', 'AG',
];

const ORG_TYPES = new RegExp(
  `${B_BEFORE}(?:${[...ORG_TYPE_ABBREVIATIONS].sort((a, b) => b.length - a.length).join('|')})\\.?${B_AFTER}`,
  'gu',
);

/** "Ямало-Ненецкий АО", "Чукотском АО": after a region adjective "АО" is "автономный округ", not a company. */
const REGION_ADJECTIVE_BEFORE = /[сц]к(?:ий|ого|ому|им|ом)[\s\u00a0]+$/iu;

/**
 * The punctuation rule as a scan over code points: keeps letters, digits and whitespace; keeps combining
 * marks that sit on a letter/digit; keeps a hyphen, apostrophe or underscore only between two word
 * characters (spelled as ASCII); everything else becomes a space. Decisions look at the input neighbours,
 * and word characters are never changed, so a kept joiner still has word neighbours afterwards — which is
 * why a second pass changes nothing.
 */
function removePunctuation(text: string): string {
  const cps = Array.from(text);
  let out = '';
  let prevIsWord = false; // previous *output* char is a letter/digit or an attached mark
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i] as string;
    if (LETTER_OR_NUMBER.test(c)) {
      out += c;
      prevIsWord = true;
    } else if (MARK.test(c)) {
      if (prevIsWord) out += c;
      else out += ' ';
    } else if (WHITESPACE_CHAR.test(c)) {
      out += c;
      prevIsWord = false;
    } else {
      const joiner = HYPHENS.has(c) ? '-' : APOSTROPHES.has(c) ? "'" : c === '_' ? '_' : undefined;
      const prev = i > 0 ? (cps[i - 1] as string) : '';
      const next = i + 1 < cps.length ? (cps[i + 1] as string) : '';
      if (joiner !== undefined && prevIsWord && WORD_CHAR.test(prev) && LETTER_OR_NUMBER.test(next)) {
        out += joiner;
      } else {
        out += ' ';
      }
      prevIsWord = false;
    }
  }
  return out;
}

// ── the rules ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * The cleaning rules, in the order they run. Names are stable: they are what `--disable` takes.
 */
export const CLEAN_RULES: readonly CleanRule[] = [
  {
    // First, so that everything after sees real characters: "&quot;" becomes a quote the punctuation rule
    // removes, "&copy;" a © the symbols rule removes. Repeats while something changes, so double-escaped
    // text ("&amp;quot;") decodes fully; every pass shortens the text, so it ends.
    name: 'html-entities',
    description: 'Decodes HTML entities (&amp; &quot; &#39; &gt; &#x2014; …) so later rules see the characters they stand for.',
    apply(text) {
      let prev = text;
      for (;;) {
        const next = decodeEntitiesOnce(prev);
        if (next === prev) return next;
        prev = next;
      }
    },
  },
  {
    name: 'decoding-debris',
    description:
      'Removes decoding debris: no-break spaces (\\xa0, "—\\xa0"), literal escape text ("\\xa0", "\\u2014"), the replacement character U+FFFD, control and invisible format characters.',
    apply(text) {
      return text
        .replace(/[\u2014\u2013]\u00a0/g, ' ') // "—\xa0": a dash glued to a no-break space
        .replace(/\\x[0-9a-fA-F]{2}|\\u[0-9a-fA-F]{4}|\\[nrt]/g, ' ') // escapes saved as text
        .replace(/[\u00a0\u2007\u202f\ufffd]/g, ' ')
        .replace(/[\p{Cc}]/gu, (c) => (c === '\t' || c === '\n' || c === '\r' ? c : ' '))
        .replace(/[\p{Cf}]/gu, ''); // soft hyphen, zero-width space/joiners, BOM, bidi marks: invisible
    },
  },
  {
    // Before punctuation (which would shred a URL into words) and before mentions ("…/@user" in a path).
    name: 'links',
    description: 'Removes links: http:// and https:// URLs (also truncated ones), www. addresses, t.co and pic.twitter.com links.',
    apply: toSpace(/(?:https?:\/\/|www\.)\S*|\bhttps?…|\b(?:t\.co|pic\.twitter\.com)\/\S*/giu),
  },
  {
    // A mention starts a token (an e-mail address is not a mention). Bluesky and Mastodon handles carry
    // dots and a second @ ("@name.bsky.social", "@user@mastodon.social"); the whole handle becomes "user".
    name: 'mentions',
    description: 'Replaces @mentions (Twitter, Bluesky and Mastodon handles) with the word "user".',
    apply: (text) =>
      text.replace(/(?<![\p{L}\p{N}\p{M}_@])@[\p{L}\p{N}_]+(?:[.@-][\p{L}\p{N}_]+)*/gu, ' user '),
  },
  {
    // Before NFKC, which would spell some of these out as letters (™ → "TM", № → "No", ℃ → "°C").
    name: 'symbols',
    description:
      'Removes odd symbols and emoji: © ® ° ™ № ♪ and other symbol characters, pictographs, skin tones, flags, variation selectors, keycaps and ZWJ.',
    apply: toSpace(
      /[\p{So}\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d\u20e3\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u{e0020}-\u{e007f}]/gu,
    ),
  },
  {
    name: 'nfkc',
    description: 'Applies Unicode NFKC normalisation so look-alike spellings (fullwidth, ligatures, decomposed letters) become one word.',
    apply: (text) => text.normalize('NFKC'),
  },
  {
    // Hashtags keep their word: "#Газпром" → "Газпром". A space, not nothing, so "word#tag" gives two words.
    name: 'hashtags',
    description: 'Removes the # of hashtags and keeps the hashtag word.',
    apply: toSpace(/[#\uff03]/gu),
  },
  {
    name: 'brackets',
    description: 'Removes brackets: ( ) [ ] { } < > ⟨ ⟩ and their fullwidth forms.',
    apply: toSpace(/[()[\]{}<>⟨⟩〈〉〔〕【】（）［］｛｝]/gu),
  },
  {
    // Case-sensitive and before lowercasing; see the header for why only upper-case forms.
    name: 'org-types',
    description: 'Removes organisation-type abbreviations as whole words in their upper-case forms (ООО, ОАО, ЗАО, ПАО, АО, LLC, Inc, Ltd, GmbH …).',
    apply: (text) =>
      text.replace(ORG_TYPES, (match: string, offset: number) =>
        /^АО\.?$/u.test(match) && REGION_ADJECTIVE_BEFORE.test(text.slice(Math.max(0, offset - 40), offset)) ? match : ' ',
      ),
  },
  {
    // Before punctuation, which would leave "U.S." as the stray tokens "u" and "s".
    name: 'abbreviations',
    description: 'Joins dotted abbreviations of single letters into one word: U.S. → US, D.C. → DC, a.m. → am.',
    apply: (text) => text.replace(/(?<![\p{L}\p{N}.])(?:\p{L}\.){2,}(?![\p{L}\p{N}])/gu, (m) => m.replace(/\./g, '')),
  },
  {
    name: 'punctuation',
    description:
      'Removes punctuation and every other non-letter, non-digit character; a hyphen, apostrophe or underscore between two letters/digits stays in the word.',
    apply: removePunctuation,
  },
  {
    name: 'lowercase',
    description: 'Lowercases the text.',
    apply: (text) => text.toLowerCase(),
  },
  {
    // The report's `amp\S*`: what is left of "&amp;…" when a feed was decoded badly ("amp", "ampquot").
    // Only these whole tokens, so "ampere" and "amplitude" survive. Case-insensitive, so a word left
    // upper-case by a disabled lowercase rule cannot come back on a second pass.
    name: 'amp-debris',
    description: 'Removes leftover "amp" tokens of badly decoded entities ("amp", "ampquot", "amp39").',
    apply: toSpace(new RegExp(`${B_BEFORE}(?<!['-])amp(?:amp|quot|lt|gt|nbsp|apos|#?\\d+)*(?!['-])${B_AFTER}`, 'giu')),
  },
  {
    name: 'whitespace',
    description: 'Collapses every run of whitespace to one space and trims both ends.',
    apply: (text) => text.split(new RegExp(`[${WHITESPACE_CLASS}]+`, 'u')).filter((w) => w !== '').join(' '),
  },
];

/** The names of all cleaning rules, in order. */
export const CLEAN_RULE_NAMES: readonly string[] = CLEAN_RULES.map((r) => r.name);

export interface CleanOptions {
  /** Names of rules to skip (see CLEAN_RULE_NAMES). Default: none. */
  disabled?: readonly string[];
}

/** The rules that run for `opts`, in order; unknown names are an error naming the valid ones. */
export function activeRules(opts: CleanOptions = {}): CleanRule[] {
  const disabled = new Set(opts.disabled ?? []);
  for (const name of disabled) {
    if (!CLEAN_RULE_NAMES.includes(name)) {
      throw new TweetlabError(`Unknown cleaning rule "${name}" (rules: ${CLEAN_RULE_NAMES.join(', ')})`);
    }
  }
  return CLEAN_RULES.filter((r) => !disabled.has(r.name));
}

/** Cleans one text with every rule not disabled. */
export function cleanText(text: string, opts: CleanOptions = {}): string {
  let out = text;
  for (const rule of activeRules(opts)) out = rule.apply(out);
  return out;
}

/**
 * Cleans every post. Posts whose text is empty (or only whitespace) after cleaning are dropped and returned
 * in `dropped` with their original text; `perRuleCounts[name]` is how many posts that rule changed.
 */
export function cleanPosts(posts: readonly Post[], opts: CleanOptions = {}): CleanResult {
  const rules = activeRules(opts);
  const perRuleCounts: Record<string, number> = {};
  for (const r of rules) perRuleCounts[r.name] = 0;
  const kept: Post[] = [];
  const dropped: Post[] = [];
  for (const post of posts) {
    let text = post.text;
    for (const rule of rules) {
      const next = rule.apply(text);
      if (next !== text) perRuleCounts[rule.name] = (perRuleCounts[rule.name] as number) + 1;
      text = next;
    }
    if (splitWhitespace(text).length === 0) dropped.push(post);
    else kept.push({ ...post, text });
  }
  return { posts: kept, dropped, perRuleCounts };
}
