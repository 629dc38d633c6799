"""The BLAS kernels of the workflow's jobs, pinned so that one commit gives the same numbers on any x86-64 CPU.

OpenBLAS picks its kernels by CPU when it is loaded: AVX-512 ("SkylakeX") where the CPU has it, AVX2 ("Haswell")
on most others, or whatever `OPENBLAS_CORETYPE` names. The two round differently, and the selectors built on
dense linear algebra (PFA's PCA and k-means, HSIC-Lasso's kernel matrices and LARS) flip near-ties: the record's
Mice Protein PFA seeds 0-4 and HSIC-Lasso seeds 0 and 4 select other features, or the same in another order,
under the other kernel (`python -m lassonet_bench.record check` under each setting). Pinning the AVX2 kernels,
which every x86-64 CPU of the last decade runs, makes the jobs machine-independent. torch's own kernels (MKL,
ATen) gave the same LassoNet paths and decoder accuracies under AVX-512 and AVX2 and are left to choose.

The variable must be set before numpy is first imported in a process, so it is set for the jobs (subprocesses of
Snakemake, which inherit the environment) by the workflow, not from inside a job.
"""

import os
import platform

PINNED_CORETYPE = "Haswell"
CORETYPE_VARIABLE = "OPENBLAS_CORETYPE"


def pinned_environment(environ=None):
    """`environ` (default: os.environ) with the workflow's BLAS kernels pinned (x86-64 only: the names are x86's)."""
    environ = dict(os.environ if environ is None else environ)
    if platform.machine().lower() in ("x86_64", "amd64"):
        environ[CORETYPE_VARIABLE] = PINNED_CORETYPE
    return environ


def pin_kernels():
    """Pin the kernels for this process's future subprocesses (the workflow's jobs)."""
    os.environ.update(pinned_environment())


def blas_kernel():
    """The kernel family OpenBLAS runs in this process ('SkylakeX', 'Haswell', ...), for a run's provenance."""
    import numpy  # noqa: F401  (threadpoolctl sees only the libraries already loaded)
    from threadpoolctl import threadpool_info

    kernels = sorted({str(info.get("architecture")) for info in threadpool_info() if info.get("internal_api") == "openblas"})
    return ",".join(kernels) or "none"
