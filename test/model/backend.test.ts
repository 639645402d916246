import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { activateBackend, backendOfEngine, engineNames, getEngine, normaliseEngineName, registerEngine } from '../../src/model/backend.js';
import type { Engine } from '../../src/model/types.js';

describe('backends and engines', () => {
  it('the wasm UnsortedSegmentSum kernel (embedding gradient) matches cpu, repeated and unused ids included', async () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const ids = [2, 0, 2, 5];
    await activateBackend('cpu');
    const ref = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [4, 3]), tf.tensor1d(ids, 'int32'), 6).arraySync());
    await activateBackend('wasm');
    const got = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor2d(x, [4, 3]), tf.tensor1d(ids, 'int32'), 6).arraySync());
    expect(got).toEqual(ref);
    expect(got[2]).toEqual([8, 10, 12]);
    expect(got[1]).toEqual([0, 0, 0]);
    // tf.gather's gradient goes through it on wasm.
    const grad = tf.tidy(() =>
      tf.grad((e: tf.Tensor) => tf.sum(tf.gather(e, tf.tensor1d([1, 1, 3], 'int32'))))(tf.zeros([4, 2])).arraySync(),
    );
    expect(grad).toEqual([[0, 0], [2, 2], [0, 0], [1, 1]]);
  });

  it('names: backend flags map to engines, unknown engines are refused', async () => {
    expect(normaliseEngineName('wasm')).toBe('tfjs-wasm');
    expect(normaliseEngineName('tensorflow')).toBe('tfjs-node');
    expect(normaliseEngineName(undefined)).toBe('auto');
    expect(backendOfEngine('tfjs-cpu')).toBe('cpu');
    expect(backendOfEngine('fast-wasm')).toBe('fast-wasm');
    await expect(getEngine('no-such-engine')).rejects.toThrow(/Unknown engine "no-such-engine"/);
  });

  it('the registry is open: a registered engine with priority wins "auto" when available', async () => {
    const fake: Engine = { name: 'test-engine', createModel: () => { throw new Error('not used'); } };
    // Above fast-wasm (50), below tfjs-node (100, not installable here).
    registerEngine({ name: 'test-engine', priority: 60, available: async () => true, load: async () => fake });
    expect(engineNames()).toContain('test-engine');
    expect(await getEngine('test-engine')).toBe(fake);
    expect(await getEngine()).toBe(fake);
    registerEngine({ name: 'test-engine', priority: 60, available: async () => false, load: async () => fake });
    // Without it, auto falls to our own WebAssembly engine (npm test builds its kernels first).
    expect((await getEngine()).name).toBe('fast-wasm');
  });
});
