import { describe, expect, it } from 'vitest';
import { environmentInfo, presetFromEnv } from '../../src/notebook/environment.js';

describe('presetFromEnv', () => {
  it('defaults to "default" and accepts the three presets', () => {
    expect(presetFromEnv({})).toBe('default');
    expect(presetFromEnv({ TWEETLAB_PRESET: ' quick ' })).toBe('quick');
    expect(presetFromEnv({ TWEETLAB_PRESET: 'report' })).toBe('report');
  });

  it('rejects unknown names', () => {
    expect(() => presetFromEnv({ TWEETLAB_PRESET: 'fast' })).toThrow(/TWEETLAB_PRESET must be one of quick, default, report/);
  });
});

describe('environmentInfo', () => {
  it('reports the package, Node and tfjs versions, and what it is given', () => {
    const info = environmentInfo({ preset: 'quick', backend: 'wasm' });
    expect(info.tweetlab).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.node).toBe(process.version);
    expect(info.tfjs).toMatch(/^\d+\.\d+\.\d+/);
    expect(info).toMatchObject({ preset: 'quick', backend: 'wasm' });
    expect(info.tslab).toBeUndefined(); // not inside a kernel
  });
});
