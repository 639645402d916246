import { TweetlabError } from '../errors.js';

/** A parsed CSV table: the header row and the data rows, with the 1-based line each row starts on. */
export interface CsvTable {
  header: string[];
  rows: string[][];
  /** lines[i] is the physical line on which rows[i] starts (the header is line 1 unless blank lines lead). */
  lines: number[];
}

/** A quoted field read from its opening quote: its text, where reading goes on, and the line reached. */
interface QuotedField {
  value: string;
  next: number;
  line: number;
}

/**
 * Reads the quoted field whose opening quote is at `open`, on line `line`: the runs between quotes are copied
 * whole (a doubled quote is a literal one), line breaks inside are counted, and the closing quote must be
 * followed by a delimiter.
 */
function readQuotedField(text: string, open: number, line: number, source: string): QuotedField {
  const n = text.length;
  const openLine = line;
  let value = '';
  let i = open + 1;
  let closed = false;
  while (i < n) {
    const q = text.indexOf('"', i);
    const end = q < 0 ? n : q;
    for (let k = i; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) line++; // LF, CRLF and lone CR
    }
    value += text.slice(i, end);
    if (q < 0) break;
    if (text[q + 1] === '"') {
      value += '"';
      i = q + 2;
      continue;
    }
    closed = true;
    i = q + 1;
    break;
  }
  if (!closed) throw new TweetlabError(`${source}: line ${openLine}: unbalanced quote (a quoted field is never closed)`);
  const next = text[i];
  if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
    const hint = openLine !== line ? ` (the quoted field began on line ${openLine}: is a quote there unbalanced?)` : '';
    throw new TweetlabError(`${source}: line ${line}: unexpected character after a closing quote${hint}`);
  }
  return { value, next: i, line };
}

/** End of the unquoted run starting at `i`: the next comma, line break or quote (or the end of the text). */
function unquotedEnd(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 44 || c === 10 || c === 13 || c === 34) break; // , LF CR "
    j++;
  }
  return j;
}

/** Every non-blank record of the text, with the line each starts on. */
function readRecords(text: string, source: string): { records: string[][]; starts: number[] } {
  const records: string[][] = [];
  const starts: number[] = [];
  let field = '';
  let record: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let fieldStarted = false; // the current field has begun (quoted or not): a quote now is a stray one
  let recordStarted = false; // the current record has any content: distinguishes "," from a blank line
  const endField = () => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  // Fields are cut out with slice() between delimiters rather than grown one character at a time, so a
  // 50 MB field costs one copy instead of millions of string pieces (seconds and gigabytes before).
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' && !fieldStarted) {
      const quoted = readQuotedField(text, i, line, source);
      field += quoted.value;
      i = quoted.next;
      line = quoted.line;
      fieldStarted = recordStarted = true;
    } else if (ch === ',') {
      endField();
      recordStarted = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endField();
      if (recordStarted) {
        records.push(record);
        starts.push(recordLine);
      }
      record = [];
      recordStarted = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      recordLine = ++line;
    } else if (ch === '"') {
      throw new TweetlabError(`${source}: line ${line}: stray quote inside an unquoted field`);
    } else {
      const end = unquotedEnd(text, i);
      field += text.slice(i, end);
      fieldStarted = recordStarted = true;
      i = end;
    }
  }
  if (recordStarted) {
    endField();
    records.push(record);
    starts.push(recordLine);
  }
  return { records, starts };
}

/**
 * RFC 4180 parser: comma-separated, double-quoted fields may hold commas, quotes ("") and line breaks;
 * CRLF, LF and lone CR line endings are all accepted; a leading BOM is dropped; blank lines are skipped.
 * `source` names the file in error messages, which always give the line.
 */
export function parseCsv(text: string, source = 'CSV'): CsvTable {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { records, starts } = readRecords(text, source);
  if (records.length === 0) throw new TweetlabError(`${source}: the file is empty (no header row)`);
  const header = (records[0] as string[]).map((h) => h.trim());
  const rows = records.slice(1);
  const lines = starts.slice(1);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as string[];
    if (row.length !== header.length) {
      throw new TweetlabError(
        `${source}: line ${lines[r]}: expected ${header.length} fields (as in the header) but found ${row.length}`,
      );
    }
  }
  return { header, rows, lines };
}

/** Index of `column` in the header, or a clear error listing the columns there are. */
export function columnIndex(table: CsvTable, column: string, source = 'CSV'): number {
  const idx = table.header.indexOf(column);
  if (idx < 0) {
    throw new TweetlabError(`${source}: no column "${column}" (columns: ${table.header.join(', ') || 'none'})`);
  }
  return idx;
}

/** Quotes a field when RFC 4180 requires it (comma, quote, CR or LF inside). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Cells a spreadsheet would read as a formula start with one of = + - @ tab CR (OWASP, "CSV Injection"). One
 * more case is escaped so the rule can be undone exactly: a value that already starts with apostrophes before
 * such a character gets one more, so restoreFormula(neutraliseFormula(v)) === v for every v.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
/** What neutraliseFormula produced: one added apostrophe before (apostrophes and) a formula starter. */
const NEUTRALISED = /^'+[=+\-@\t\r]/;
/** A plain decimal number ("-5", "+3.25", "1e-3") is not a formula; it is left as it is so it stays a number. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** Prefixes `'` to a cell a spreadsheet would run as a formula, as OWASP recommends; other cells are unchanged. */
export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** Undoes neutraliseFormula: drops the one apostrophe it added. Exact for everything tweetlab wrote. */
export function restoreFormula(value: string): string {
  return NEUTRALISED.test(value) && !PLAIN_NUMBER.test(value.slice(1)) ? value.slice(1) : value;
}

export interface CsvWriteOptions {
  /**
   * Prefix `'` to every cell (header included) a spreadsheet would run as a formula (see neutraliseFormula).
   * Posts are untrusted, so every writer of tweetlab passes true; false writes the values raw.
   */
  neutraliseFormulas: boolean;
}

/** Header + rows as RFC 4180 text with CRLF line endings (what spreadsheet tools and pandas expect). */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  opts: CsvWriteOptions = { neutraliseFormulas: true },
): string {
  const cell = opts.neutraliseFormulas ? (v: string) => csvField(neutraliseFormula(v)) : csvField;
  const out = [header.map(cell).join(',')];
  for (const row of rows) out.push(row.map(cell).join(','));
  return out.join('\r\n') + '\r\n';
}
