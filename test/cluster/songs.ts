import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseDataTable, type DataTable } from '../../src/cluster/index.js';

/**
 * The lesson's 530 songs, never copied into the repo: NIGERIAN_SONGS_CSV when set, else the shared copy next
 * to the repository (../shared/data/nigerian-songs.csv).
 */
export const SONGS_CSV =
  process.env['NIGERIAN_SONGS_CSV'] ?? path.resolve(__dirname, '../../../shared/data/nigerian-songs.csv');

let cached: DataTable | undefined;
export function songs(): DataTable {
  cached ??= parseDataTable(readFileSync(SONGS_CSV, 'utf8'), SONGS_CSV);
  return cached;
}
