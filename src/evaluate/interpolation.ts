/**
 * The mixing weight for two models scored token by token on the same targets (say an LSTM and the Kneser–Ney
 * 3-gram): p = λ·pA + (1 − λ)·pB.
 */

/**
 * The λ in [0, 1] that maximises the mean log of λ·pA[i] + (1 − λ)·pB[i]. That objective is concave in λ, so its
 * derivative mean((pA − pB) / (λ·pA + (1 − λ)·pB)) falls monotonically: λ is 0 or 1 when the derivative keeps
 * one sign, else its root, found by bisection to double precision (deterministic, no starting point).
 * Targets where both models give probability 0 are skipped: no λ can help them.
 */
export function interpolationWeight(pA: Float64Array, pB: Float64Array): number {
  if (pA.length !== pB.length) throw new RangeError(`interpolationWeight needs equal lengths, got ${pA.length} and ${pB.length}`);
  let usable = 0;
  for (let i = 0; i < pA.length; i++) {
    const a = pA[i] as number;
    const b = pB[i] as number;
    if (!(a >= 0 && a <= 1 && b >= 0 && b <= 1)) throw new RangeError(`probabilities must lie in [0, 1], got ${a} and ${b} at ${i}`);
    if (a > 0 || b > 0) usable++;
  }
  if (usable === 0) throw new RangeError('interpolationWeight needs at least one target with a non-zero probability');
  if (slope(pA, pB, 0) <= 0) return 0;
  if (slope(pA, pB, 1) >= 0) return 1;
  let lo = 0;
  let hi = 1;
  for (let step = 0; step < 60; step++) {
    const mid = (lo + hi) / 2;
    if (slope(pA, pB, mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The mean log-probability of the mixture with weight λ on pA. */
export function mixtureLogLikelihood(pA: Float64Array, pB: Float64Array, lambda: number): number {
  const { sum, n } = sumOverTokens(pA, pB, (a, b) => Math.log(lambda * a + (1 - lambda) * b));
  return n === 0 ? Number.NaN : sum / n;
}

/** d/dλ of the mean log mixture (±Infinity where one model gives 0 at the boundary). */
function slope(pA: Float64Array, pB: Float64Array, lambda: number): number {
  const { sum, n } = sumOverTokens(pA, pB, (a, b) => (a - b) / (lambda * a + (1 - lambda) * b));
  return n === 0 ? 0 : sum / n;
}

/** Σ term(a, b) over the tokens either model gives a probability (a token both give 0 says nothing about λ). */
function sumOverTokens(pA: Float64Array, pB: Float64Array, term: (a: number, b: number) => number): { sum: number; n: number } {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < pA.length; i++) {
    const a = pA[i] as number;
    const b = pB[i] as number;
    if (a === 0 && b === 0) continue;
    sum += term(a, b);
    n++;
  }
  return { sum, n };
}
