import type { ModelConfig } from '../types.js';
import type { DropoutRates } from './dropout.js';
import type { ParamLayout } from './layout.js';
import type { Parallel } from './parallel.js';
import type { Runtime } from './runtime.js';

/** What the forward and backward passes share: the runtime, the layout and where parameters and gradients live. */
export interface Net {
  rt: Runtime;
  par: Parallel;
  cfg: ModelConfig;
  layout: ParamLayout;
  rates: DropoutRates;
  /** Byte offsets of the parameter and gradient arrays (both in `layout` order). */
  params: number;
  grads: number;
}
