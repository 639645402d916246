import { describe, expect, it } from 'vitest';
import { CLEAN_RULES, CLEAN_RULE_NAMES, cleanPosts, cleanText } from '../../src/text/clean.js';
import { TweetlabError } from '../../src/errors.js';
import type { Post } from '../../src/types.js';

/** Applies one rule on its own. */
const rule = (name: string) => {
  const r = CLEAN_RULES.find((x) => x.name === name);
  if (!r) throw new Error(`no rule ${name}`);
  return (text: string) => r.apply(text);
};

// Invented posts in the style of a corporate energy feed (not real tweets).
describe('cleaning rules, one by one', () => {
  it('every rule has a unique name and a description', () => {
    expect(new Set(CLEAN_RULE_NAMES).size).toBe(CLEAN_RULES.length);
    for (const r of CLEAN_RULES) expect(r.description.length).toBeGreaterThan(10);
  });

  it('links: http(s), www., t.co and truncated links go', () => {
    const links = rule('links');
    expect(links('Новая станция запущена http://t.co/Ab12Cd34 сегодня').replace(/\s+/g, ' ')).toBe('Новая станция запущена сегодня');
    expect(links('Read more: https://example.org/news?id=5&x=1').trim()).toBe('Read more:');
    expect(links('Подробнее на www.gazcorp.example/press').trim()).toBe('Подробнее на');
    expect(links('см. t.co/xyz и pic.twitter.com/abc').replace(/\s+/g, ' ').trim()).toBe('см. и');
    expect(links('Заседание совета: http://t…').trim()).toBe('Заседание совета:');
    expect(links('HTTPS://EXAMPLE.ORG')).toBe(' ');
  });

  it('mentions: handles become "user", e-mail addresses are left alone', () => {
    const mentions = rule('mentions');
    expect(mentions('@GasCorp_News и @energy_ru подписали').replace(/\s+/g, ' ').trim()).toBe('user и user подписали');
    expect(mentions('thanks @alice.bsky.social and @bob@mastodon.social!').replace(/\s+/g, ' ')).toBe('thanks user and user !');
    expect(mentions('write to press@gascorp.example')).toBe('write to press@gascorp.example');
  });

  it('punctuation: removed, but hyphens, apostrophes and underscores inside words stay', () => {
    const p = (s: string) => rule('punctuation')(s).replace(/\s+/g, ' ').trim();
    expect(p('Газ, нефть и уголь: итоги года!')).toBe('Газ нефть и уголь итоги года');
    expect(p('Ямало-Ненецкий округ, Санкт‑Петербург')).toBe('Ямало-Ненецкий округ Санкт-Петербург');
    expect(p('don’t stop — COVID-19 update… #gpr_export')).toBe("don't stop COVID-19 update gpr_export");
    expect(p('«Сила Сибири» — 2019 г.')).toBe('Сила Сибири 2019 г');
    expect(p('-начало конец- a--b _x_ \'quoted\'')).toBe('начало конец a b x quoted');
  });

  it('brackets: removed', () => {
    expect(rule('brackets')('Отчёт (МСФО) [2019] {черновик} <итоги>').replace(/\s+/g, ' ').trim()).toBe('Отчёт МСФО 2019 черновик итоги');
  });

  it('hashtags: the # goes, the word stays', () => {
    expect(rule('hashtags')('#Газпром запустил #SilaSibiri').trim()).toBe('Газпром запустил  SilaSibiri');
  });

  it('org-types: upper-case legal forms go as whole words, Russian short words stay', () => {
    const org = (s: string) => rule('org-types')(s).replace(/\s+/g, ' ').trim();
    expect(org('ПАО «Газпром» и ООО «Трансгаз Юг»')).toBe('«Газпром» и «Трансгаз Юг»');
    expect(org('ОАО, ЗАО и АО сменили вывески')).toBe(', и сменили вывески');
    expect(org('GasCorp Export LLC, Nordic Pipe Inc. and Baltic Ltd')).toBe('GasCorp Export , Nordic Pipe and Baltic');
    expect(org('Energie GmbH und Netz AG')).toBe('Energie und Netz');
    // after a region adjective АО is an autonomous district, not a company
    expect(org('Ямало-Ненецкий АО и Чукотском АО, но Северный АО «Газ»')).toBe('Ямало-Ненецкий АО и Чукотском АО, но Северный «Газ»');
    // conjunction "а", preposition "о", lower-case forms and words that contain an abbreviation stay
    expect(org('А о чём речь? Ооо, ао, АОН, ПАОлог, inc')).toBe('А о чём речь? Ооо, ао, АОН, ПАОлог, inc');
  });

  it('decoding debris: no-break spaces, "—\\xa0", escape text, replacement characters', () => {
    const debris = (s: string) => rule('decoding-debris')(s).replace(/\s+/g, ' ').trim();
    expect(debris('Итоги\u00a0года —\u00a0рост')).toBe('Итоги года рост');
    expect(debris('Итоги\\xa0года \\u2014 рост')).toBe('Итоги года рост');
    expect(debris('газ\u00adпром\u200b\ufffd')).toBe('газпром');
  });

  it('html-entities: decoded (also double-escaped) so later rules can remove them', () => {
    const ent = rule('html-entities');
    expect(ent('Q&amp;A: &quot;Nord&quot; &#39;24 &gt; 5 &#x2014; ok')).toBe('Q&A: "Nord" \'24 > 5 — ok');
    expect(ent('&amp;quot;Сила&amp;quot;')).toBe('"Сила"');
    expect(ent('&unknown; stays')).toBe('&unknown; stays');
  });

  it('amp-debris: leftover "amp" tokens go, real words with amp stay', () => {
    const amp = (s: string) => rule('amp-debris')(s).replace(/\s+/g, ' ').trim();
    expect(amp('газ amp нефть ampquot итоги amp39')).toBe('газ нефть итоги');
    expect(amp('ampere amplitude camp')).toBe('ampere amplitude camp');
  });

  it('symbols: © ® ° ™ № ♪ and emoji (with skin tones, flags, ZWJ, variation selectors) go', () => {
    const sym = (s: string) => rule('symbols')(s).replace(/\s+/g, ' ').trim();
    expect(sym('Бренд© ® ™ −30° №5 ♪')).toBe('Бренд −30 5');
    expect(sym('Поздравляем🎉 👍🏽 🇷🇺 👩‍🔧 ❤️ 1️⃣')).toBe('Поздравляем 1');
  });

  it('nfkc: look-alike spellings become one', () => {
    const nfkc = rule('nfkc');
    expect(nfkc('ｇａｚ ﬁnal m²')).toBe('gaz final m2');
    expect(nfkc('и\u0306')).toBe('й');
  });

  it('lowercase and whitespace', () => {
    expect(rule('lowercase')('ГАЗПРОМ Shell')).toBe('газпром shell');
    expect(rule('whitespace')('  газ \t\n нефть\u3000 ')).toBe('газ нефть');
  });
});

describe('cleanText, all rules together', () => {
  it('cleans a Russian corporate post end to end', () => {
    const raw =
      'ПАО «Газпром» и @GasCorp_RU обсудили #СПГ-проекты в Ямало-Ненецком АО: http://t.co/Ab12 &amp;quot;Сила Сибири&amp;quot; — 2019 © №1 🔥';
    expect(cleanText(raw)).toBe('газпром и user обсудили спг-проекты в ямало-ненецком ао сила сибири 2019 1');
  });

  it('cleans an English post end to end', () => {
    const raw = 'Nordic Pipe Ltd. signed a deal with @BalticGas (Germany)\u00a0— see www.example.org/press &#39;Pipe&#39; #gpr_export ™';
    expect(cleanText(raw)).toBe('nordic pipe signed a deal with user germany see pipe gpr_export');
  });

  it('rules can be switched off by name', () => {
    expect(cleanText('Газ @GasCorp', { disabled: ['mentions'] })).toBe('газ gascorp');
    expect(cleanText('ПАО Газ', { disabled: ['lowercase', 'org-types'] })).toBe('ПАО Газ');
    expect(() => cleanText('x', { disabled: ['no-such-rule'] })).toThrow(TweetlabError);
    expect(() => cleanText('x', { disabled: ['no-such-rule'] })).toThrow(/Unknown cleaning rule "no-such-rule"/);
  });
});

describe('cleanPosts', () => {
  const posts: Post[] = [
    { id: '1', createdAt: '2020-05-01T10:00:00Z', text: 'Газпром запустил станцию http://t.co/x' },
    { id: '2', text: 'http://t.co/only-a-link 🔥' },
    { id: '3', text: '@GasCorp' },
    { id: '4', text: '«»!!! ©' },
  ];

  it('drops posts left empty, keeps ids and dates, counts changes per rule', () => {
    const r = cleanPosts(posts);
    expect(r.posts).toEqual([
      { id: '1', createdAt: '2020-05-01T10:00:00Z', text: 'газпром запустил станцию' },
      { id: '3', text: 'user' },
    ]);
    expect(r.dropped.map((p) => p.id)).toEqual(['2', '4']);
    expect(r.dropped[0]?.text).toBe('http://t.co/only-a-link 🔥'); // the original, to look it up
    expect(r.perRuleCounts['links']).toBe(2);
    expect(r.perRuleCounts['mentions']).toBe(1);
    expect(r.perRuleCounts['symbols']).toBe(2);
    expect(r.perRuleCounts['html-entities']).toBe(0);
    expect(Object.keys(r.perRuleCounts)).toEqual([...CLEAN_RULE_NAMES]);
  });

  it('leaves switched-off rules out of the counts', () => {
    const r = cleanPosts(posts, { disabled: ['links'] });
    expect(r.perRuleCounts).not.toHaveProperty('links');
    expect(r.posts.map((p) => p.id)).toEqual(['1', '2', '3']);
  });

  it('does not change the input posts', () => {
    const copy = structuredClone(posts);
    cleanPosts(posts);
    expect(posts).toEqual(copy);
  });
});

describe('dotted abbreviations', () => {
  it('become one word instead of stray letters, and only single-letter runs are joined', async () => {
    const { cleanText } = await import('../../src/text/clean.js');
    expect(cleanText('The U.S. economy grew.')).toBe('the us economy grew');
    expect(cleanText('Washington, D.C. at 5 p.m.')).toBe('washington dc at 5 pm');
    expect(cleanText('A. Lincoln ends.Here')).toBe('a lincoln ends here');
    expect(cleanText(cleanText('U.S.A.!'))).toBe('usa');
  });
});
