import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import { main } from '../../src/cli.js';
import { captureIO, tempDir } from './helpers.js';

let dir = '';
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(async () => {
  if (dir) await fsp.rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const io = captureIO();
  const code = await main(argv, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

describe('tweetlab corpora', () => {
  it('documents its corpora and refuses bad flags with one line', async () => {
    const help = await run('corpora', '--help');
    expect(help.out).toContain('"sotu:Harry S Truman"');
    expect(help.out).toContain('apt-get install fortunes-ru');
    const bad = await run('corpora', '--max-posts', 'many');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('tweetlab corpora: --max-posts must be a whole number, got "many"');
    expect((await run('corpora', '')).err).toBe('tweetlab corpora: an empty corpus spec was given');
  });

  it('skips a corpus it cannot read, says why, and fails when none is left', async () => {
    const missing = path.join(dir, 'gone');
    const r = await run('corpora', `fortune:${missing}`, '--quick', '--out', path.join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`skipped fortune:${missing}: Fortune file or folder not found: ${missing}`);
    expect(r.err).toContain('corpora: no corpus could be measured');
    const md = await fsp.readFile(path.join(dir, 'out', 'corpora.md'), 'utf8');
    expect(md).toContain(`- \`fortune:${missing}\`: Fortune file or folder not found: ${missing}`);
  });
});
