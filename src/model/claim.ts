/**
 * Claiming a training output folder (issue 15): one `train` at a time per folder (a lock naming the holder),
 * and a folder that already holds checkpoints is only written again to continue that same model (`--resume`)
 * or when the user says so (`--force`, which clears the old checkpoints first, so models are never mixed).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { TweetlabError } from '../errors.js';
import { claimFolder, type Claim } from '../util/lock.js';
import { CONFIG_JSON, readModelConfig, type ModelFileConfig } from './config-file.js';

export interface ModelOutputClaimOptions {
  /** The command line's name for the holder ("train --model-number 1"). */
  command: string;
  /** The model number this run trains (1–4), when known. */
  modelNumber: number;
  /** Config of the model folder being resumed, if any. */
  resumed?: ModelFileConfig;
  /** Overwrite a folder that holds another model (its checkpoints are removed). */
  force: boolean;
}

/** Checkpoint folders (epoch-<n>/, interrupted/) of a training output folder that hold a config.json. */
export async function checkpointFolders(out: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fsp.readdir(out);
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const name of names.sort()) {
    if (!/^epoch-\d+$/.test(name) && name !== 'interrupted') continue;
    const ok = await fsp.access(path.join(out, name, CONFIG_JSON)).then(() => true, () => false);
    if (ok) found.push(path.join(out, name));
  }
  return found;
}

/** The fields that make two saved configs the same model (sizes, variant, vocabulary, number). */
function identity(cfg: ModelFileConfig): string {
  const m = cfg.model;
  return JSON.stringify([cfg.modelNumber ?? null, m.variant, m.layers, m.hidden, m.embedding, m.vocabSize, m.seqLength]);
}

/**
 * Claims `out` for training. Throws one line when another process trains into it, or when it holds checkpoints
 * of a model other than the one resumed (or any model, when not resuming) and `force` is not set.
 */
export async function claimModelOutput(out: string, opts: ModelOutputClaimOptions): Promise<Claim> {
  const claim = await claimFolder(out, opts.command);
  try {
    const existing = await checkpointFolders(out);
    const others: { dir: string; cfg: ModelFileConfig }[] = [];
    for (const dir of existing) {
      const cfg = await readModelConfig(dir).catch(() => undefined);
      if (!cfg || !opts.resumed || identity(cfg) !== identity(opts.resumed)) others.push({ dir, cfg: cfg as ModelFileConfig });
    }
    if (others.length > 0 && !opts.force) {
      const first = others[0] as { dir: string; cfg: ModelFileConfig | undefined };
      const what = first.cfg?.modelNumber !== undefined ? `model ${first.cfg.modelNumber}` : 'another model';
      const how = opts.resumed ? 'it is not the model being resumed' : `continue it with --resume ${out}`;
      throw new TweetlabError(
        `${out} already holds ${what} (${path.basename(first.dir)}); ${how}, or give --force to replace its checkpoints`,
      );
    }
    if (opts.force) for (const o of others) await fsp.rm(o.dir, { recursive: true, force: true });
    return claim;
  } catch (err) {
    await claim.release();
    throw err;
  }
}

/** Refuses `--model-number N` when the folder being resumed holds another model. */
export function checkResumedModelNumber(resumeDir: string, saved: ModelFileConfig, given: number | undefined): void {
  if (given !== undefined && saved.modelNumber !== undefined && saved.modelNumber !== given) {
    throw new TweetlabError(`${resumeDir} holds model ${saved.modelNumber}, not model ${given}: resume it without --model-number, or train model ${given} into another folder`);
  }
}
