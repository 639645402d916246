import { describe, expect, it } from 'vitest';
import { parseResetHeader } from '../../src/sources/http.js';

describe('parseResetHeader', () => {
  const now = Date.UTC(2024, 0, 1);
  it('reads unix seconds, delays and dates', () => {
    expect(parseResetHeader('1704067260', now)).toBe(1704067260_000);
    expect(parseResetHeader('30', now, true)).toBe(now + 30_000);
    expect(parseResetHeader('45', now)).toBe(now + 45_000); // too small to be a timestamp: a delay
    expect(parseResetHeader('2024-01-01T00:05:00.000Z', now)).toBe(now + 300_000);
    expect(parseResetHeader('', now)).toBeUndefined();
    expect(parseResetHeader('soon', now)).toBeUndefined();
  });
});
