import { TweetlabError } from '../errors.js';
import { parseCsv } from '../util/csv.js';
import { describe } from '../analysis/describe.js';
import type { Describe } from '../types.js';

/**
 * A CSV table kept as text, with numbers parsed on demand: a column is only required to be numeric when a
 * step uses it as a number, and then a bad cell is reported with its line and column.
 */
export interface DataTable {
  /** Where the table came from (a path or a label), used in error messages. */
  source: string;
  /** Header names in file order. */
  columns: string[];
  /** Cell text, rows[r][c] for columns[c]. */
  rows: string[][];
  /** 1-based line on which each row starts in the source file. */
  lines: number[];
}

/** The columns and their numeric values (one inner array per row), ready for kmeans(). */
export interface NumericMatrix {
  columns: string[];
  values: number[][];
}

/** The genre column of the lesson's file. */
export const GENRE_COLUMN = 'artist_top_genre';
/** The three most popular genres the lesson keeps. */
export const LESSON_GENRES: readonly string[] = ['afro dancehall', 'afropop', 'nigerian pop'];
/** The five columns with similar ranges the lesson clusters on. */
export const LESSON_COLUMNS: readonly string[] = ['popularity', 'danceability', 'acousticness', 'loudness', 'energy'];

/** Parses CSV text (RFC 4180, via parseCsv) into a DataTable; `source` names the file in errors. */
export function parseDataTable(text: string, source = 'CSV'): DataTable {
  const t = parseCsv(text, source);
  return { source, columns: t.header, rows: t.rows, lines: t.lines };
}

// Decimal numbers as R's read_csv accepts them in this file: sign, digits, decimal point, exponent.
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The number a cell holds, or undefined when it is not a plain decimal number. */
export function parseNumberCell(cell: string): number | undefined {
  const s = cell.trim();
  if (!NUMBER.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Index of a column, or an error naming the file and listing the columns there are. */
export function columnPosition(table: DataTable, column: string): number {
  const idx = table.columns.indexOf(column);
  if (idx < 0) {
    throw new TweetlabError(`${table.source}: no column "${column}" (columns: ${table.columns.join(', ') || 'none'})`);
  }
  return idx;
}

/** The values of one column as numbers; a non-numeric cell is an error naming the column and line. */
export function numericColumn(table: DataTable, column: string): number[] {
  const idx = columnPosition(table, column);
  return table.rows.map((row, r) => {
    const cell = row[idx] as string;
    const v = parseNumberCell(cell);
    if (v === undefined) {
      throw new TweetlabError(
        `${table.source}: line ${table.lines[r]}, column "${column}": "${cell}" is not a number`,
      );
    }
    return v;
  });
}

/** The values of one column as text. */
export function textColumn(table: DataTable, column: string): string[] {
  const idx = columnPosition(table, column);
  return table.rows.map((row) => row[idx] as string);
}

/** Columns whose every cell is a number (R's `where(is.numeric)` after read_csv), in file order. */
export function numericColumnNames(table: DataTable): string[] {
  if (table.rows.length === 0) return [];
  return table.columns.filter((_, c) => table.rows.every((row) => parseNumberCell(row[c] as string) !== undefined));
}

/** The rows for which `keep` is true (lines are kept so later errors still point into the file). */
export function filterRows(table: DataTable, keep: (row: string[], index: number) => boolean): DataTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  table.rows.forEach((row, i) => {
    if (keep(row, i)) {
      rows.push(row);
      lines.push(table.lines[i] as number);
    }
  });
  return { ...table, rows, lines };
}

export interface SongFilter {
  /** Genres to keep; empty or undefined keeps every genre. Default: none given. */
  genres?: readonly string[];
  /** Column holding the genre. Default "artist_top_genre". */
  genreColumn?: string;
  /** Drop rows whose popularity is 0 (the lesson's "unclassified" songs). Default true. */
  dropZeroPopularity?: boolean;
  /** Column holding the popularity. Default "popularity". */
  popularityColumn?: string;
}

/**
 * The lesson's filter: keep the given genres and drop songs with popularity 0. An empty result is an error
 * that says what was asked for, because nothing downstream can work on zero rows.
 */
export function filterSongs(table: DataTable, filter: SongFilter = {}): DataTable {
  const genreColumn = filter.genreColumn ?? GENRE_COLUMN;
  const genres = filter.genres ?? [];
  const genreIdx = columnPosition(table, genreColumn);
  const dropZero = filter.dropZeroPopularity ?? true;
  const popularity = dropZero ? numericColumn(table, filter.popularityColumn ?? 'popularity') : undefined;
  const wanted = new Set(genres);
  const out = filterRows(
    table,
    (row, i) => (wanted.size === 0 || wanted.has(row[genreIdx] as string)) && (!popularity || popularity[i] !== 0),
  );
  if (out.rows.length === 0) {
    const what = genres.length > 0 ? `genres ${genres.map((g) => `"${g}"`).join(', ')}` : 'any genre';
    throw new TweetlabError(
      `${table.source}: no rows left after filtering (${what}${dropZero ? ', popularity ≠ 0' : ''})`,
    );
  }
  return out;
}

/** The chosen columns as a numeric matrix (R: select(...)); unknown or non-numeric columns are errors. */
export function selectColumns(table: DataTable, columns: readonly string[]): NumericMatrix {
  if (columns.length === 0) throw new TweetlabError(`${table.source}: no columns selected`);
  const cols = columns.map((c) => numericColumn(table, c));
  const values = table.rows.map((_, r) => cols.map((col) => col[r] as number));
  return { columns: [...columns], values };
}

/** The rows of a matrix as objects column → value (for tables), the first `limit` only when given. */
export function matrixRows(matrix: NumericMatrix, limit?: number): Record<string, number>[] {
  const rows = limit === undefined ? matrix.values : matrix.values.slice(0, limit);
  return rows.map((row) => Object.fromEntries(matrix.columns.map((name, j) => [name, row[j] as number])));
}

/** Count of rows per value of a text column, values sorted alphabetically (R: count(x)). */
export function countBy(table: DataTable, column: string): { value: string; n: number }[] {
  const counts = new Map<string, number>();
  for (const v of textColumn(table, column)) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .sort((p, q) => compareCodeUnits(p[0], q[0]))
    .map(([value, n]) => ({ value, n }));
}

/** Plain code-unit order, as R's C locale (and dplyr ≥ 1.1's group_by) sorts strings. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** pandas-style describe() of each column of a numeric matrix (the analysis module's describe()). */
export function describeColumns(matrix: NumericMatrix): Record<string, Describe> {
  const out: Record<string, Describe> = {};
  matrix.columns.forEach((name, j) => {
    out[name] = describe(matrix.values.map((row) => row[j] as number));
  });
  return out;
}

/** Result of scale(): the scaled matrix plus the centres and scales used (R's attributes). */
export interface ScaledMatrix extends NumericMatrix {
  /** Column means subtracted (R: attr "scaled:center"). */
  center: number[];
  /** Column sample standard deviations divided by (R: attr "scaled:scale"). */
  scale: number[];
}

/**
 * R's scale(x): subtract each column's mean, divide by its sample standard deviation (n − 1). A constant
 * column (sd 0) would turn into NaN in R; here it is an error naming the column.
 */
export function scale(matrix: NumericMatrix): ScaledMatrix {
  const m = matrix.values.length;
  if (m < 2) throw new TweetlabError('scale() needs at least 2 rows to estimate a standard deviation');
  const center: number[] = [];
  const sds: number[] = [];
  matrix.columns.forEach((name, j) => {
    let mean = 0;
    for (const row of matrix.values) mean += row[j] as number;
    mean /= m;
    let ss = 0;
    for (const row of matrix.values) ss += ((row[j] as number) - mean) ** 2;
    const sd = Math.sqrt(ss / (m - 1));
    if (!(sd > 0)) throw new TweetlabError(`scale(): column "${name}" is constant (standard deviation 0)`);
    center.push(mean);
    sds.push(sd);
  });
  const values = matrix.values.map((row) => row.map((v, j) => (v - (center[j] as number)) / (sds[j] as number)));
  return { columns: [...matrix.columns], values, center, scale: sds };
}
