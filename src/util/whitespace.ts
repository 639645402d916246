/**
 * Whitespace as Python's `str.split()` sees it (Py_UNICODE_ISSPACE), plus U+FEFF which JavaScript's `\s`
 * counts. Using Python's set keeps our word counts equal to the report's pandas `str.split().str.len()`.
 * Shared by the length analysis and the tokenizer.
 */
export const WHITESPACE_CLASS = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const WHITESPACE_RUN = new RegExp(`[${WHITESPACE_CLASS}]+`, 'u');

/** Splits text on runs of whitespace, dropping empty pieces (Python `text.split()` with no argument). */
export function splitWhitespace(text: string): string[] {
  if (text === '') return [];
  return text.split(WHITESPACE_RUN).filter((w) => w !== '');
}
