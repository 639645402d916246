import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gapNats, type GapRow, type ScoreGap } from '../../src/evaluate/gap.js';
import { capPosts, type ComparedModel, type CorpusRow } from '../../src/pipeline/corpora.js';
import { RUSSIAN_FORTUNES, corporaMarkdown, runCorporaJob, skipReason } from '../../src/report/corpora.js';
import { Random } from '../../src/random.js';
import { formatPostsCsv } from '../../src/sources/files.js';
import type { Corpus } from '../../src/types.js';

/** `count` invented posts of 12–16 words drawn from `words` (repetitive enough for a quick model). */
function inventPosts(words: readonly string[], count: number, seed: number): string[] {
  const rng = new Random(seed);
  return Array.from({ length: count }, () => Array.from({ length: 12 + rng.int(5) }, () => rng.pick(words)).join(' '));
}

const ENGLISH = ['the', 'people', 'of', 'our', 'nation', 'will', 'build', 'a', 'stronger', 'future', 'for', 'every', 'family', 'and', 'child', 'today'];
const RUSSIAN = ['кот', 'учёный', 'ходит', 'по', 'цепи', 'кругом', 'а', 'ёжик', 'в', 'тумане', 'ищет', 'санкт-петербург', 'и', 'дом', 'мир', 'снова'];

let dir = '';
let csv = '';
let fortunes = '';

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-corpora-'));
  csv = path.join(dir, 'english.csv');
  await fsp.writeFile(csv, formatPostsCsv(inventPosts(ENGLISH, 90, 1).map((text, i) => ({ id: String(i + 1), text }))));
  fortunes = path.join(dir, 'russian');
  await fsp.writeFile(fortunes, inventPosts(RUSSIAN, 70, 2).map((t) => `${t}\n\t\t-- Автор`).join('\n%\n') + '\n%\n');
});

afterAll(async () => {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

describe('capPosts', () => {
  const corpus: Corpus = { source: { kind: 'csv', name: 'x' }, posts: Array.from({ length: 10 }, (_, i) => ({ id: String(i), text: `post ${i}` })) };

  it('keeps a small corpus whole and samples a large one with its seed, in the corpus order', () => {
    expect(capPosts(corpus, 10, 1)).toBe(corpus);
    expect(capPosts(corpus, 0, 1)).toBe(corpus);
    const a = capPosts(corpus, 4, 7).posts.map((p) => Number(p.id));
    expect(a).toHaveLength(4);
    expect(new Set(a).size).toBe(4);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
    expect(capPosts(corpus, 4, 7).posts.map((p) => Number(p.id))).toEqual(a);
    expect(capPosts(corpus, 4, 8).posts.map((p) => Number(p.id))).not.toEqual(a);
  });
});

describe('skipReason', () => {
  it('says how to install the Russian fortunes when they are missing, else passes the message on', () => {
    const spec = `fortune:${RUSSIAN_FORTUNES}`;
    expect(skipReason(spec, 'not found', false)).toBe(`${RUSSIAN_FORTUNES} does not exist; install Debian's fortunes-ru (apt-get install fortunes-ru)`);
    expect(skipReason(spec, 'no entries', true)).toBe('no entries');
    expect(skipReason('fortune:/elsewhere', 'not found', false)).toBe('not found');
    expect(skipReason('sotu:Nobody', 'Unknown president', false)).toBe('Unknown president');
  });
});

describe('runCorporaJob', () => {
  it('measures the LSTM, its mixture and the 3-gram on each corpus and writes the table', async () => {
    const out = path.join(dir, 'out');
    const missing = path.join(dir, 'no-such-folder');
    const seen: string[] = [];
    const { result, files } = await runCorporaJob(
      { command: 'test', specs: [csv, `fortune:${fortunes}`, `fortune:${missing}`], preset: 'quick', maxPosts: 80, outDir: out },
      { onRow: (r) => seen.push(r.spec), onSkip: (s) => seen.push(`skip ${s.spec}`) },
    );
    expect(seen).toEqual([csv, `fortune:${fortunes}`, `skip fortune:${missing}`]);
    expect(result).toMatchObject({ command: 'test', preset: 'quick', seed: 42, maxPosts: 80, cpus: os.cpus().length });
    expect(result.load.start).toHaveLength(3);
    expect(result.skipped).toEqual([{ spec: `fortune:${missing}`, reason: `Fortune file or folder not found: ${missing}` }]);
    expect(result.own.hidden).toBe(32);

    const [en, ru] = result.rows as [CorpusRow, CorpusRow];
    // 90 posts are cut to a seeded sample of 80; 70 are kept whole.
    expect([en.posts, en.availablePosts, ru.posts, ru.availablePosts]).toEqual([80, 90, 70, 70]);
    expect(en.seeds.sample).not.toBeNull();
    expect(ru.seeds.sample).toBeNull();
    expect(ru.corpus).toBe(`fortune:${fortunes}`);
    for (const row of result.rows) {
      expect(row.trainPosts + row.heldOutPosts).toBe(row.posts);
      expect(row.heldOutPosts).toBeGreaterThan(0);
      // The invented posts never repeat, so the held-out share is exact.
      expect(row.repeatsMoved).toBe(0);
      expect(row.heldOutPosts).toBe(Math.round(row.posts * 0.1));
      // Every held-out word and each post's end are scored; windows hold 10 targets each.
      expect(row.targets.posts).toBeGreaterThan(row.heldOutPosts * 13 - 1);
      expect(row.targets.windows % 10).toBe(0);
      expect(row.words).toBeGreaterThan(row.posts * 12 - 1);
      expect(row.vocabulary).toBeGreaterThan(2);
      expect(row.unknownShare).toBeGreaterThanOrEqual(0);
      expect(row.unknownShare).toBeLessThan(1);
      expect(row.kn3.postPerplexity).toBeGreaterThan(1);
      expect(row.kn3.windowedPerplexity).toBeGreaterThan(1);
      const ratios = (m: ComparedModel) => {
        expect(m.postPerplexity).toBeGreaterThan(1);
        expect(m.postRatio).toBeCloseTo(m.postPerplexity / row.kn3.postPerplexity, 10);
        expect(m.windowedRatio).toBeCloseTo(m.windowedPerplexity / row.kn3.windowedPerplexity, 10);
      };
      ratios(row.lstm);
      expect(row.mixture).not.toBeNull();
      ratios(row.mixture as ComparedModel);
      expect(row.mixture?.lambda).toBeGreaterThanOrEqual(0);
      expect(row.mixture?.lambda).toBeLessThanOrEqual(1);
      expect(row.epochs).toBeGreaterThanOrEqual(1);
      expect(row.epochs).toBeLessThanOrEqual(2);
      expect(row.bestEpoch).toBeGreaterThanOrEqual(1);
      expect(row.bestEpoch).toBeLessThanOrEqual(row.epochs);
      expect(row.trainSeconds).toBeGreaterThan(0);
      expect(row.seconds).toBeGreaterThanOrEqual(row.trainSeconds);
      expect(row.engine).toBe(result.engine);
      expect(row.seeds.base).toBe(42);
      // The gap table splits the same whole-post scores: each split covers every target, and the groups' differences
      // add up to the difference of the two perplexities.
      const gap = row.gap as ScoreGap;
      for (const split of [gap.byTarget, gap.byContext] as GapRow<string>[][]) {
        expect(split.reduce((n, g) => n + g.targets, 0)).toBe(row.targets.posts);
        const nats = split.reduce((d, g) => d + gapNats(g), 0);
        expect(nats).toBeCloseTo(row.targets.posts * Math.log(row.lstm.postPerplexity / row.kn3.postPerplexity), 6);
      }
      expect(gap.byContext.find((g) => g.group === 'start of post')?.targets).toBe(row.heldOutPosts);
    }
    // The Russian words survive cleaning: the vocabulary is the 16 invented words plus <unk> and <eos>.
    expect(ru.vocabulary).toBe(RUSSIAN.length + 2);

    expect(JSON.parse(await fsp.readFile(files.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
    const md = await fsp.readFile(files.markdown, 'utf8');
    expect(md).toBe(corporaMarkdown(result));
    const tableRows = md.split('\n').filter((l) => l.startsWith(`| ${csv} |`) || l.startsWith(`| fortune:${fortunes} |`));
    expect(tableRows).toHaveLength(6); // main table, gap table and seeds table
    const known = (en.gap as ScoreGap).byTarget[0] as GapRow<string>;
    const diff = known.modelNats - known.baselineNats;
    expect(tableRows[2]).toContain(`| ${csv} | ${Math.abs(diff) < 0.0005 ? '0.000' : `${diff > 0 ? '+' : ''}${diff.toFixed(3)}`} (`);
    expect(tableRows[0]).toContain(`| 80 of 90 |`);
    expect(tableRows[0]).toContain(`${en.lstm.postPerplexity.toFixed(1)} (${en.lstm.postRatio.toFixed(2)}×)`);
    expect(md).toContain(`- \`fortune:${missing}\`: Fortune file or folder not found: ${missing}`);
    expect(md).toContain(`settings, the same for every corpus: \`${JSON.stringify(result.own)}\``);
    const runs = (await fsp.readdir(path.join(out, 'runs'))).sort();
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatch(/^1-[a-z0-9-]*english-csv$/);
    expect(runs[1]).toMatch(/^2-[a-z0-9-]*russian$/);
    expect(await fsp.readdir(path.join(out, 'runs', runs[1] as string, 'models', 'tweetlab'))).toContain('weights.bin');
  });
});
