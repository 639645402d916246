import { promises as fsp } from 'node:fs';
import { TweetlabError } from '../errors.js';
import type { AblationResult } from '../pipeline/ablation-types.js';

/** Reads an ablation file of `tweetlab ablation`; undefined without a path. One clear line when it is not one. */
export async function readAblation(file: string | undefined): Promise<AblationResult | undefined> {
  if (file === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    throw new TweetlabError(`${file}: cannot read the ablation file (${(err as Error).message.split('\n')[0]})`);
  }
  const a = value as Partial<AblationResult> | null;
  if (!a || typeof a !== 'object' || !Array.isArray(a.rows) || typeof a.command !== 'string' || typeof a.date !== 'string') {
    throw new TweetlabError(`${file}: not an ablation file of tweetlab ablation (needs command, date and rows)`);
  }
  return a as AblationResult;
}
