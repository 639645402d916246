import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { fixtureModel, type FixtureModel } from '../page/fixture.js';
import { captureIO, tempDir } from './helpers.js';

let fixture: FixtureModel;
beforeAll(async () => {
  fixture = await fixtureModel('cli');
});

describe('tweetlab page', () => {
  it('writes index.html and prints its size with --json; --input enables "new posts only"', async () => {
    const out = path.join(await tempDir(), 'site');
    const csv = path.join(path.dirname(fixture.dir), 'posts.csv');
    await fsp.writeFile(csv, 'id,text\n' + fixture.posts.map((p, i) => `${i},"${p.join(' ')}"`).join('\n') + '\n');
    const io = captureIO();
    expect(await main(['page', '--model', fixture.dir, '--out', out, '--input', csv, '--precision', 'float16', '--json'], io)).toBe(0);
    const json = JSON.parse(io.stdout.join('\n'));
    expect(Object.keys(json)).toEqual(['file', 'bytes', 'precision', 'weightBytes', 'runBytes', 'runs']);
    expect(json.file).toBe(path.join(out, 'index.html'));
    expect(json.bytes).toBe((await fsp.stat(json.file)).size);
    expect(json.precision).toBe('float16');
    expect(json.runs).toBeGreaterThan(100);
    const html = await fsp.readFile(json.file, 'utf8');
    expect(html).toContain('<input id="new-only" type="checkbox">');
  });

  it('prints one human line without --json, and the page disables "new posts only" without --input', async () => {
    const out = path.join(await tempDir(), 'site');
    const io = captureIO();
    expect(await main(['page', '--model', fixture.dir, '--out', out], io)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/^wrote .*index\.html \(\d+\.\d\d MB, float32 weights\)$/);
    expect(await fsp.readFile(path.join(out, 'index.html'), 'utf8')).toContain('<input id="new-only" type="checkbox" disabled>');
  });

  it('explains its flags with --help and refuses bad usage with exit code 2', async () => {
    const help = captureIO();
    expect(await main(['page', '--help'], help)).toBe(0);
    expect(help.stdout.join('\n')).toContain('Usage: tweetlab page --model DIR --out DIR');
    for (const argv of [['page', '--out', 'x'], ['page', '--model', fixture.dir, '--out', 'x', '--precision', 'float8'], ['page', 'extra']]) {
      const io = captureIO();
      expect(await main(argv, io)).toBe(2);
      expect(io.stderr.join('\n')).toMatch(/^tweetlab page: /);
    }
  });

  it('names a missing model folder with exit code 1', async () => {
    const io = captureIO();
    expect(await main(['page', '--model', '/nonexistent/model', '--out', await tempDir()], io)).toBe(1);
    expect(io.stderr.join('\n')).toContain('/nonexistent/model');
  });
});
