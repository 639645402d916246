import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { TweetlabError, UsageError } from '../src/errors.js';

describe('TweetlabError', () => {
  it('shows as one line without a stack where a notebook kernel prints it (util.inspect)', () => {
    const err = new TweetlabError('No songs file: set NIGERIAN_SONGS_CSV');
    expect(inspect(err)).toBe('TweetlabError: No songs file: set NIGERIAN_SONGS_CSV');
    expect(inspect(new UsageError('bad flag'))).toBe('UsageError: bad flag');
    // The stack itself is kept for debugging.
    expect(err.stack).toMatch(/\n\s+at /);
    // Other errors keep Node's usual form.
    expect(inspect(new Error('x'))).toMatch(/^Error: x\n\s+at /);
  });
});
