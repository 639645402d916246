import * as tf from '@tensorflow/tfjs';
import { TweetlabError } from '../errors.js';
import { clipFactor, keepsOptimizerState, optimizerSlotNames } from './checks.js';
import type { WeightSpec } from './format.js';
import type { NamedWeight, OptimizerSettings, OptimizerState } from './types.js';

/**
 * The tfjs engine's own Keras-exact optimisers (RMSprop, Adam, AdamW, with PyTorch's clipping and L2 decay):
 * slot variables beside the model's variables, whose state can be read and restored (optimizer.bin).
 */

interface SlotSet {
  settings: OptimizerSettings;
  iterations: number;
  /** Per variable: rmsprop [rms]; adam [m, v]. */
  slots: tf.Variable[][];
}

export class TfjsOptimizer {
  private state: SlotSet | null = null;

  /** `vars` are the model's variables, `specs` their names and shapes (the `weightSpecs` order). */
  constructor(private readonly vars: readonly tf.Variable[], private readonly specs: readonly WeightSpec[]) {}

  /** Slots for `settings`; a change of learning rate, decay or clipping keeps the accumulated state. */
  ensure(settings: OptimizerSettings): void {
    if (this.state && keepsOptimizerState(this.state.settings, settings)) {
      this.state.settings = { ...settings };
      return;
    }
    this.dispose();
    const names = optimizerSlotNames(settings.kind);
    this.state = {
      settings: { ...settings },
      iterations: 0,
      slots: this.vars.map((v) => names.map(() => tf.variable(tf.zerosLike(v), false))),
    };
  }

  /** One update of every variable from its gradient in `grads` (keyed by variable name). */
  apply(grads: tf.NamedTensorMap): void {
    const opt = this.state;
    if (!opt) throw new TweetlabError('internal: the optimizer has no settings yet');
    const s = opt.settings;
    opt.iterations += 1;
    const t = opt.iterations;
    const adamRate = (s.learningRate * Math.sqrt(1 - s.beta2 ** t)) / (1 - s.beta1 ** t);
    tf.tidy(() => {
      const scale = this.clipScale(s, grads);
      const l2 = s.kind === 'adamw' ? 0 : (s.weightDecay ?? 0);
      const decoupled = s.kind === 'adamw' ? (s.weightDecay ?? 0) : 0;
      this.vars.forEach((v, k) => {
        let g = grads[v.name] as tf.Tensor;
        if (scale !== 1) g = tf.mul(g, scale);
        if (l2 !== 0) g = tf.add(g, tf.mul(v, l2));
        if (decoupled !== 0) v.assign(tf.mul(v, 1 - s.learningRate * decoupled));
        const slots = opt.slots[k] as tf.Variable[];
        if (s.kind === 'rmsprop') {
          const ms = slots[0] as tf.Variable;
          ms.assign(tf.add(tf.mul(ms, s.rho), tf.mul(tf.square(g), 1 - s.rho)));
          v.assign(tf.sub(v, tf.div(tf.mul(g, s.learningRate), tf.add(tf.sqrt(ms), s.epsilon))));
        } else {
          const m = slots[0] as tf.Variable;
          const vv = slots[1] as tf.Variable;
          m.assign(tf.add(tf.mul(m, s.beta1), tf.mul(g, 1 - s.beta1)));
          vv.assign(tf.add(tf.mul(vv, s.beta2), tf.mul(tf.square(g), 1 - s.beta2)));
          v.assign(tf.sub(v, tf.div(tf.mul(m, adamRate), tf.add(tf.sqrt(vv), s.epsilon))));
        }
      });
    });
  }

  /** The gradient clipping factor (1 when clipNorm is off or the global norm is within it). */
  private clipScale(s: OptimizerSettings, grads: tf.NamedTensorMap): number {
    const clip = s.clipNorm ?? 0;
    if (clip <= 0) return 1;
    const squares = this.vars.map((v) => tf.sum(tf.square(grads[v.name] as tf.Tensor)).dataSync()[0] as number);
    return clipFactor(Math.sqrt(squares.reduce((a, b) => a + b, 0)), clip);
  }

  /** The state after the last update (slots named `<weight>/<slot>`), or null before any training. */
  getState(): OptimizerState | null {
    const opt = this.state;
    if (!opt) return null;
    const names = optimizerSlotNames(opt.settings.kind);
    const slots: NamedWeight[] = [];
    this.vars.forEach((_, k) => {
      const spec = this.specs[k] as WeightSpec;
      (opt.slots[k] as tf.Variable[]).forEach((slot, j) => {
        slots.push({ name: `${spec.name}/${names[j]}`, shape: [...spec.shape], values: Float32Array.from(slot.dataSync() as Float32Array) });
      });
    });
    return { settings: { ...opt.settings }, iterations: opt.iterations, slots };
  }

  /** Restores a saved state; every slot of every weight must be there with the weight's size. */
  setState(state: OptimizerState): void {
    const names = optimizerSlotNames(state.settings.kind);
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    const values = this.specs.map((spec) =>
      names.map((n) => {
        const slot = byName.get(`${spec.name}/${n}`);
        if (!slot || slot.values.length !== spec.shape.reduce((a, b) => a * b, 1)) {
          throw new TweetlabError(`Optimizer state has no matching slot ${spec.name}/${n}`);
        }
        return slot;
      }),
    );
    this.dispose();
    this.state = {
      settings: { ...state.settings },
      iterations: state.iterations,
      slots: values.map((slots, k) =>
        slots.map((s) => tf.variable(tf.tensor(s.values, (this.specs[k] as WeightSpec).shape, 'float32'), false)),
      ),
    };
  }

  /** Frees the slot variables (the state is gone: the next `ensure` starts from zeros). */
  dispose(): void {
    if (!this.state) return;
    for (const slots of this.state.slots) for (const s of slots) s.dispose();
    this.state = null;
  }
}
