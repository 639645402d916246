/**
 * Fairness of the PyTorch baseline of `npm run bench`: which BLAS torch actually ran on (from the libraries its
 * process had mapped after a matmul, the `libblas.so.3` alternative and `torch.__config__.show()`), whether a
 * throughput ratio may be printed against it, and the environment its process gets. Debian's torch runs on
 * reference BLAS unless an optimised one (libopenblas0-pthread) is installed, ~30× slower on this machine: a
 * ratio against that would flatter tweetlab, so the bench refuses to print one.
 */
import * as path from 'node:path';

/** Which BLAS implementation torch used; 'reference' is Netlib's, 'unknown' when nothing told. */
export type BlasKind = 'openblas-pthread' | 'openblas-openmp' | 'openblas-serial' | 'openblas' | 'mkl' | 'blis' | 'atlas' | 'reference' | 'unknown';

/** What bench/torch_blas.py collects inside the torch process. */
export interface BlasEvidence {
  /** Lines of /proc/self/maps (of shared libraries), read after a float32 matmul. */
  maps: string;
  /** realpath of the `libblas.so.3` alternative where the system has one, else null. */
  libblasAlternative?: string | null;
  /** `torch.__config__.show()`. */
  configShow?: string;
}

export interface BlasInfo {
  kind: BlasKind;
  /** The library that decided (a path), or null. */
  library: string | null;
  /** One line: how the kind was told. */
  evidence: string;
}

/** The paths of the files mapped in a /proc/<pid>/maps text, each once, in order of first appearance. */
export function mappedLibraries(maps: string): string[] {
  const seen = new Set<string>();
  for (const line of maps.split('\n')) {
    // address perms offset dev inode [path]; the path is everything after the fifth field and may hold spaces.
    const m = /^\s*\S+\s+\S+\s+\S+\s+\S+\s+\d+\s+(\/.*?)\s*$/.exec(line);
    const file = m?.[1]?.replace(/ \(deleted\)$/, '');
    if (file) seen.add(file);
  }
  return [...seen];
}

/** BLAS bundled inside a Python wheel (numpy.libs, scipy.libs …): never what torch calls. */
function bundledWithOtherPackage(file: string): boolean {
  return /\/(numpy|scipy)(\.libs|\/\.libs)\//.test(file);
}

/** The BLAS a library file is, or null when it is no BLAS. */
export function blasKindOfPath(file: string): BlasKind | null {
  const base = path.posix.basename(file);
  if (/^libmkl_/.test(base)) return 'mkl';
  const variant = /\/openblas-(pthread|openmp|serial)\//.exec(file);
  if (variant) return `openblas-${variant[1]}` as BlasKind;
  if (/^libopenblas/.test(base)) return 'openblas';
  if (/^libblis/.test(base) || /\/blis-(pthread|openmp|serial)\//.test(file)) return 'blis';
  if (/^lib[st]?atlas/.test(base) || (/\/atlas\//.test(file) && /^libblas\.so/.test(base))) return 'atlas';
  // Debian's reference BLAS (package libblas3) lives in <libdir>/blas/; elsewhere a bare libblas is not told apart.
  if (/^libblas\.so/.test(base)) return /\/blas\/libblas\.so/.test(file) ? 'reference' : 'unknown';
  return null;
}

/**
 * The BLAS torch used. A mapped `libblas.so*` decides first (Debian's torch links that soname, so the file it
 * resolved to is the one called), then MKL, OpenBLAS or BLIS mapped under their own names, then the build
 * configuration (a BLAS linked statically maps no library of its own). Nothing found: 'unknown'.
 */
export function classifyBlas(e: BlasEvidence): BlasInfo {
  const libs = mappedLibraries(e.maps).filter((f) => !bundledWithOtherPackage(f));
  const kinds = libs.map((f) => ({ file: f, kind: blasKindOfPath(f) })).filter((x) => x.kind !== null);
  const alt = e.libblasAlternative ? `; libblas.so.3 → ${e.libblasAlternative}` : '';
  const libblas = kinds.find((x) => /^libblas\.so/.test(path.posix.basename(x.file)));
  const named = kinds.find((x) => x.kind !== 'unknown' && x.kind !== 'reference');
  const pick = libblas && libblas.kind !== 'unknown' ? libblas : (named ?? libblas);
  if (pick) return { kind: pick.kind as BlasKind, library: pick.file, evidence: `mapped in the torch process: ${pick.file}${alt}` };
  const info = /BLAS_INFO=(\w+)/.exec(e.configShow ?? '')?.[1];
  const fromConfig: Record<string, BlasKind> = { mkl: 'mkl', open: 'openblas', blis: 'blis' };
  const kind = info ? fromConfig[info] : undefined;
  if (kind) return { kind, library: null, evidence: `torch.__config__.show(): BLAS_INFO=${info}, no BLAS library mapped (linked statically)${alt}` };
  return { kind: 'unknown', library: null, evidence: `no BLAS library mapped in the torch process${info ? `, BLAS_INFO=${info}` : ''}${alt}` };
}

/** The fix printed with every refusal. */
export const BLAS_FIX = 'apt-get install libopenblas0-pthread';

/**
 * Why no ratio to PyTorch may be printed, or null when one may: never against reference BLAS (Debian's torch
 * without an optimised BLAS is ~30× slower on this machine) nor against a BLAS the bench could not identify.
 */
export function ratioRefusal(blas: BlasInfo | null | undefined): string | null {
  if (!blas || blas.kind === 'unknown') {
    return `no ratio to PyTorch: could not tell which BLAS torch used (${blas?.evidence ?? 'no evidence'}); install an optimised one (\`${BLAS_FIX}\`) and rerun`;
  }
  if (blas.kind === 'reference') {
    return `no ratio to PyTorch: torch ran on reference BLAS (${blas.library ?? 'libblas'}), ~30× slower than OpenBLAS; install it (\`${BLAS_FIX}\`) and rerun`;
  }
  return null;
}

/** fast / torch throughput, or null when the BLAS forbids a ratio or a figure is missing. */
export function throughputRatio(engineTokensPerSec: number | undefined, torchTokensPerSec: number | undefined, blas: BlasInfo | null | undefined): number | null {
  if (ratioRefusal(blas) !== null) return null;
  if (!(engineTokensPerSec! > 0) || !(torchTokensPerSec! > 0)) return null;
  return (engineTokensPerSec as number) / (torchTokensPerSec as number);
}

/**
 * OpenBLAS tuning variables the bench removes from the torch process's environment only (this machine sets
 * them, and they slow OpenBLAS down); tests and CI never see a change.
 */
export const OPENBLAS_TUNING_VARS = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

export interface TorchChildEnv {
  env: Record<string, string>;
  /** The tuning variables that were set and are left out, as NAME=value. */
  unset: string[];
  /** Thread variables set for the child. */
  set: Record<string, string>;
}

/** The torch child's environment: `env` less the OpenBLAS tuning variables, with every BLAS pool at `threads`. */
export function torchChildEnv(env: Readonly<Record<string, string | undefined>>, threads: number): TorchChildEnv {
  const out: Record<string, string> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) continue;
    if ((OPENBLAS_TUNING_VARS as readonly string[]).includes(k)) unset.push(`${k}=${v}`);
    else out[k] = v;
  }
  const n = String(threads);
  const set = { OMP_NUM_THREADS: n, OPENBLAS_NUM_THREADS: n, MKL_NUM_THREADS: n };
  return { env: { ...out, ...set }, unset, set };
}
