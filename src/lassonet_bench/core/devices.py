"""Where torch runs and with how many threads: shared by the LassoNet core, the learners and the runner."""

import contextlib
import numbers

import torch


def resolve_device(device="auto"):
    """'auto' -> CUDA when available, else CPU; anything else is passed to torch.device (and checked)."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    resolved = torch.device(device)
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was asked for, but CUDA is not available")
    return resolved


@contextlib.contextmanager
def torch_threads(n_threads):
    """Run the block with torch limited to `n_threads` intra-op threads (None: unchanged), then restore.

    Small networks gain nothing from several threads and lose a lot when the cores are busy (measured on a loaded
    2-core machine: 0.5 ms per Adam step with 1 thread, 3.2 ms with 2), so the runner defaults to one.
    """
    previous = torch.get_num_threads()
    if n_threads is not None:
        if isinstance(n_threads, bool) or not isinstance(n_threads, numbers.Integral) or n_threads < 1:
            raise ValueError(f"n_threads must be a positive integer, got {n_threads!r}")
        torch.set_num_threads(int(n_threads))
    try:
        yield
    finally:
        torch.set_num_threads(previous)
