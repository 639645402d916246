import { promises as fsp, constants as fsConstants } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';

/** Creates `dir` (and its parents) for writing `target`; a failure says which folder and why, in one line. */
export async function makeFolder(dir: string, target: string): Promise<void> {
  try {
    await fsp.mkdir(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' || code === 'ENOTDIR' ? 'a part of that path is a file, not a folder' : errorMessage(err);
    throw new TweetlabError(`Cannot write ${target}: cannot create folder ${dir} (${why})`);
  }
}

/**
 * Writes a file atomically: the data goes to a temp file in the same folder, is flushed, then renamed over
 * the target. A crash or a full disk leaves either the old file or the new one, never half of either.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  await makeFolder(dir, file);
  await removeStaleTemps(dir, path.basename(file));
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

/**
 * Removes temp files of `base` left by writers that were killed mid-write (SIGKILL, power loss): those whose
 * process id no longer runs. Temps of live processes (a concurrent writer) are left alone.
 */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${base}.`;
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await fsp.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

/** True while process `pid` runs (also when another user owns it). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/** JSON with two-space indentation and a final newline, written atomically. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/**
 * Issue 15: a device (/dev/zero, /dev/random) or a FIFO never ends or never answers, so a read would hang or
 * fill memory; they are refused before reading. Missing files and folders are left to the reader's messages.
 */
async function requireRegularFile(file: string, what: string): Promise<void> {
  let st;
  try {
    st = await fsp.stat(file);
  } catch {
    return;
  }
  if (st.isFile() || st.isDirectory()) return;
  const kind = st.isFIFO() ? 'a FIFO (named pipe)' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'a socket or other special file';
  throw new TweetlabError(`Input ${what} is ${kind}, not a regular file: ${file}`);
}

/**
 * Reads a UTF-8 text file, turning "not found" and "not readable" into one clear sentence. Bytes that are not
 * UTF-8 (a file saved as Windows-1251, Latin-1 or UTF-16) are refused with the line they are on, rather than
 * silently turned into U+FFFD, which would garble every non-ASCII word downstream.
 */
export async function readTextFile(file: string, what = 'file'): Promise<string> {
  await requireRegularFile(file, what);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TweetlabError(`Input ${what} not found: ${file}`);
    if (code === 'EISDIR') throw new TweetlabError(`Input ${what} is a folder, not a file: ${file}`);
    if (code === 'EACCES' || code === 'EPERM') throw new TweetlabError(`Input ${what} is not readable: ${file}`);
    throw new TweetlabError(`Cannot read ${what} ${file}: ${errorMessage(err)}`);
  }
  // A UTF-16 byte-order mark, or ASCII text with a NUL in every other byte (UTF-16 saved without a mark).
  const utf16NoMark = bytes.length >= 4 && ((bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) || (bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0));
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || utf16NoMark) {
    throw new TweetlabError(`${file}: the ${what} is UTF-16 text; save it as UTF-8 and try again`);
  }
  const bad = isUtf8(bytes) ? -1 : firstInvalidUtf8(bytes); // native check first; the scan only finds where
  if (bad >= 0) {
    let line = 1;
    for (let i = bytes.indexOf(10); i >= 0 && i < bad; i = bytes.indexOf(10, i + 1)) line++;
    const hex = (bytes[bad] as number).toString(16).toUpperCase().padStart(2, '0');
    throw new TweetlabError(
      `${file}: line ${line}: the ${what} is not UTF-8 (byte 0x${hex} at offset ${bad}); save it as UTF-8 and try again`,
    );
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // drop a UTF-8 BOM
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await fsp.access(file, fsConstants.F_OK);
    return true;
  } catch {
    return false;
  }
}
