import type { Describe } from '../types.js';
import { TweetlabError } from '../errors.js';
import { escapeHtml } from './escape.js';

/** HTML tables of rows and of describe() results, shared by notebook outputs and the report page. */

/** A number with at most `digits` decimals and no trailing zeros: 202.6, not 202.6000; 3, not 3.0000. */
export function formatDecimal(value: number, digits: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const fixed = value.toFixed(digits);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** One table cell: numbers are formatted, everything else is escaped text. */
function formatCell(value: unknown, digits: number): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return escapeHtml(formatDecimal(value, digits));
  if (value instanceof Date) return escapeHtml(value.toISOString());
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  return escapeHtml(value);
}

/** A row: an object keyed by column (any object type, e.g. Post) or an array in column order. */
export type TableRow = object | readonly unknown[];

export interface TableOptions {
  /** Column names, in order. Default: the keys of the object rows, in first-seen order. Required for array rows. */
  columns?: string[];
  /** Caption shown above the table. */
  caption?: string;
  /** At most this many decimals for non-integer numbers, trailing zeros dropped. Default 4. */
  digits?: number;
  /** Show at most this many rows and say how many were left out. Default: all. */
  maxRows?: number;
  /** Extra CSS class of the <table>. */
  className?: string;
}

/** An HTML table of rows (objects keyed by column, or arrays in column order); every cell is escaped. */
export function htmlTable(rows: TableRow[], opts: TableOptions = {}): string {
  const digits = opts.digits ?? 4;
  let columns = opts.columns;
  if (!columns) {
    const seen = new Set<string>();
    for (const row of rows) {
      if (Array.isArray(row)) {
        throw new TweetlabError('htmlTable: rows given as arrays need the columns option.');
      }
      for (const key of Object.keys(row)) seen.add(key);
    }
    columns = [...seen];
  }
  const shown = opts.maxRows !== undefined ? rows.slice(0, Math.max(0, opts.maxRows)) : rows;
  const className = ['tweetlab-table', opts.className].filter(Boolean).join(' ');
  const parts: string[] = [`<table class="${escapeHtml(className)}">`];
  if (opts.caption !== undefined) parts.push(`<caption>${escapeHtml(opts.caption)}</caption>`);
  parts.push('<thead><tr>' + columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('') + '</tr></thead>');
  parts.push('<tbody>');
  for (const row of shown) {
    const cells = columns.map((c, i) => {
      const value = Array.isArray(row) ? row[i] : (row as Record<string, unknown>)[c];
      const numeric = typeof value === 'number' ? ' class="num"' : '';
      return `<td${numeric}>${formatCell(value, digits)}</td>`;
    });
    parts.push('<tr>' + cells.join('') + '</tr>');
  }
  parts.push('</tbody>');
  if (shown.length < rows.length) {
    parts.push(
      `<tfoot><tr><td colspan="${columns.length}">… ${rows.length - shown.length} more rows not shown</td></tr></tfoot>`,
    );
  }
  parts.push('</table>');
  return parts.join('');
}

/** pandas' describe() row labels, in pandas' order. */
export const DESCRIBE_ROW_LABELS = ['count', 'mean', 'std', 'min', '25%', '50%', '75%', 'max'] as const;

const DESCRIBE_KEYS: Record<(typeof DESCRIBE_ROW_LABELS)[number], keyof Describe> = {
  count: 'count',
  mean: 'mean',
  std: 'std',
  min: 'min',
  '25%': 'q25',
  '50%': 'q50',
  '75%': 'q75',
  max: 'max',
};

function isDescribe(value: unknown): value is Describe {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Object.keys(DESCRIBE_KEYS) as (keyof typeof DESCRIBE_KEYS)[]).every(
      (label) => typeof (value as Record<string, unknown>)[DESCRIBE_KEYS[label]] === 'number',
    )
  );
}

export interface DescribeTableOptions {
  /** Caption above the table. */
  caption?: string;
  /** Decimals, as pandas prints them. Default 6. */
  digits?: number;
}

/**
 * describe() as pandas shows it: one row per statistic (count, mean, std, min, 25%, 50%, 75%, max) and one
 * column per series. Pass one Describe (column "value") or several by name ({ words: d1, chars: d2 }).
 */
export function describeTableHtml(
  describe: Describe | Record<string, Describe>,
  opts: DescribeTableOptions = {},
): string {
  const digits = opts.digits ?? 6;
  const named: Record<string, Describe> = isDescribe(describe) ? { value: describe } : describe;
  const names = Object.keys(named);
  for (const name of names) {
    if (!isDescribe(named[name])) {
      throw new TweetlabError(`describeTableHtml: "${name}" is not a describe() result (count, mean, std, min, q25, q50, q75, max).`);
    }
  }
  const parts: string[] = ['<table class="tweetlab-table tweetlab-describe">'];
  if (opts.caption !== undefined) parts.push(`<caption>${escapeHtml(opts.caption)}</caption>`);
  parts.push('<thead><tr><th></th>' + names.map((n) => `<th>${escapeHtml(n)}</th>`).join('') + '</tr></thead>');
  parts.push('<tbody>');
  for (const label of DESCRIBE_ROW_LABELS) {
    const key = DESCRIBE_KEYS[label];
    const cells = names.map((n) => {
      const v = named[n]![key];
      return `<td class="num">${Number.isFinite(v) ? v.toFixed(digits) : escapeHtml(String(v))}</td>`;
    });
    parts.push(`<tr><th>${label}</th>${cells.join('')}</tr>`);
  }
  parts.push('</tbody></table>');
  return parts.join('');
}

/**
 * Styles shared by notebook outputs and the report page. The doubled class outranks JupyterLab's and nbconvert's
 * `:not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td { text-align: right }`, which would right-align post text.
 */
export const TABLE_CSS =
  '.tweetlab-table.tweetlab-table{border-collapse:collapse;margin:0.5em 0;font-size:13px}' +
  '.tweetlab-table.tweetlab-table th,.tweetlab-table.tweetlab-table td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}' +
  '.tweetlab-table.tweetlab-table td.num{text-align:right;font-variant-numeric:tabular-nums}' +
  '.tweetlab-table.tweetlab-table thead th{background:#f3f3f3}' +
  '.tweetlab-table.tweetlab-table caption{text-align:left;font-weight:bold;padding:4px 0}';
