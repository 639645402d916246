import { describe, expect, it } from 'vitest';
import {
  BLAS_FIX,
  blasKindOfPath,
  classifyBlas,
  mappedLibraries,
  ratioRefusal,
  throughputRatio,
  torchChildEnv,
  type BlasInfo,
} from '../../src/cli/bench-torch.js';

// /proc/self/maps lines as bench/torch_blas.py sends them (one per BLAS-related library, read after a matmul).
const line = (file: string): string => `7efc94ddc000-7efc94dfa000 r--p 00000000 fe:00 5595233                    ${file}`;
const LIB = '/usr/lib/x86_64-linux-gnu';
const OPENBLAS_MAPS = [
  line(`${LIB}/libgfortran.so.5.0.0`),
  line(`${LIB}/openblas-pthread/libopenblasp-r0.3.21.so`),
  line(`${LIB}/openblas-pthread/liblapack.so.3`),
  line(`${LIB}/openblas-pthread/libblas.so.3`),
  line(`${LIB}/libgomp.so.1.0.0`),
].join('\n');
const REFERENCE_MAPS = [line(`${LIB}/blas/libblas.so.3`), line(`${LIB}/lapack/liblapack.so.3`), line(`${LIB}/libgomp.so.1.0.0`)].join('\n');
const CONFIG_GENERIC = 'PyTorch built with:\n  - Build settings: BLAS_INFO=generic, BUILD_TYPE=RelWithDebInfo, LAPACK_INFO=generic,';

describe('mappedLibraries', () => {
  it('reads each mapped file once, in order, and skips anonymous mappings', () => {
    const maps = [
      line(`${LIB}/openblas-pthread/libblas.so.3`),
      '7efc94ddc000-7efc94dfa000 r-xp 0001e000 fe:00 5595233                    /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3',
      '7ffd1c1f0000-7ffd1c211000 rw-p 00000000 00:00 0                          [stack]',
      '7efc94dfa000-7efc94dfc000 rw-p 00000000 00:00 0 ',
      line('/opt/my libs/libmkl_rt.so.2 (deleted)'),
    ].join('\n');
    expect(mappedLibraries(maps)).toEqual([`${LIB}/openblas-pthread/libblas.so.3`, '/opt/my libs/libmkl_rt.so.2']);
    expect(mappedLibraries('')).toEqual([]);
  });
});

describe('blasKindOfPath', () => {
  it('names the BLAS of a library file, or null for other libraries', () => {
    expect(blasKindOfPath(`${LIB}/openblas-pthread/libblas.so.3`)).toBe('openblas-pthread');
    expect(blasKindOfPath(`${LIB}/openblas-openmp/libblas.so.3`)).toBe('openblas-openmp');
    expect(blasKindOfPath(`${LIB}/openblas-serial/libopenblas.so.0`)).toBe('openblas-serial');
    expect(blasKindOfPath('/opt/lib/libopenblas.so.0')).toBe('openblas');
    expect(blasKindOfPath(`${LIB}/libmkl_rt.so`)).toBe('mkl');
    expect(blasKindOfPath(`${LIB}/blis-pthread/libblas.so.3`)).toBe('blis');
    expect(blasKindOfPath(`${LIB}/atlas/libblas.so.3`)).toBe('atlas');
    expect(blasKindOfPath(`${LIB}/blas/libblas.so.3`)).toBe('reference');
    expect(blasKindOfPath('/usr/lib64/libblas.so.3')).toBe('unknown');
    expect(blasKindOfPath(`${LIB}/libgomp.so.1.0.0`)).toBeNull();
    expect(blasKindOfPath(`${LIB}/libgfortran.so.5.0.0`)).toBeNull();
  });
});

describe('classifyBlas', () => {
  it("tells Debian's OpenBLAS (pthread) from the libblas.so.3 torch loaded", () => {
    const b = classifyBlas({ maps: OPENBLAS_MAPS, libblasAlternative: `${LIB}/openblas-pthread/libblas.so.3`, configShow: CONFIG_GENERIC });
    expect(b.kind).toBe('openblas-pthread');
    expect(b.library).toBe(`${LIB}/openblas-pthread/libblas.so.3`);
    expect(b.evidence).toContain('libblas.so.3 → /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3');
  });

  it("tells Debian's reference BLAS, even when a numpy wheel maps its own OpenBLAS", () => {
    const maps = `${REFERENCE_MAPS}\n${line('/usr/local/lib/python3.11/site-packages/numpy.libs/libopenblas64_p-r0-15028c96.3.21.so')}`;
    const b = classifyBlas({ maps, libblasAlternative: `${LIB}/blas/libblas.so.3`, configShow: CONFIG_GENERIC });
    expect(b).toMatchObject({ kind: 'reference', library: `${LIB}/blas/libblas.so.3` });
  });

  it('tells reference BLAS when OpenBLAS is mapped only for LAPACK (seen here with LD_LIBRARY_PATH=<libdir>/blas)', () => {
    const maps = [
      line(`${LIB}/libgfortran.so.5.0.0`),
      line(`${LIB}/openblas-pthread/libopenblasp-r0.3.21.so`),
      line(`${LIB}/openblas-pthread/liblapack.so.3`),
      line(`${LIB}/blas/libblas.so.3.11.0`),
      line(`${LIB}/libgomp.so.1.0.0`),
    ].join('\n');
    const b = classifyBlas({ maps, libblasAlternative: `${LIB}/openblas-pthread/libblas.so.3`, configShow: CONFIG_GENERIC });
    expect(b).toMatchObject({ kind: 'reference', library: `${LIB}/blas/libblas.so.3.11.0` });
    expect(ratioRefusal(b)).toMatch(/^no ratio to PyTorch: torch ran on reference BLAS/);
  });

  it('falls back on the build configuration for a statically linked BLAS, else says unknown', () => {
    expect(classifyBlas({ maps: line(`${LIB}/libgomp.so.1.0.0`), configShow: 'Build settings: BLAS_INFO=mkl, BUILD_TYPE=Release' }))
      .toMatchObject({ kind: 'mkl', library: null });
    const unknown = classifyBlas({ maps: '', libblasAlternative: null, configShow: CONFIG_GENERIC });
    expect(unknown.kind).toBe('unknown');
    expect(unknown.evidence).toBe('no BLAS library mapped in the torch process, BLAS_INFO=generic');
  });

  it('prefers a named optimised BLAS over a libblas.so.3 it cannot place', () => {
    const maps = [line('/usr/lib64/libblas.so.3'), line('/usr/lib64/libopenblas.so.0')].join('\n');
    expect(classifyBlas({ maps }).kind).toBe('openblas');
    expect(classifyBlas({ maps: line('/usr/lib64/libblas.so.3') }).kind).toBe('unknown');
  });
});

describe('ratio refusal', () => {
  const openblas: BlasInfo = { kind: 'openblas-pthread', library: `${LIB}/openblas-pthread/libblas.so.3`, evidence: 'mapped' };
  const reference: BlasInfo = { kind: 'reference', library: `${LIB}/blas/libblas.so.3`, evidence: 'mapped' };

  it('allows a ratio against an optimised BLAS', () => {
    expect(ratioRefusal(openblas)).toBeNull();
    expect(ratioRefusal({ kind: 'mkl', library: null, evidence: 'config' })).toBeNull();
    expect(throughputRatio(5000, 2000, openblas)).toBe(2.5);
  });

  it('refuses against reference or unknown BLAS with one line naming the fix', () => {
    const ref = ratioRefusal(reference) as string;
    expect(ref).toBe(`no ratio to PyTorch: torch ran on reference BLAS (${LIB}/blas/libblas.so.3), ~30× slower than OpenBLAS; install it (\`${BLAS_FIX}\`) and rerun`);
    expect(ref).not.toContain('\n');
    const unknown = ratioRefusal({ kind: 'unknown', library: null, evidence: 'no BLAS library mapped' }) as string;
    expect(unknown).toMatch(/^no ratio to PyTorch: could not tell which BLAS torch used \(no BLAS library mapped\).*apt-get install libopenblas0-pthread/);
    expect(ratioRefusal(null)).toMatch(/could not tell/);
    expect(throughputRatio(5000, 2000, reference)).toBeNull();
    expect(throughputRatio(5000, 2000, undefined)).toBeNull();
  });

  it('gives no ratio when a figure is missing', () => {
    expect(throughputRatio(undefined, 2000, openblas)).toBeNull();
    expect(throughputRatio(5000, 0, openblas)).toBeNull();
  });
});

describe('torchChildEnv', () => {
  it('removes the OpenBLAS tuning variables for the torch child only and records what it removed', () => {
    const parent = { PATH: '/usr/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512', OPENBLAS_VERBOSE: '2', OMP_NUM_THREADS: '8', GONE: undefined };
    const before = { ...parent };
    const c = torchChildEnv(parent, 1);
    expect(c.unset).toEqual(['OPENBLAS_CORETYPE=Haswell', 'OPENBLAS_L2_SIZE=512']);
    expect(c.env).toEqual({ PATH: '/usr/bin', OPENBLAS_VERBOSE: '2', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' });
    expect(parent).toEqual(before);
    expect(torchChildEnv({ PATH: '/bin' }, 2)).toMatchObject({ unset: [], set: { OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } });
  });
});
