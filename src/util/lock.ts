/**
 * Claims on output folders and files, so two commands never write into one place at once (issue 15: two
 * `train` runs into one --out mixed their checkpoints; two `fetch csv` runs lost half the posts). A claim is a
 * small lock file created exclusively (written under a private name, then hard-linked to the lock name, which
 * fails if it exists, so a lock is never seen half-written). It names its holder: pid, command, start time.
 * A lock whose process no longer runs (killed, power loss) is stale and is taken over.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { makeFolder, processAlive } from './fs.js';

/** What a lock file holds. */
export interface LockHolder {
  pid: number;
  command: string;
  startedAt: string;
  /** Distinguishes two claims of one process (a library user may claim twice). */
  token: string;
}

export interface Claim {
  /** The lock file. */
  readonly lockFile: string;
  readonly holder: LockHolder;
  /** Removes the lock if it is still this claim's. Safe to call twice. */
  release(): Promise<void>;
}

/** The lock file of a folder (inside it). */
export const FOLDER_LOCK = '.tweetlab.lock';

/** The lock file of a single output file: beside it, `.NAME.lock`. */
export function fileLockPath(file: string): string {
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.lock`);
}

let claims = 0;

/** Claims folder `dir` (created if needed) for `command`; throws a one-line TweetlabError naming the holder. */
export async function claimFolder(dir: string, command: string): Promise<Claim> {
  await makeFolder(dir, dir);
  return claimLockFile(path.join(path.resolve(dir), FOLDER_LOCK), dir, command);
}

/** Claims output file `file` (its folder is created if needed) with a lock file beside it. */
export async function claimFile(file: string, command: string): Promise<Claim> {
  await makeFolder(path.dirname(path.resolve(file)), file);
  return claimLockFile(fileLockPath(file), file, command);
}

/** Runs `fn` holding a claim on `file`, and releases it however `fn` ends. */
export async function withFileClaim<T>(file: string, command: string, fn: () => Promise<T>): Promise<T> {
  const claim = await claimFile(file, command);
  try {
    return await fn();
  } finally {
    await claim.release();
  }
}

/** Reads a lock; undefined when it is gone or unreadable (a reader never waits on it). */
export async function readLock(lockFile: string): Promise<LockHolder | undefined> {
  try {
    const v = JSON.parse(await fsp.readFile(lockFile, 'utf8')) as Partial<LockHolder>;
    if (typeof v.pid !== 'number' || typeof v.command !== 'string' || typeof v.startedAt !== 'string') return undefined;
    return { pid: v.pid, command: v.command, startedAt: v.startedAt, token: String(v.token ?? '') };
  } catch {
    return undefined;
  }
}

function describeHolder(h: LockHolder): string {
  return `process ${h.pid} ("tweetlab ${h.command}", started ${h.startedAt})`;
}

async function claimLockFile(lockFile: string, target: string, command: string): Promise<Claim> {
  const holder: LockHolder = { pid: process.pid, command, startedAt: new Date().toISOString(), token: `${process.pid}-${++claims}` };
  // Not ".tmp": the atomic writer's clean-up and its tests own that suffix.
  const draft = `${lockFile}.${holder.token}.new`;
  try {
    await fsp.writeFile(draft, JSON.stringify(holder) + '\n', { flag: 'wx' });
  } catch (err) {
    throw new TweetlabError(`Cannot write ${target}: cannot create its lock file ${lockFile} (${errorMessage(err)})`);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await fsp.link(draft, lockFile);
        return makeClaim(lockFile, holder);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new TweetlabError(`Cannot write ${target}: cannot create its lock file ${lockFile} (${errorMessage(err)})`);
        }
      }
      const current = await readLock(lockFile);
      if (current && processAlive(current.pid)) {
        throw new TweetlabError(`${target} is in use by ${describeHolder(current)}; wait for it to finish or choose another output`);
      }
      await takeOverStale(lockFile, current);
    }
    throw new TweetlabError(`${target}: could not claim ${lockFile} (other processes keep claiming it); try again`);
  } finally {
    await fsp.rm(draft, { force: true }).catch(() => undefined);
  }
}

/**
 * Removes a stale lock, unless another process replaced it meanwhile: the lock is first renamed to a private
 * name (atomic, so only one taker gets it), then checked; a live lock caught this way is put back.
 */
async function takeOverStale(lockFile: string, seen: LockHolder | undefined): Promise<void> {
  const aside = `${lockFile}.${process.pid}.stale`;
  try {
    await fsp.rename(lockFile, aside);
  } catch {
    return; // gone already: the next attempt links
  }
  const moved = await readLock(aside);
  const stillStale = moved === undefined ? seen === undefined : !processAlive(moved.pid);
  if (!stillStale) {
    await fsp.link(aside, lockFile).catch(() => undefined);
  }
  await fsp.rm(aside, { force: true }).catch(() => undefined);
}

function makeClaim(lockFile: string, holder: LockHolder): Claim {
  let released = false;
  return {
    lockFile,
    holder,
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(lockFile);
      if (current?.token === holder.token && current.pid === holder.pid) await fsp.rm(lockFile, { force: true }).catch(() => undefined);
    },
  };
}
