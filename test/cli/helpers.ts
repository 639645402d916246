import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIO } from '../../src/cli/common.js';

export function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, isTTY: false, out: (t) => stdout.push(t), err: (t) => stderr.push(t) };
}

export async function tempDir(): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), 'tweetlab-cli-'));
}

/** A small invented corporate feed as CSV (id,created_at,text). */
export const FEED_CSV = [
  'id,created_at,text',
  '1,2020-05-01T09:00:00Z,"ПАО «Газпром» запустил новую станцию http://t.co/Ab12"',
  '2,2020-05-02T09:00:00Z,"@GasCorp_RU и партнёры обсудили #СПГ-проекты в Ямало-Ненецком округе"',
  '3,2020-05-03T09:00:00Z,"http://t.co/only-a-link 🔥"',
  '4,2020-05-04T09:00:00Z,"Итоги года: добыча газа выросла на 5%, экспорт — на 3%"',
].join('\n');

/** Names in `dir` (to prove no output or temp file was left behind). */
export async function listDir(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).sort();
}
