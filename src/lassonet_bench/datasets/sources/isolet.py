"""ISOLET (UCI's two .data files) and the 1560-row subset of scikit-feature's Isolet.mat."""

from pathlib import Path

import numpy as np

from lassonet_bench.datasets.sources.common import preprocess_labelled_rows, read_uci_rows

def read_isolet_mat(path):
    """Read scikit-feature's `Isolet.mat` (the 1560-row ISOLET subset): returns (X float64, labels 1..26)."""
    from scipy.io import loadmat

    path = Path(path)
    try:
        content = loadmat(path)
    except (ValueError, OSError) as error:
        raise ValueError(f"{path}: not a readable MATLAB file ({error})") from error
    for key in ("X", "Y"):
        if key not in content:
            raise ValueError(f"{path}: MATLAB file has no variable {key!r} (has {sorted(k for k in content if not k.startswith('__'))})")
    return np.asarray(content["X"], dtype=np.float64), np.asarray(content["Y"]).ravel().astype(np.int64)


def build(raw_dir):
    parts = [read_uci_rows(Path(raw_dir) / name, 618) for name in ("isolet1+2+3+4.data", "isolet5.data")]
    return preprocess_labelled_rows([p[:, :617] for p in parts], [p[:, 617] for p in parts])


def build_subset(raw_dir):
    X, labels = read_isolet_mat(Path(raw_dir) / "Isolet.mat")
    return preprocess_labelled_rows([X], [labels])
