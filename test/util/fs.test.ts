import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTextFile, writeFileAtomic, writeJsonAtomic } from '../../src/util/fs.js';

async function tempDir(): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-fs-'));
}

describe('atomic writes', () => {
  it('writes the whole file and leaves no temp files behind', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'sub', 'a.json');
    await writeJsonAtomic(file, { x: 1 });
    await writeFileAtomic(file, 'replaced');
    expect(await fsp.readFile(file, 'utf8')).toBe('replaced');
    expect(await fsp.readdir(path.dirname(file))).toEqual(['a.json']);
  });

  it('keeps the previous file when the folder is read-only', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; use a path whose parent is a file instead, which fails for everyone.
      const dir = await tempDir();
      const blocker = path.join(dir, 'blocker');
      await fsp.writeFile(blocker, 'old');
      await expect(writeFileAtomic(path.join(blocker, 'x.csv'), 'new')).rejects.toThrow(/Cannot (create folder|write)/);
      expect(await fsp.readFile(blocker, 'utf8')).toBe('old');
      return;
    }
    const dir = await tempDir();
    const file = path.join(dir, 'keep.csv');
    await fsp.writeFile(file, 'old');
    await fsp.chmod(dir, 0o500);
    try {
      await expect(writeFileAtomic(file, 'new')).rejects.toThrow(/Cannot write/);
      expect(await fsp.readFile(file, 'utf8')).toBe('old');
    } finally {
      await fsp.chmod(dir, 0o700);
    }
  });
});

describe('readTextFile', () => {
  it('drops a BOM and reports missing files and folders in one sentence', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bom.txt');
    await fsp.writeFile(file, '\ufeffhello');
    expect(await readTextFile(file)).toBe('hello');
    await expect(readTextFile(path.join(dir, 'nope.csv'), 'posts file')).rejects.toThrow(
      `Input posts file not found: ${path.join(dir, 'nope.csv')}`,
    );
    await expect(readTextFile(dir)).rejects.toThrow(/is a folder/);
  });
});
