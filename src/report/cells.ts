/** How numbers appear in the run report's text and tables. */

/** A number with `digits` decimals (integers as they are); '—' when there is none. */
export function fmt(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

/** A share as a percentage with one decimal; '—' when there is none. */
export function pct(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}
