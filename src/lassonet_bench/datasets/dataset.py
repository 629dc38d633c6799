"""Prepared data sets: build from raw files, check against Table 1, subsample for smoke runs, save and load `.npz`."""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.model_selection import train_test_split

from lassonet_bench.io import atomic_path
from lassonet_bench.datasets.fetching import file_digest
from lassonet_bench.datasets.registry import get_spec

SUBSAMPLE_SEED = 0  # the smoke run's subsample is the same in every run


@dataclass(frozen=True)
class Dataset:
    X: np.ndarray  # float32 (n_samples, n_features)
    y: np.ndarray | None  # int64 labels 0..K-1, float32 for regression, None for none
    feature_names: np.ndarray  # str (n_features,)
    meta: dict = field(default_factory=dict)


def check_table1_shape(spec, X, y):
    """Raise a ValueError unless X and y have Table 1's shape and number of classes for `spec`."""
    expected = (spec.n_samples, spec.n_features)
    if X.shape != expected:
        raise ValueError(f"{spec.name}: expected X of shape {expected} (Table 1), got {X.shape}")
    if spec.n_classes is not None:
        classes = np.unique(y)
        if len(classes) != spec.n_classes or classes.min() != 0 or classes.max() != spec.n_classes - 1:
            raise ValueError(
                f"{spec.name}: expected labels 0..{spec.n_classes - 1} ({spec.n_classes} classes), "
                f"got {len(classes)} classes from {classes.min()} to {classes.max()}"
            )


def prepare(name, raw_dir, **options):
    """Read data set `name` from its fetched raw files in raw_dir, preprocess it as the authors did, and check
    the result against Table 1's shape before returning it as a Dataset.

    `options` go to the data set's build function: those its spec declares (`DatasetSpec.options`, e.g. Mice
    Protein's missing_fill, see sources.mice.preprocess_mice).
    """
    spec = get_spec(name)
    raw_dir = Path(raw_dir)
    try:
        X, y, feature_names, info = spec.build(raw_dir, **options)
    except TypeError as error:
        if options and "unexpected keyword argument" in str(error):
            raise ValueError(f"{name}: unknown preprocessing option among {sorted(options)} ({error})") from error
        raise
    check_table1_shape(spec, X, y)
    sources = [{"name": f.name, "sha256": file_digest(raw_dir / f.name)} for f in spec.files]
    meta = {
        "name": spec.name,
        "title": spec.title,
        "task": spec.task,
        "n_samples": int(X.shape[0]),
        "n_features": int(X.shape[1]),
        "n_classes": spec.n_classes,
        "preprocessing": spec.preprocessing,
        "source_files": sources,
        **info,
    }
    return Dataset(X.astype(np.float32), y, np.asarray(feature_names, dtype=str), meta)


def prepare_options(name, data_config):
    """The preprocessing options of data set `name` held in the workflow's `data` config section (its spec's)."""
    return get_spec(name).build_options(data_config)


def subsample(dataset, max_samples, seed=SUBSAMPLE_SEED):
    """At most `max_samples` rows, drawn at random (stratified for classification), in their original order.

    None, or a value at least the number of rows, returns `dataset` unchanged.
    """
    n_samples = len(dataset.X)
    if max_samples is None or max_samples >= n_samples:
        return dataset
    if isinstance(max_samples, bool) or not isinstance(max_samples, (int, np.integer)) or max_samples < 2:
        raise ValueError(f"data.max_samples must be null or an integer of at least 2, got {max_samples!r}")
    stratify = dataset.y if dataset.meta.get("task") == "classification" else None
    try:
        kept, _ = train_test_split(np.arange(n_samples), train_size=int(max_samples), stratify=stratify, random_state=seed)
    except ValueError as error:
        raise ValueError(f"{dataset.meta.get('name')}: cannot draw a stratified subsample of {max_samples} rows: {error}") from error
    kept = np.sort(kept)
    meta = dataset.meta | {"subsample": {"max_samples": int(max_samples), "seed": seed, "n_samples_full": n_samples}}
    meta["n_samples"] = int(len(kept))
    y = None if dataset.y is None else dataset.y[kept]
    return replace(dataset, X=dataset.X[kept], y=y, meta=meta)


def save_dataset(dataset, path):
    """Write `dataset` to an `.npz`: X, y (absent when None), feature_names, meta (a JSON string)."""
    arrays = {
        "X": np.asarray(dataset.X, dtype=np.float32),
        "feature_names": np.asarray(dataset.feature_names, dtype=str),
        "meta": np.asarray(json.dumps(dataset.meta)),
    }
    if dataset.y is not None:
        arrays["y"] = dataset.y
    with atomic_path(path) as tmp:
        np.savez_compressed(tmp, **arrays)


def load_dataset(path):
    """Read a Dataset written by `save_dataset`."""
    with np.load(path, allow_pickle=False) as content:
        missing = {"X", "feature_names", "meta"} - set(content.files)
        if missing:
            raise ValueError(f"{path}: not a prepared data set, lacks {sorted(missing)}")
        y = content["y"] if "y" in content.files else None
        return Dataset(content["X"], y, content["feature_names"], json.loads(str(content["meta"])))
