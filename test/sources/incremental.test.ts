import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergePosts, newestNumericId } from '../../src/sources/incremental.js';

describe('mergePosts', () => {
  it('keeps one post per id (the fresh copy), newest first', () => {
    const merged = mergePosts(
      [{ id: '3', createdAt: '2020-01-03T00:00:00Z', text: 'edited' }],
      [
        { id: '3', createdAt: '2020-01-03T00:00:00Z', text: 'old' },
        { id: '5', createdAt: '2020-01-05T00:00:00Z', text: 'e' },
        { id: '1', createdAt: '2020-01-01T00:00:00Z', text: 'a' },
      ],
    );
    expect(merged.map((p) => [p.id, p.text])).toEqual([
      ['5', 'e'],
      ['3', 'edited'],
      ['1', 'a'],
    ]);
    // Without dates, numeric ids order the posts; others keep their order.
    expect(mergePosts([{ id: '10', text: 'x' }], [{ id: '9', text: 'y' }, { id: '11', text: 'z' }]).map((p) => p.id)).toEqual(['11', '10', '9']);
  });

  it('never duplicates and never loses an id', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 })), fc.array(fc.integer({ min: 1, max: 40 })), (a, b) => {
        const toPosts = (ids: number[]) => ids.map((i) => ({ id: String(i), text: `t${i}` }));
        const merged = mergePosts(toPosts(a), toPosts(b));
        const ids = merged.map((p) => p.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set([...a, ...b].map(String)));
        expect(ids).toEqual([...ids].sort((x, y) => Number(y) - Number(x)));
      }),
      { numRuns: 200 },
    );
  });

  it('finds the newest numeric id', () => {
    expect(newestNumericId([{ id: '99', text: '' }, { id: '1000000000000000000001', text: '' }, { id: 'at://x', text: '' }])).toBe('1000000000000000000001');
    expect(newestNumericId([{ id: 'at://x', text: '' }])).toBeUndefined();
  });
});
