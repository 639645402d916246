import * as path from 'node:path';
import { TweetlabError, errorMessage } from '../errors.js';
import { fileExists, readTextFile, writeFileAtomic } from '../util/fs.js';
import { GENRE_COLUMN, parseDataTable, type DataTable } from './data.js';

/** Where the lesson reads the file from (ML-For-Beginners, 5-Clustering). */
export const NIGERIAN_SONGS_URL =
  'https://raw.githubusercontent.com/microsoft/ML-For-Beginners/main/5-Clustering/data/nigerian-songs.csv';
/** File name of the cached copy in the data folder. */
export const NIGERIAN_SONGS_FILE = 'nigerian-songs.csv';
/** Environment variable that points at a local copy. */
export const NIGERIAN_SONGS_ENV = 'NIGERIAN_SONGS_CSV';

/** A fetch-like function (the global fetch fits); tests pass their own. */
export type FetchLike = (url: string) => Promise<{ ok: boolean; status: number; statusText?: string; text(): Promise<string> }>;

export interface SongsSourceOptions {
  /** An explicit file (the CLI's --input). Wins over everything else. */
  input?: string;
  /** Environment to read NIGERIAN_SONGS_CSV from. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Folder of the cached copy. Default "data" (relative to the working directory). */
  dataDir?: string;
  /** Download address used when no local copy exists. Default NIGERIAN_SONGS_URL. */
  url?: string;
  /** Fetch implementation. Default the global fetch. */
  fetch?: FetchLike;
  /** Set false to fail instead of downloading. Default true. */
  allowDownload?: boolean;
  /** Told about a download before it starts (e.g. to print one line). */
  onDownload?: (url: string, dest: string) => void;
}

/** Where the songs file was found. */
export interface SongsSource {
  path: string;
  /** input: --input; env: NIGERIAN_SONGS_CSV; cache: dataDir; download: fetched now into dataDir. */
  origin: 'input' | 'env' | 'cache' | 'download';
}

/**
 * Downloads the songs CSV and writes it atomically to `dest`. The body is checked before it is cached: it must
 * parse as CSV with the genre column, so an error page never poisons the cache.
 */
export async function downloadSongsCsv(dest: string, options: { url?: string; fetch?: FetchLike } = {}): Promise<void> {
  const url = options.url ?? NIGERIAN_SONGS_URL;
  const doFetch: FetchLike = options.fetch ?? ((u) => fetch(u));
  let text: string;
  try {
    const res = await doFetch(url);
    if (!res.ok) throw new TweetlabError(`HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`);
    text = await res.text();
  } catch (err) {
    throw new TweetlabError(`Cannot download ${url}: ${errorMessage(err)}`);
  }
  const table = parseDataTable(text, url);
  if (!table.columns.includes(GENRE_COLUMN)) {
    throw new TweetlabError(`Downloaded ${url} is not the songs table (no "${GENRE_COLUMN}" column)`);
  }
  await writeFileAtomic(dest, text);
}

/** Finds the songs file: --input, then NIGERIAN_SONGS_CSV, then dataDir/nigerian-songs.csv, else downloads it there. */
export async function resolveSongsCsv(options: SongsSourceOptions = {}): Promise<SongsSource> {
  if (options.input) return { path: options.input, origin: 'input' };
  const env = options.env ?? process.env;
  const fromEnv = env[NIGERIAN_SONGS_ENV];
  if (fromEnv) return { path: fromEnv, origin: 'env' };
  const cached = path.join(options.dataDir ?? 'data', NIGERIAN_SONGS_FILE);
  if (await fileExists(cached)) return { path: cached, origin: 'cache' };
  if (options.allowDownload === false) {
    throw new TweetlabError(`No songs file: give --input, set ${NIGERIAN_SONGS_ENV}, or put it at ${cached}`);
  }
  const url = options.url ?? NIGERIAN_SONGS_URL;
  options.onDownload?.(url, cached);
  try {
    await downloadSongsCsv(cached, { url, fetch: options.fetch });
  } catch (err) {
    // Offline (or a proxy in the way): say where a copy may come from instead of only that the download failed.
    throw new TweetlabError(
      `No songs file, and the download failed (${errorMessage(err)}): set ${NIGERIAN_SONGS_ENV} to a copy of ${NIGERIAN_SONGS_FILE}, or put it at ${path.resolve(cached)}`,
    );
  }
  return { path: cached, origin: 'download' };
}

/** Reads a songs-like CSV file into a DataTable. */
export async function readDataTable(file: string): Promise<DataTable> {
  return parseDataTable(await readTextFile(file, 'CSV file'), file);
}

/** resolveSongsCsv + readDataTable: the lesson's 530 songs, from wherever they are. */
export async function loadSongs(options: SongsSourceOptions = {}): Promise<DataTable & { origin: SongsSource['origin'] }> {
  const source = await resolveSongsCsv(options);
  return { ...(await readDataTable(source.path)), origin: source.origin };
}
