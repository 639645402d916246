"""Which BLAS this torch process runs on, and how fast its float32 GEMM is (evidence for scripts/bench.mjs).

Debian's python3-torch links libblas.so.3, an alternative: reference (Netlib) BLAS unless an optimised one such
as libopenblas0-pthread is installed. What was really loaded is read from /proc/self/maps after a matmul; the
raw lines go back to the bench, which classifies them (src/cli/bench-torch.ts, tested with fixture lines).
"""
import os
import re
import sysconfig
import time

import torch

# A superset of the BLAS-related libraries (the bench decides which one is the BLAS); keeps the JSON small.
_BLASISH = re.compile(r"(blas|lapack|mkl|blis|atlas|gfortran|omp)[^/]*\.so(\.|$)")


def gemm_gflops(n=1024, seconds=1.0):
    """float32 n×n·n×n GEMM rate in GFLOP/s (best of repeated products over about `seconds`)."""
    a = torch.randn(n, n)
    b = torch.randn(n, n)
    torch.mm(a, b)  # warm-up: loads the BLAS and starts its threads
    best = float("inf")
    deadline = time.perf_counter() + seconds
    reps = 0
    while reps < 3 or (time.perf_counter() < deadline and reps < 50):
        start = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - start)
        reps += 1
    return 2 * n ** 3 / best / 1e9


def mapped_library_lines():
    """The /proc/self/maps lines of BLAS-related shared libraries, one per file."""
    seen = set()
    lines = []
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split(None, 5)
                if len(parts) == 6 and parts[5].startswith("/") and _BLASISH.search(os.path.basename(parts[5])):
                    file = parts[5].strip()
                    if file not in seen:
                        seen.add(file)
                        lines.append(line.rstrip("\n"))
    except OSError:
        pass
    return lines


def libblas_alternative():
    """realpath of <libdir>/libblas.so.3 (Debian's alternative), or None where there is none."""
    libdir = sysconfig.get_config_var("LIBDIR") or "/usr/lib"
    multiarch = sysconfig.get_config_var("MULTIARCH") or ""
    for d in (os.path.join("/usr/lib", multiarch), libdir, "/usr/lib"):
        p = os.path.join(d, "libblas.so.3")
        if os.path.exists(p):
            return os.path.realpath(p)
    return None


def blas_report():
    """GEMM rate first (so the BLAS is loaded and used), then what is mapped."""
    gflops = gemm_gflops()
    return {
        "gemmGflops": gflops,
        "gemmSize": 1024,
        "blasEvidence": {
            "maps": "\n".join(mapped_library_lines()),
            "libblasAlternative": libblas_alternative(),
            "configShow": torch.__config__.show(),
        },
    }
