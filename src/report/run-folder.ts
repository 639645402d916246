/**
 * A run folder of the main job (issue 15): created exclusively (two runs started in the same second with the
 * same config get two folders, never one), locked while the run writes, and marked by `status.json` —
 * "running" from the start, "complete" once report.html is written, "failed" with the reason when anything
 * throws — so a folder left by a crash or a full disk never passes for a whole run.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { writeJsonAtomic } from '../util/fs.js';
import { claimFolder, type Claim } from '../util/lock.js';

export const STATUS_FILE = 'status.json';

/** "incomplete": the run ended normally but not every planned model finished (Ctrl-C). */
export type RunState = 'running' | 'complete' | 'incomplete' | 'failed';

/** What status.json holds. */
export interface RunStatus {
  state: RunState;
  runId: string;
  pid: number;
  startedAt: string;
  updatedAt: string;
  /** Models of the plan, in order. */
  plannedModels: string[];
  /** Models whose training finished (their final checkpoint is saved). */
  finishedModels: string[];
  /** Why the run failed (one line). */
  error?: string;
}

let created = 0;

/**
 * Creates `<root>/<baseId>` with an exclusive mkdir; if it exists, `<baseId>-<pid>-<n>` for the next free n.
 * Returns the run id actually used.
 */
export async function createRunFolder(root: string, baseId: string): Promise<{ runId: string; dir: string }> {
  const parent = path.resolve(root);
  try {
    await fsp.mkdir(parent, { recursive: true });
  } catch (err) {
    throw new TweetlabError(`Cannot create the run folder in ${root}: ${errorMessage(err)}`);
  }
  for (let attempt = 0; attempt < 1000; attempt++) {
    const runId = attempt === 0 ? baseId : `${baseId}-${process.pid}-${++created}`;
    const dir = path.join(parent, runId);
    try {
      await fsp.mkdir(dir);
      return { runId, dir };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new TweetlabError(`Cannot create the run folder ${dir}: ${errorMessage(err)}`);
      }
    }
  }
  throw new TweetlabError(`Cannot create a run folder in ${root}: every name is taken`);
}

/** A claimed run folder and its status file. */
export class RunFolder {
  private status: RunStatus;

  private constructor(
    readonly runId: string,
    readonly dir: string,
    private readonly claim: Claim,
    plannedModels: string[],
  ) {
    const now = new Date().toISOString();
    this.status = { state: 'running', runId, pid: process.pid, startedAt: now, updatedAt: now, plannedModels, finishedModels: [] };
  }

  /** Creates and claims a fresh run folder and writes status "running". */
  static async open(root: string, baseId: string, plannedModels: string[]): Promise<RunFolder> {
    const { runId, dir } = await createRunFolder(root, baseId);
    const claim = await claimFolder(dir, 'run');
    const folder = new RunFolder(runId, dir, claim, plannedModels);
    await folder.write();
    return folder;
  }

  get finishedModels(): readonly string[] {
    return this.status.finishedModels;
  }

  async modelFinished(name: string): Promise<void> {
    if (!this.status.finishedModels.includes(name)) this.status.finishedModels.push(name);
    await this.write();
  }

  /** Marks the run whole, or incomplete when models are missing (call after the last file) and releases it. */
  async complete(): Promise<void> {
    const all = this.status.plannedModels.every((m) => this.status.finishedModels.includes(m));
    this.status.state = all ? 'complete' : 'incomplete';
    await this.write();
    await this.claim.release();
  }

  /**
   * Marks the run failed with the reason and releases the folder. Never throws: on a full disk the status
   * stays "running" with a dead pid, which readers treat as failed too (see readRunStatus).
   */
  async fail(err: unknown): Promise<void> {
    this.status.state = 'failed';
    this.status.error = errorMessage(err).split('\n')[0] as string;
    await this.write().catch(() => undefined);
    await this.claim.release().catch(() => undefined);
  }

  private async write(): Promise<void> {
    this.status.updatedAt = new Date().toISOString();
    await writeJsonAtomic(path.join(this.dir, STATUS_FILE), this.status);
  }
}

/**
 * Reads status.json of a run folder. A folder without one, or "running" whose process is gone, did not finish:
 * its state is reported as "failed".
 */
export async function readRunStatus(dir: string, alive: (pid: number) => boolean): Promise<RunStatus | { state: 'failed'; error: string }> {
  let status: RunStatus;
  try {
    status = JSON.parse(await fsp.readFile(path.join(dir, STATUS_FILE), 'utf8')) as RunStatus;
  } catch {
    return { state: 'failed', error: `${dir} has no readable ${STATUS_FILE}: the run did not finish` };
  }
  if (status.state === 'running' && !alive(status.pid)) {
    return { ...status, state: 'failed', error: `process ${status.pid} stopped before the run finished` };
  }
  return status;
}
