/**
 * L2-regularised logistic regression on sparse rows, trained full-batch by L-BFGS with a backtracking line search
 * (Nocedal & Wright, ch. 7): deterministic — the same rows give the same weights — and quick on a few thousand
 * posts with tens of thousands of features.
 */

/** Rows in compressed sparse row form: row i holds indices/values[rowStart[i] … rowStart[i + 1]). */
export interface SparseRows {
  rowStart: Int32Array;
  indices: Int32Array;
  values: Float64Array;
  /** Number of feature columns. */
  columns: number;
}

export interface LogisticModel {
  weights: Float64Array;
  bias: number;
  /** L-BFGS iterations run. */
  iterations: number;
}

export interface LogisticOptions {
  /** Weight of ½‖w‖² against the summed log-loss (the bias is not penalised). sklearn's 1/C. */
  l2: number;
  /** Most L-BFGS iterations. */
  maxIterations: number;
  /** Stop when the largest gradient component falls below this (default 1e-6). */
  tolerance?: number;
  /** Stop when an iteration lowers the objective by less than this share of it (default 1e-6). */
  relativeDecrease?: number;
}

/** The linear score w·x + b of row i (> 0 means class 1). */
export function logisticScore(rows: SparseRows, i: number, weights: Float64Array, bias: number): number {
  let z = bias;
  for (let k = rows.rowStart[i] as number; k < (rows.rowStart[i + 1] as number); k++) {
    z += (weights[rows.indices[k] as number] as number) * (rows.values[k] as number);
  }
  return z;
}

/** Trains on `rows` with labels 0/1. */
export function trainLogistic(rows: SparseRows, labels: Uint8Array, opts: LogisticOptions): LogisticModel {
  const d = rows.columns;
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    const weights = theta.subarray(0, d);
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < labels.length; i++) {
      const z = logisticScore(rows, i, weights, theta[d] as number);
      const y = labels[i] as number;
      loss += softplus(y === 1 ? -z : z); // −log σ(±z)
      const residual = sigmoid(z) - y;
      for (let k = rows.rowStart[i] as number; k < (rows.rowStart[i + 1] as number); k++) {
        const j = rows.indices[k] as number;
        grad[j] = (grad[j] as number) + residual * (rows.values[k] as number);
      }
      grad[d] = (grad[d] as number) + residual;
    }
    for (let j = 0; j < d; j++) {
      const wj = theta[j] as number;
      loss += 0.5 * opts.l2 * wj * wj;
      grad[j] = (grad[j] as number) + opts.l2 * wj;
    }
    return loss;
  };
  const { x, iterations } = minimiseLbfgs(objective, new Float64Array(d + 1), {
    maxIterations: opts.maxIterations,
    tolerance: opts.tolerance ?? 1e-6,
    relativeDecrease: opts.relativeDecrease ?? 1e-6,
  });
  return { weights: x.slice(0, d), bias: x[d] as number, iterations };
}

type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Limited-memory BFGS (memory 8) with the two-loop recursion and an Armijo backtracking line search. */
function minimiseLbfgs(
  f: Objective,
  x0: Float64Array,
  stop: { maxIterations: number; tolerance: number; relativeDecrease: number },
): { x: Float64Array; iterations: number } {
  const n = x0.length;
  let x = x0;
  let g = new Float64Array(n);
  let fx = f(x, g);
  const history: { s: Float64Array; y: Float64Array; rho: number }[] = [];
  let iterations = 0;
  for (; iterations < stop.maxIterations && maxAbs(g) > stop.tolerance; iterations++) {
    let dir = searchDirection(g, history);
    let slope = dot(g, dir);
    if (!(slope < 0)) {
      history.length = 0; // not a descent direction: restart from steepest descent
      dir = g.map((v) => -v);
      slope = dot(g, dir);
    }
    let step = history.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 50; tries++, step *= 0.5) {
      for (let j = 0; j < n; j++) xNew[j] = (x[j] as number) + step * (dir[j] as number);
      fNew = f(xNew, gNew);
      if (fNew <= fx + 1e-4 * step * slope) break;
    }
    if (!(fNew < fx)) break; // no progress possible at double precision
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = (xNew[j] as number) - (x[j] as number);
      y[j] = (gNew[j] as number) - (g[j] as number);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      history.push({ s, y, rho: 1 / sy });
      if (history.length > 8) history.shift();
    }
    const decrease = fx - fNew;
    x = xNew;
    g = gNew;
    fx = fNew;
    if (decrease <= stop.relativeDecrease * Math.abs(fx)) {
      iterations++;
      break;
    }
  }
  return { x, iterations };
}

/** −H·g by the two-loop recursion, H the L-BFGS inverse-Hessian estimate scaled by sᵀy / yᵀy. */
function searchDirection(g: Float64Array, history: readonly { s: Float64Array; y: Float64Array; rho: number }[]): Float64Array {
  const q = Float64Array.from(g);
  const alpha = new Float64Array(history.length);
  for (let k = history.length - 1; k >= 0; k--) {
    const h = history[k] as { s: Float64Array; y: Float64Array; rho: number };
    alpha[k] = h.rho * dot(h.s, q);
    axpy(-(alpha[k] as number), h.y, q);
  }
  const last = history[history.length - 1];
  if (last) {
    const gamma = 1 / (last.rho * dot(last.y, last.y));
    for (let j = 0; j < q.length; j++) q[j] = (q[j] as number) * gamma;
  }
  for (let k = 0; k < history.length; k++) {
    const h = history[k] as { s: Float64Array; y: Float64Array; rho: number };
    const beta = h.rho * dot(h.y, q);
    axpy((alpha[k] as number) - beta, h.s, q);
  }
  for (let j = 0; j < q.length; j++) q[j] = -(q[j] as number);
  return q;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] as number) * (b[j] as number);
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let j = 0; j < y.length; j++) y[j] = (y[j] as number) + a * (x[j] as number);
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let j = 0; j < a.length; j++) m = Math.max(m, Math.abs(a[j] as number));
  return m;
}

/** log(1 + eᵗ) without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}
