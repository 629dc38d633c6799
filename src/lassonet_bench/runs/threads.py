"""Thread limits of a step: BLAS/OpenMP through threadpoolctl, torch's intra-op threads where torch is loaded."""

import sys
from contextlib import contextmanager, nullcontext

from threadpoolctl import threadpool_limits


@contextmanager
def limited_threads(n_threads):
    """BLAS/OpenMP and torch intra-op threads limited to n_threads for the block (None: leave as they are).

    torch's threads only where torch is loaded already: the jobs that train no network never import it.
    """
    blas = threadpool_limits(limits=n_threads) if n_threads is not None else nullcontext()
    if "torch" in sys.modules:
        from lassonet_bench.core.devices import torch_threads

        torch_part = torch_threads(n_threads)
    else:
        torch_part = nullcontext()
    with blas, torch_part:
        yield
