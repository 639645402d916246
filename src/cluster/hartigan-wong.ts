/**
 * Hartigan–Wong k-means (Applied Statistics algorithm AS 136, 1979), the default algorithm of R's
 * `stats::kmeans`, rendered step for step so that a run goes where R's goes from the same centres.
 *
 * Why Hartigan–Wong and not Lloyd: Lloyd stops as soon as no point is nearer another centre, while
 * Hartigan–Wong also moves a point when the move lowers the total within-cluster sum of squares once the two
 * centres shift (the n/(n∓1) factors below). Its local optima are a subset of Lloyd's, so with the same number
 * of random starts it lands on the best partition at least as often.
 */
import { TweetlabError } from '../errors.js';
import { squaredDistance } from './matrix.js';

const BIG = 1e30;

/** One Hartigan–Wong run from given starting centres (k × n, row-major). Exposed for tests and the curious. */
export interface HartiganWongRun {
  /** 0-based cluster of each point. */
  ic1: Int32Array;
  centers: Float64Array;
  nc: Int32Array;
  wss: Float64Array;
  iter: number;
  ifault: number;
}

/**
 * The working arrays of one AS 136 run, named as in the published Fortran (IC1, IC2, NC, AN1, AN2, NCP, D,
 * ITRAN, LIVE, INDX) so the code reads beside it. Points and clusters are 0-based; steps are 1-based
 * (step = i + 1) because LIVE and NCP hold step numbers, compared with < and ≥.
 */
class HartiganWongState {
  /** Centres, k × n row-major. */
  readonly c: Float64Array;
  /** Closest and second-closest cluster of each point. */
  readonly ic1: Int32Array;
  readonly ic2: Int32Array;
  /** Points per cluster, and the factors n/(n−1) and n/(n+1) of each cluster. */
  readonly nc: Int32Array;
  readonly an1: Float64Array;
  readonly an2: Float64Array;
  /** Step at which each cluster last changed. */
  readonly ncp: Int32Array;
  /** Each point's weighted squared distance to its own centre. */
  readonly d: Float64Array;
  /** Clusters that changed in the last quick-transfer stage (1) or not (0). */
  readonly itran: Uint8Array;
  /** Step until which each cluster belongs to the live set. */
  readonly live: Int32Array;
  /** Optimal-transfer steps since the last move; a full pass (m steps) without one ends the run. */
  indx = 0;

  constructor(
    readonly a: Float64Array,
    readonly m: number,
    readonly n: number,
    readonly k: number,
    start: Float64Array,
  ) {
    this.c = Float64Array.from(start);
    this.ic1 = new Int32Array(m);
    this.ic2 = new Int32Array(m);
    this.nc = new Int32Array(k);
    this.an1 = new Float64Array(k);
    this.an2 = new Float64Array(k);
    this.ncp = new Int32Array(k);
    this.d = new Float64Array(m);
    this.itran = new Uint8Array(k);
    this.live = new Int32Array(k);
  }

  /** Squared distance of point i to centre l, abandoned (a value ≥ limit) once it reaches `limit`. */
  private dist2(i: number, l: number, limit = Infinity): number {
    return squaredDistance(this.a, i, this.c, l, this.n, limit);
  }

  /** Each point goes to its closest centre; its second closest is remembered. */
  assignClosest(): void {
    const { m, k, ic1, ic2 } = this;
    for (let i = 0; i < m; i++) {
      let best = 0;
      let second = 1;
      let d1 = this.dist2(i, 0);
      let d2 = this.dist2(i, 1);
      if (d1 > d2) {
        best = 1;
        second = 0;
        const t = d1;
        d1 = d2;
        d2 = t;
      }
      for (let l = 2; l < k; l++) {
        const db = this.dist2(i, l, d2);
        if (db >= d2) continue;
        if (db >= d1) {
          d2 = db;
          second = l;
        } else {
          d2 = d1;
          second = best;
          d1 = db;
          best = l;
        }
      }
      ic1[i] = best;
      ic2[i] = second;
    }
  }

  /** Centres become the means of their points. False when a cluster is empty (AS 136 fault 1). */
  centresFromAssignment(): boolean {
    const { a, m, n, k, c, nc, ic1 } = this;
    c.fill(0);
    for (let i = 0; i < m; i++) {
      const l = ic1[i] as number;
      nc[l] = (nc[l] as number) + 1;
      for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) + (a[i * n + j] as number);
    }
    for (let l = 0; l < k; l++) {
      const size = nc[l] as number;
      if (size === 0) return false;
      for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) / size;
      this.an2[l] = size / (size + 1);
      this.an1[l] = size > 1 ? size / (size - 1) : BIG;
      this.itran[l] = 1;
      this.ncp[l] = -1;
    }
    return true;
  }

  /** Moves point i from cluster l1 to l2, updating centres, counts and the n/(n±1) factors. */
  private transfer(i: number, l1: number, l2: number): void {
    const { a, n, c, nc, an1, an2 } = this;
    const al1 = nc[l1] as number;
    const alw = al1 - 1;
    const al2 = nc[l2] as number;
    const alt = al2 + 1;
    for (let j = 0; j < n; j++) {
      const x = a[i * n + j] as number;
      c[l1 * n + j] = ((c[l1 * n + j] as number) * al1 - x) / alw;
      c[l2 * n + j] = ((c[l2 * n + j] as number) * al2 + x) / alt;
    }
    nc[l1] = alw;
    nc[l2] = alt;
    an2[l1] = alw / al1;
    an1[l1] = alw > 1 ? alw / (alw - 1) : BIG;
    an1[l2] = alt / al2;
    an2[l2] = alt / (alt + 1);
    this.ic1[i] = l2;
    this.ic2[i] = l1;
  }

  /** The cluster whose centre point i would best move to (`ic2[i]` when none beats it), and its cost. */
  private bestMove(i: number, step: number, l1: number): { l2: number; r2: number } {
    const { k, an2, live } = this;
    const ll = this.ic2[i] as number;
    let l2 = ll;
    let r2 = this.dist2(i, l2) * (an2[l2] as number);
    for (let l = 0; l < k; l++) {
      // Clusters outside the live set are only worth trying when l1 itself is live.
      if ((step >= (live[l1] as number) && step >= (live[l] as number)) || l === l1 || l === ll) continue;
      const rr = r2 / (an2[l] as number);
      const dc = this.dist2(i, l, rr);
      if (dc >= rr) continue;
      r2 = dc * (an2[l] as number);
      l2 = l;
    }
    return { l2, r2 };
  }

  /** The optimal-transfer stage: each point moves to the cluster that lowers the total wss most. */
  optimalTransfer(): void {
    const { m, k, nc, ncp, d, live, itran } = this;
    for (let l = 0; l < k; l++) if (itran[l] === 1) live[l] = m + 1;
    for (let i = 0; i < m; i++) {
      const step = i + 1;
      this.indx++;
      const l1 = this.ic1[i] as number;
      if ((nc[l1] as number) !== 1) {
        // D(i) only needs recomputing when l1 changed during this stage.
        if ((ncp[l1] as number) !== 0) d[i] = this.dist2(i, l1) * (this.an1[l1] as number);
        const { l2, r2 } = this.bestMove(i, step, l1);
        if (r2 >= (d[i] as number)) {
          this.ic2[i] = l2;
        } else {
          this.indx = 0;
          live[l1] = m + step;
          live[l2] = m + step;
          ncp[l1] = step;
          ncp[l2] = step;
          this.transfer(i, l1, l2);
        }
      }
      if (this.indx === m) return;
    }
    for (let l = 0; l < k; l++) {
      itran[l] = 0;
      live[l] = (live[l] as number) - m;
    }
  }

  /**
   * The quick-transfer stage: points move between their two closest clusters until a whole pass moves none.
   * Returns false when the step limit was hit.
   */
  quickTransfer(maxSteps: number): boolean {
    const { m, nc, ncp, d, an1, an2, itran } = this;
    let icoun = 0;
    let istep = 0;
    for (;;) {
      for (let i = 0; i < m; i++) {
        icoun++;
        istep++;
        if (istep >= maxSteps) return false;
        const l1 = this.ic1[i] as number;
        const l2 = this.ic2[i] as number;
        if ((nc[l1] as number) !== 1) {
          if (istep <= (ncp[l1] as number)) d[i] = this.dist2(i, l1) * (an1[l1] as number);
          if (istep < (ncp[l1] as number) || istep < (ncp[l2] as number)) {
            const r2 = (d[i] as number) / (an2[l2] as number);
            const dd = this.dist2(i, l2, r2);
            if (dd < r2) {
              icoun = 0;
              this.indx = 0;
              itran[l1] = 1;
              itran[l2] = 1;
              ncp[l1] = istep + m;
              ncp[l2] = istep + m;
              this.transfer(i, l1, l2);
            }
          }
        }
        if (icoun === m) return true;
      }
    }
  }

  /** Optimal and quick transfers in turn until a whole optimal-transfer pass moves nothing. */
  iterate(iterMax: number): { iter: number; ifault: number } {
    const maxQtrSteps = 50 * this.m; // R passes 50 * nrow(x)
    for (let iter = 1; iter <= iterMax; iter++) {
      this.optimalTransfer();
      if (this.indx === this.m) return { iter, ifault: 0 };
      // Stopped, not looping: R keeps this result with a warning.
      if (!this.quickTransfer(maxQtrSteps)) return { iter, ifault: 4 };
      if (this.k === 2) return { iter, ifault: 0 };
      this.ncp.fill(0);
    }
    return { iter: iterMax + 1, ifault: 2 };
  }

  /** Final centres and within-cluster sums of squares, recomputed from the assignment. */
  finalCentres(): Float64Array {
    const { a, m, n, k, c, nc, ic1 } = this;
    c.fill(0);
    for (let i = 0; i < m; i++) {
      const l = ic1[i] as number;
      for (let j = 0; j < n; j++) c[l * n + j] = (c[l * n + j] as number) + (a[i * n + j] as number);
    }
    const wss = new Float64Array(k);
    for (let j = 0; j < n; j++) {
      for (let l = 0; l < k; l++) c[l * n + j] = (c[l * n + j] as number) / (nc[l] as number);
      for (let i = 0; i < m; i++) {
        const l = ic1[i] as number;
        const t = (a[i * n + j] as number) - (c[l * n + j] as number);
        wss[l] = (wss[l] as number) + t * t;
      }
    }
    return wss;
  }
}

/**
 * AS 136 on an m × n row-major matrix from k starting centres: an optimal-transfer pass over all points, then
 * quick-transfer passes between each point's two closest clusters, repeated until a whole optimal-transfer
 * pass moves nothing.
 */
export function hartiganWong(a: Float64Array, m: number, n: number, start: Float64Array, k: number, iterMax = 10): HartiganWongRun {
  if (k <= 1 || k >= m) throw new TweetlabError(`Hartigan–Wong needs 1 < k < rows, got k = ${k} for ${m} rows`);
  const state = new HartiganWongState(a, m, n, k, start);
  state.assignClosest();
  if (!state.centresFromAssignment()) {
    return { ic1: state.ic1, centers: state.c, nc: state.nc, wss: new Float64Array(k), iter: 0, ifault: 1 };
  }
  const { iter, ifault } = state.iterate(iterMax);
  return { ic1: state.ic1, centers: state.c, nc: state.nc, wss: state.finalCentres(), iter, ifault };
}
