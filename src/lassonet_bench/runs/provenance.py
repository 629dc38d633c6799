"""Provenance of a run: order-independent seeds and the versions, platform and commit it ran with.

Seeds: every random state is derived from (data set, method or learner, seed) by SHA-256 (`stable_seed`), so a
run gives the same numbers whatever ran before it in the process, and never touches global RNG state.
"""

import hashlib
import platform
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from lassonet_bench.runs.kernels import blas_kernel


def stable_seed(*parts):
    """A seed in [0, 2**32) from the parts' text, stable across processes and Python versions (unlike hash())."""
    text = "\x1f".join(str(part) for part in parts)
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "little")


def package_version(distribution):
    """Installed version of a distribution, or 'not installed'."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


@lru_cache(maxsize=1)
def git_commit():
    """HEAD of the repository holding this file, '-dirty' when tracked files outside the record differ from it;
    'unknown' outside git."""
    root = Path(__file__).resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
        # The record (replication/) is data the code writes: a changed record leaves the code at HEAD.
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", ":/", ":(exclude,top)replication"], cwd=root,
                               timeout=30).returncode != 0
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


def environment_record():
    return {
        "torch_version": package_version("torch"),
        "numpy_version": np.__version__,
        "sklearn_version": package_version("scikit-learn"),
        "python_version": platform.python_version(),
        "platform": platform.platform(),
        "blas_kernel": blas_kernel(),
        "git_commit": git_commit(),
    }
