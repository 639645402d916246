import { describe, expect, it } from 'vitest';
import { bestAccuracy, checkLessonSettings, elbowFitFor, elbowFits, kmeans, pairingText } from '../../src/cluster/index.js';
import { isTweetlabError } from '../../src/errors.js';

function oneLineError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(isTweetlabError(err)).toBe(true);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a TweetlabError');
}

const ok = { k: 3, nstart: 25, elbowTo: 10 };

describe('checkLessonSettings', () => {
  it('accepts the lesson settings and names the setting of each bad one', () => {
    expect(() => checkLessonSettings(ok, 286)).not.toThrow();
    expect(oneLineError(() => checkLessonSettings({ ...ok, elbowTo: 2 }, 286))).toBe(
      'elbowTo = 2 is smaller than k = 3: the elbow must include k (the lesson keeps its k-means fit), so set elbowTo ≥ 3',
    );
    expect(oneLineError(() => checkLessonSettings({ ...ok, k: 0 }, 286))).toBe('k must be a whole number ≥ 1, got 0');
    expect(oneLineError(() => checkLessonSettings({ ...ok, k: 2.5 }, 286))).toMatch(/^k must be a whole number/);
    expect(oneLineError(() => checkLessonSettings({ ...ok, k: 300, elbowTo: 300 }, 286))).toBe('k = 300 is too large: it must be smaller than the number of songs (286)');
    expect(oneLineError(() => checkLessonSettings({ ...ok, elbowTo: 286 }, 286))).toMatch(/^elbowTo = 286 is too large/);
    expect(oneLineError(() => checkLessonSettings({ ...ok, nstart: 0 }, 286))).toMatch(/^nstart must be/);
  });
});

describe('elbowFitFor', () => {
  const x = [[0], [0.1], [5], [5.2], [9], [9.1], [12]];
  it("returns the elbow's own fit for k, and one line when the elbow does not reach k", () => {
    const fits = elbowFits(x, { from: 1, to: 2, nstart: 2, seed: 1 });
    expect(elbowFitFor(fits, 2)).toBe(fits[1]!.fit);
    expect(oneLineError(() => elbowFitFor(fits, 3))).toBe('The elbow covers k = 1 … 2, so it has no fit for k = 3: set elbowTo ≥ 3');
  });
});

describe('pairingText', () => {
  it('shows — for a cluster paired with no genre, and says why', () => {
    const x = [[0], [0.1], [5], [5.2], [9], [9.1], [20], [20.5]];
    const km = kmeans(x, 4, { nstart: 5, seed: 2 });
    const genres = ['a', 'a', 'b', 'b', 'c', 'c', 'c', 'c'];
    const text = pairingText(bestAccuracy(km.cluster, genres));
    expect(text).not.toContain('null');
    expect(text.match(/→ —/g)).toHaveLength(1);
    expect(text).toMatch(/\(— : no genre left for this cluster; its songs count as wrong\)$/);
    expect(pairingText({ matching: ['a', 'b'] })).toBe('1 → a, 2 → b');
  });
});
