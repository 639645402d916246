import { TweetlabError } from '../../errors.js';
import { clipFactor, keepsOptimizerState, optimizerSlotNames } from '../checks.js';
import { sizeOf } from '../format.js';
import type { NamedWeight, OptimizerSettings, OptimizerState } from '../types.js';
import type { ParamLayout } from './layout.js';
import type { Parallel } from './parallel.js';

interface Slots {
  settings: OptimizerSettings;
  iterations: number;
  /** One or two arrays laid out like the parameters (rmsprop: [rms]; adam/adamw: [m, v]). */
  ptrs: number[];
}

/**
 * The optimiser over the parameter array: its slot arrays live in wasm memory in the parameter layout, so an
 * update is one elementwise kernel pass split between threads (plus one pass for clipping/L2 decay and one for
 * AdamW's decoupled decay, only when those are on).
 */
export class FastOptimizer {
  private slots: Slots | null = null;

  constructor(private readonly par: Parallel, private readonly layout: ParamLayout, private readonly params: number,
    private readonly grads: number) {}

  /** Slots for `settings`; a change of learning rate, decay or clipping keeps the accumulated state. */
  ensure(settings: OptimizerSettings): Slots {
    const names = optimizerSlotNames(settings.kind);
    if (this.slots && keepsOptimizerState(this.slots.settings, settings)) {
      this.slots.settings = { ...settings };
      return this.slots;
    }
    const total = this.layout.total;
    const ptrs = this.slots && this.slots.ptrs.length >= names.length ? this.slots.ptrs.slice(0, names.length) : [];
    while (ptrs.length < names.length) ptrs.push(this.par.rt.allocF32(total));
    for (const p of ptrs) this.par.rt.k.zero(p, total);
    this.slots = { settings: { ...settings }, iterations: 0, ptrs };
    return this.slots;
  }

  /** One update from the gradients in `grads`. */
  apply(slots: Slots): void {
    const s = slots.settings;
    const total = this.layout.total;
    const { params, grads } = this;
    slots.iterations += 1;
    const t = slots.iterations;
    const wd = s.weightDecay ?? 0;
    const clip = s.clipNorm ?? 0;
    const scale = clip > 0 ? clipFactor(Math.sqrt(this.par.sumSquares(grads, total)), clip) : 1;
    const l2 = s.kind === 'adamw' ? 0 : wd;
    if (scale !== 1 || l2 !== 0) this.par.elementwise(total, (o, len) => ['scaleAdd', [grads + o, params + o, len, scale, l2]]);
    if (s.kind === 'adamw' && wd !== 0) {
      const factor = 1 - s.learningRate * wd;
      this.par.elementwise(total, (o, len) => ['scaleBy', [params + o, len, factor]]);
    }
    const [p0, p1] = slots.ptrs as [number, number];
    if (s.kind === 'rmsprop') {
      this.par.elementwise(total, (o, len) => ['rmsprop', [params + o, grads + o, p0 + o, len, s.learningRate, s.rho, s.epsilon]]);
    } else {
      const rate = (s.learningRate * Math.sqrt(1 - s.beta2 ** t)) / (1 - s.beta1 ** t);
      this.par.elementwise(total, (o, len) => ['adam', [params + o, grads + o, p0 + o, p1 + o, len, rate, s.beta1, s.beta2, s.epsilon]]);
    }
  }

  getState(read: (base: number) => NamedWeight[]): OptimizerState | null {
    const s = this.slots;
    if (!s) return null;
    const names = optimizerSlotNames(s.settings.kind);
    const arrays = s.ptrs.map((p) => read(p));
    const slots: NamedWeight[] = [];
    this.layout.specs.forEach((spec, k) => {
      names.forEach((n, j) => {
        const a = (arrays[j] as NamedWeight[])[k] as NamedWeight;
        slots.push({ name: `${spec.name}/${n}`, shape: [...spec.shape], values: a.values });
      });
    });
    return { settings: { ...s.settings }, iterations: s.iterations, slots };
  }

  setState(state: OptimizerState): void {
    const names = optimizerSlotNames(state.settings.kind);
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    const slots = this.ensure(state.settings);
    const f32 = this.par.rt.f32;
    this.layout.specs.forEach((spec, k) => {
      names.forEach((n, j) => {
        const slot = byName.get(`${spec.name}/${n}`);
        if (!slot || slot.values.length !== sizeOf(spec.shape)) {
          throw new TweetlabError(`Optimizer state has no matching slot ${spec.name}/${n}`);
        }
        f32.set(slot.values, this.layout.ptr(k, slots.ptrs[j] as number) >> 2);
      });
    });
    slots.settings = { ...state.settings };
    slots.iterations = state.iterations;
  }
}
