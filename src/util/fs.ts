import { promises as fsp, constants as fsConstants } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';

/**
 * Writes a file atomically: the data goes to a temp file in the same folder, is flushed, then renamed over
 * the target. A crash or a full disk leaves either the old file or the new one, never half of either.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new TweetlabError(`Cannot create folder ${dir}: ${errorMessage(err)}`);
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, file);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw new TweetlabError(`Cannot write ${file}: ${errorMessage(err)}`);
  }
}

/** JSON with two-space indentation and a final newline, written atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads a UTF-8 text file, turning "not found" and "not readable" into one clear sentence. */
export async function readTextFile(file: string, what = 'file'): Promise<string> {
  try {
    const text = await fsp.readFile(file, 'utf8');
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // drop a UTF-8 BOM
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TweetlabError(`Input ${what} not found: ${file}`);
    if (code === 'EISDIR') throw new TweetlabError(`Input ${what} is a folder, not a file: ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new TweetlabError(`Input ${what} is not readable: ${file}`);
    throw new TweetlabError(`Cannot read ${what} ${file}: ${errorMessage(err)}`);
  }
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await fsp.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}
