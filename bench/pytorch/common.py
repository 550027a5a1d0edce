"""Shared set-up for the PyTorch baselines (see shared/reference/pytorch-baseline.md,
"How PyTorch was set up"). Import this module *before* torch: it sets OMP_WAIT_POLICY.

    from common import torch, setup, summarize
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

# With the default (active) wait policy the OpenMP threads of torch spin and fight the
# OpenBLAS pthreads, making small-model epochs 2-4x slower. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def loaded_blas():
    """Paths of the BLAS libraries mapped into this process."""
    libs = []
    with open("/proc/self/maps") as maps:
        for line in maps:
            parts = line.split()
            if len(parts) >= 6 and ("blas" in parts[-1] or "lapack" in parts[-1]):
                if parts[-1] not in libs:
                    libs.append(parts[-1])
    return libs


def set_openblas_threads(n):
    """Calls openblas_set_num_threads(n) in the OpenBLAS torch uses (torch does not pass
    its thread count on). Returns (library path, threads OpenBLAS reports) or (None, None)."""
    candidates = [p for p in loaded_blas() if "openblas" in p] + loaded_blas()
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
            fn = lib.openblas_set_num_threads
        except (OSError, AttributeError):
            continue
        fn.argtypes = [ctypes.c_int]
        fn(n)
        got = None
        if hasattr(lib, "openblas_get_num_threads"):
            got = lib.openblas_get_num_threads()
        return os.path.realpath(path), got
    return None, None


def parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--seed", type=int, default=0, help="seed of the first repeat; repeat r uses seed + r")
    p.add_argument("--repeats", type=int, default=3, help="train this many times; min and median us/step reported")
    p.add_argument("--threads", type=int, default=cores(), help="torch and OpenBLAS threads (default: all cores)")
    return p


def setup(threads):
    """Threads for torch and OpenBLAS, then one warm-up GEMM (single-thread OpenBLAS runs at
    a third of its speed in a fresh process until a larger GEMM has run)."""
    torch.set_num_threads(threads)
    blas_path, blas_threads = set_openblas_threads(threads)
    if blas_path is None:
        print("warning: no OpenBLAS in this process; torch falls back to the slow reference BLAS "
              "(install libopenblas0-pthread)", file=sys.stderr)
    a = torch.randn(256, 256)
    b = torch.randn(256, 512)
    t0 = time.perf_counter()
    torch.mm(a, b)
    warm_ms = (time.perf_counter() - t0) * 1e3
    return {
        "torch": torch.__version__,
        "threads": threads,
        "torch_threads": torch.get_num_threads(),
        "openblas": blas_path,
        "openblas_threads": blas_threads,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "warmup_gemm_ms": round(warm_ms, 3),
    }


def summarize(program, env, config, runs):
    """runs: list of dicts from one training each (first one is reported in full).
    Prints one JSON line on stdout."""
    us = [r["us_per_step"] for r in runs]
    first = runs[0]
    out = {
        "program": program,
        "framework": "pytorch",
        "env": env,
        "config": config,
        "repeats": len(runs),
        "loop_seconds": first["loop_seconds"],
        "loop_seconds_all": [r["loop_seconds"] for r in runs],
        "steps": first["steps"],
        "us_per_step": first["us_per_step"],
        "us_per_step_all": us,
        "us_per_step_min": min(us),
        "us_per_step_median": statistics.median(us),
        # CPU time of the main thread over the same loops: what the loops cost undisturbed
        # when the machine is loaded (it misses DataLoader worker processes and BLAS threads).
        "cpu_us_per_step_all": [r["cpu_us_per_step"] for r in runs],
        "cpu_us_per_step_min": min(r["cpu_us_per_step"] for r in runs),
        "w": first["w"],
        "b": first["b"],
        "losses": first["losses"],
    }
    for key in first:
        if key not in out and key not in ("loop_seconds", "steps", "us_per_step", "cpu_us_per_step"):
            out[key] = first[key]
    print(json.dumps(out))
    sys.stdout.flush()
