"""The data layer: the paper's data sets fetched (offline mirror first), verified, preprocessed and split.

    fetch("mice", "results/raw/mice", mirror)   # -> raw file paths, or DatasetUnavailable
    ds = prepare("mice", "results/raw/mice")    # -> Dataset(X, y, feature_names, meta), Table 1's shape
    split = make_split(ds.y, seed=0, stratify=True)
"""

from lassonet_bench.datasets.dataset import Dataset, check_table1_shape, load_dataset, prepare, prepare_options, save_dataset, subsample
from lassonet_bench.datasets.fetching import (
    MIRROR_ENV,
    ChecksumMismatch,
    DatasetUnavailable,
    fetch,
    fetch_report,
    mirror_label,
    read_fetch_report,
    resolve_mirror,
    write_fetch_report,
)
from lassonet_bench.datasets.registry import PAPER_DATASETS, REGISTRY, DatasetOption, DatasetSpec, RawFile, get_spec, register
from lassonet_bench.datasets.splits import load_split, make_split, save_split, split_sizes

__all__ = [
    "MIRROR_ENV",
    "PAPER_DATASETS",
    "REGISTRY",
    "ChecksumMismatch",
    "Dataset",
    "DatasetOption",
    "DatasetSpec",
    "DatasetUnavailable",
    "RawFile",
    "check_table1_shape",
    "fetch",
    "fetch_report",
    "mirror_label",
    "get_spec",
    "load_dataset",
    "load_split",
    "make_split",
    "prepare",
    "prepare_options",
    "register",
    "read_fetch_report",
    "resolve_mirror",
    "save_dataset",
    "save_split",
    "split_sizes",
    "subsample",
    "write_fetch_report",
]
