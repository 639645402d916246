import { describe, expect, it } from 'vitest';
import { windowRows } from '../../src/dataset/window-rows.js';
import { buildWindows, windowAt } from '../../src/dataset/windows.js';
import { buildVocabulary, encodePosts, tokenizeWords } from '../../src/text/tokenize.js';
import { htmlTable } from '../../src/viz/tables.js';

describe('windowRows', () => {
  it('puts the "row" column first, then one column per word, input above target', () => {
    const tokens = ['the cat sat on the mat'].map(tokenizeWords);
    const vocab = buildVocabulary(tokens);
    const win = windowAt(buildWindows(encodePosts(tokens, vocab), 3, 1), 0);
    const table = windowRows(win, vocab);
    expect(table).toEqual({
      columns: ['row', 'word 1', 'word 2', 'word 3'],
      rows: [
        ['input', 'the', 'cat', 'sat'],
        ['target', 'cat', 'sat', 'on'],
      ],
    });
    expect(htmlTable(table.rows, { columns: table.columns })).toMatch(/^<table[^>]*><thead><tr><th>row<\/th><th>word 1<\/th>/);
  });
});
