/**
 * pandas-style `describe()`: the numbers the report prints for post lengths (its figure 3).
 */
import type { Describe } from '../types.js';

/**
 * Linear interpolation as numpy does it (pandas' quantile default): the two-sided form keeps the result
 * exact at both ends, so quantiles of integers match pandas to the last bit.
 */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Quantile `q` in [0, 1] of values sorted ascending, with linear interpolation (pandas / numpy "linear"). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return lerp(sorted[lo] as number, sorted[hi] as number, pos - lo);
}

/**
 * count, mean, std (ddof = 1), min, 25%, 50%, 75%, max — pandas `Series.describe()`. NaN values are left
 * out as pandas does. With no values every field but count is NaN; with one value std is NaN (ddof = 1).
 */
export function describe(values: ArrayLike<number>): Describe {
  const xs: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) xs.push(v);
  }
  const n = xs.length;
  if (n === 0) return { count: 0, mean: NaN, std: NaN, min: NaN, q25: NaN, q50: NaN, q75: NaN, max: NaN };
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / n;
  let ss = 0;
  for (const x of xs) ss += (x - mean) * (x - mean);
  const std = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
  const sorted = Float64Array.from(xs).sort();
  return {
    count: n,
    mean,
    std,
    min: sorted[0] as number,
    q25: quantileSorted(sorted, 0.25),
    q50: quantileSorted(sorted, 0.5),
    q75: quantileSorted(sorted, 0.75),
    max: sorted[n - 1] as number,
  };
}

/** The pandas row labels of describe(), in order, with the Describe field each one shows. */
export const DESCRIBE_ROWS: readonly (readonly [label: string, field: keyof Describe])[] = [
  ['count', 'count'],
  ['mean', 'mean'],
  ['std', 'std'],
  ['min', 'min'],
  ['25%', 'q25'],
  ['50%', 'q50'],
  ['75%', 'q75'],
  ['max', 'max'],
];

/** describe() in the JSON shape of the CLI: pandas labels as keys; NaN becomes null (JSON has no NaN). */
export interface DescribeJson {
  count: number;
  mean: number | null;
  std: number | null;
  min: number | null;
  '25%': number | null;
  '50%': number | null;
  '75%': number | null;
  max: number | null;
}

export function describeToJson(d: Describe): DescribeJson {
  const f = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    count: d.count,
    mean: f(d.mean),
    std: f(d.std),
    min: f(d.min),
    '25%': f(d.q25),
    '50%': f(d.q50),
    '75%': f(d.q75),
    max: f(d.max),
  };
}

export function isDescribe(x: unknown): x is Describe {
  return typeof x === 'object' && x !== null && typeof (x as Describe).count === 'number' && 'q50' in x;
}

/** A number as pandas prints float64: six decimals, NaN as "NaN". */
function formatValue(x: number): string {
  return Number.isNaN(x) ? 'NaN' : x.toFixed(6);
}

/**
 * One describe() as pandas prints a Series: labels left-aligned, values right-aligned with six decimals,
 * then "Name: <name>, dtype: float64".
 */
export function formatDescribe(d: Describe, name?: string): string {
  const values = DESCRIBE_ROWS.map(([, field]) => formatValue(d[field]));
  const width = Math.max(...values.map((v) => v.length));
  const labelWidth = Math.max(...DESCRIBE_ROWS.map(([label]) => label.length));
  const lines = DESCRIBE_ROWS.map(([label], i) => `${label.padEnd(labelWidth)}    ${(values[i] as string).padStart(width)}`);
  lines.push(name === undefined ? 'dtype: float64' : `Name: ${name}, dtype: float64`);
  return lines.join('\n');
}

/** Several describe()s side by side, as pandas prints `DataFrame.describe()`. */
export function formatDescribeTable(columns: Readonly<Record<string, Describe>>): string {
  const names = Object.keys(columns);
  const labelWidth = Math.max(...DESCRIBE_ROWS.map(([label]) => label.length));
  const cells = names.map((name) => DESCRIBE_ROWS.map(([, field]) => formatValue((columns[name] as Describe)[field])));
  const widths = names.map((name, c) => Math.max(name.length, ...(cells[c] as string[]).map((v) => v.length)));
  const header = ' '.repeat(labelWidth) + names.map((name, c) => '  ' + name.padStart(widths[c] as number)).join('');
  const rows = DESCRIBE_ROWS.map(
    ([label], r) => label.padEnd(labelWidth) + names.map((_, c) => '  ' + (cells[c]?.[r] as string).padStart(widths[c] as number)).join(''),
  );
  return [header, ...rows].join('\n');
}
