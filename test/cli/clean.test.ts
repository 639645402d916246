import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { parsePostsCsv } from '../../src/sources/files.js';
import { FEED_CSV, captureIO, listDir, tempDir } from './helpers.js';

describe('tweetlab clean', () => {
  it('saves the cleaned posts and reports kept, dropped and per-rule counts', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'feed.csv');
    const out = path.join(dir, 'clean', 'feed.clean.csv');
    await fsp.writeFile(input, FEED_CSV);
    const io = captureIO();
    expect(await main(['clean', '--input', input, '--out', out, '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(json).toMatchObject({ input, out, posts: 4, kept: 3, dropped: 1, droppedIds: ['3'], disabled: [] });
    expect(json.perRuleCounts).toMatchObject({ links: 2, mentions: 1, 'org-types': 1, hashtags: 1, lowercase: 3 });
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved).toEqual([
      { id: '1', createdAt: '2020-05-01T09:00:00Z', text: 'газпром запустил новую станцию' },
      { id: '2', createdAt: '2020-05-02T09:00:00Z', text: 'user и партнёры обсудили спг-проекты в ямало-ненецком округе' },
      { id: '4', createdAt: '2020-05-04T09:00:00Z', text: 'итоги года добыча газа выросла на 5 экспорт на 3' },
    ]);
    expect(await listDir(path.dirname(out))).toEqual(['feed.clean.csv']); // no temp file left
  });

  it('--disable switches rules off; human output names the counts', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'feed.csv');
    const out = path.join(dir, 'out.csv');
    await fsp.writeFile(input, FEED_CSV);
    const io = captureIO();
    expect(await main(['clean', '--input', input, '--out', out, '--disable', 'mentions, lowercase'], io)).toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/kept 3, dropped 1/);
    expect(text).toMatch(/Rules switched off: mentions, lowercase/);
    const saved = parsePostsCsv(await fsp.readFile(out, 'utf8'), out);
    expect(saved[1]?.text).toBe('GasCorp_RU и партнёры обсудили СПГ-проекты в Ямало-Ненецком округе');
  });

  it('fails without writing anything when every post is empty after cleaning', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'links.csv');
    const out = path.join(dir, 'out.csv');
    await fsp.writeFile(input, 'id,text\n1,http://t.co/a\n2,"🔥 ©"\n');
    const io = captureIO();
    expect(await main(['clean', '--input', input, '--out', out], io)).toBe(1);
    expect(io.stderr).toEqual([`tweetlab clean: ${input}: all 2 posts are empty after cleaning; nothing was written to ${out}`]);
    expect(await listDir(dir)).toEqual(['links.csv']);
  });

  it('rejects bad flags with exit code 2 and writes nothing', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'feed.csv');
    await fsp.writeFile(input, FEED_CSV);
    const out = path.join(dir, 'out.csv');
    const cases: [string[], RegExp][] = [
      [['clean', '--input', input], /--out is required/],
      [['clean', '--input', input, '--out', out, '--disable', 'links,nonsense'], /unknown rule "nonsense" \(rules: html-entities, /],
      [['clean', '--input', input, '--out'], /--out/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIO();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(message);
    }
    expect(await listDir(dir)).toEqual(['feed.csv']);
  });

  it('reports a malformed CSV with its line and leaves no output', async () => {
    const dir = await tempDir();
    const input = path.join(dir, 'bad.csv');
    await fsp.writeFile(input, 'id,text\n1,"ok"\n2,"a"b\n');
    const io = captureIO();
    expect(await main(['clean', '--input', input, '--out', path.join(dir, 'out.csv')], io)).toBe(1);
    expect(io.stderr[0]).toMatch(/bad\.csv.*line 3/);
    expect(await listDir(dir)).toEqual(['bad.csv']);
  });
});
