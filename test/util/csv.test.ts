import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TweetlabError } from '../../src/errors.js';
import { columnIndex, formatCsv, parseCsv, restoreFormula } from '../../src/util/csv.js';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const t = parseCsv('id,text\r\n1,"a, b"\r\n2,"say ""hi"""\r\n3,"two\nlines"\r\n');
    expect(t.header).toEqual(['id', 'text']);
    expect(t.rows).toEqual([
      ['1', 'a, b'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
    ]);
    expect(t.lines).toEqual([2, 3, 4]);
  });

  it('accepts LF, CRLF and CR endings, a BOM, blank lines and empty fields', () => {
    const t = parseCsv('\ufeffa,b\n1,\r\n\n,2\r3,4');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.rows).toEqual([
      ['1', ''],
      ['', '2'],
      ['3', '4'],
    ]);
    expect(t.lines).toEqual([2, 4, 5]);
  });

  it('names the line of an unbalanced quote', () => {
    expect(() => parseCsv('id,text\n1,ok\n2,"never closed\n3,x\n', 'posts.csv')).toThrow(
      /posts\.csv: line 3: unbalanced quote/,
    );
  });

  it('names the line of a row with the wrong number of fields', () => {
    expect(() => parseCsv('id,text\n1,ok\n2,too,many\n', 'f.csv')).toThrow(/f\.csv: line 3: expected 2 fields/);
  });

  it('rejects a stray quote and an empty file with TweetlabError', () => {
    expect(() => parseCsv('a\nb"c\n')).toThrow(TweetlabError);
    expect(() => parseCsv('')).toThrow(/empty/);
  });

  it('columnIndex lists the columns when one is missing', () => {
    const t = parseCsv('id,body\n1,x\n');
    expect(columnIndex(t, 'body')).toBe(1);
    expect(() => columnIndex(t, 'text', 'in.csv')).toThrow('in.csv: no column "text" (columns: id, body)');
  });

  it('round-trips any table through formatCsv', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'я', ',', '"', '\n', '\r\n', ' ', '1', '😀') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { maxLength: 6 }), (width, raw) => {
        const header = Array.from({ length: width }, (_, i) => `c${i}`);
        const rows = raw.map((r) => r.slice(0, width));
        // A row of one empty field is indistinguishable from a blank line in CSV; give such rows content.
        const safe = rows.map((r) => (width === 1 && r[0] === '' ? ['x'] : r));
        const parsed = parseCsv(formatCsv(header, safe, { neutraliseFormulas: false }));
        expect(parsed.header).toEqual(header);
        expect(parsed.rows).toEqual(safe);
      }),
    );
  });

  it('neutralised cells round-trip through restoreFormula, and none starts like a formula', () => {
    // Non-empty: a row of one empty field is a blank line in CSV.
    const cell = fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', '1', ','), minLength: 1 });
    fc.assert(
      fc.property(fc.array(cell, { minLength: 1, maxLength: 6 }), (row) => {
        const parsed = parseCsv(formatCsv(['c'], row.map((v) => [v]), { neutraliseFormulas: true }));
        const cells = parsed.rows.map((r) => r[0] as string);
        for (const v of cells) if (/^[=+\-@\t\r]/.test(v)) expect(v).toMatch(/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/);
        expect(cells.map(restoreFormula)).toEqual(row);
      }),
    );
  });
});
