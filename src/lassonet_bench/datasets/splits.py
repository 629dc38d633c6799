"""Train / validation / test splits (70 / 10 / 20), derived from the seed alone, shared by every method."""

from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from lassonet_bench.io import atomic_path

SPLIT_FRACTIONS = {"train": 0.7, "val": 0.1, "test": 0.2}
SPLIT_KEYS = ("train", "val", "test")


def split_sizes(n_samples):
    """(n_train, n_val, n_test) with n_val and n_test rounded to the nearest row and the rest for training."""
    n_test = int(round(SPLIT_FRACTIONS["test"] * n_samples))
    n_val = int(round(SPLIT_FRACTIONS["val"] * n_samples))
    return n_samples - n_val - n_test, n_val, n_test


def make_split(y, seed, stratify):
    """Indices {"train", "val", "test"} (int64) of a random 70/10/20 split of the len(y) rows.

    The same (y, seed, stratify) always give the same split. With stratify, each part keeps the class
    proportions of y (scikit-learn's stratified shuffle split, test part first, then validation).
    """
    y = np.asarray(y)
    n_train, n_val, n_test = split_sizes(len(y))
    if min(n_train, n_val, n_test) < 1:
        raise ValueError(f"cannot split {len(y)} rows 70/10/20: sizes would be {(n_train, n_val, n_test)}")
    rows = np.arange(len(y))
    labels = y if stratify else None
    try:
        rest, test = train_test_split(rows, test_size=n_test, stratify=labels, random_state=seed)
        train, val = train_test_split(rest, test_size=n_val, stratify=None if labels is None else y[rest], random_state=seed)
    except ValueError as error:
        raise ValueError(
            f"cannot split {len(y)} rows with {len(np.unique(y))} classes stratified 70/10/20 "
            f"(sizes {(n_train, n_val, n_test)}): {error}. Each part needs a row of every class: "
            f"a subsample (data.max_samples) needs at least 10 rows per class"
        ) from error
    return {"train": train.astype(np.int64), "val": val.astype(np.int64), "test": test.astype(np.int64)}


def save_split(split, path, seed=None):
    with atomic_path(path) as tmp:
        extra = {} if seed is None else {"seed": np.int64(seed)}
        np.savez(tmp, **{key: np.asarray(split[key], dtype=np.int64) for key in SPLIT_KEYS}, **extra)


def load_split(path):
    """{"train", "val", "test"}: int64 index arrays, checked to be disjoint."""
    with np.load(Path(path), allow_pickle=False) as content:
        missing = set(SPLIT_KEYS) - set(content.files)
        if missing:
            raise ValueError(f"{path}: not a split file, lacks {sorted(missing)}")
        split = {key: content[key] for key in SPLIT_KEYS}
    together = np.concatenate(list(split.values()))
    if len(np.unique(together)) != len(together):
        raise ValueError(f"{path}: train, val and test indices overlap")
    return split
