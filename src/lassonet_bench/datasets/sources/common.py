"""What more than one source shares: min-max scaling (the authors' two kinds), UCI text rows, and labelled rows
read in parts (ISOLET, Activity)."""

from pathlib import Path

import numpy as np
from sklearn.preprocessing import MinMaxScaler

def scale_columns_to_unit_interval(X):
    """Min-max scale each column to [0, 1] over all rows (sklearn's MinMaxScaler, as the authors)."""
    return MinMaxScaler(feature_range=(0, 1)).fit_transform(np.asarray(X, dtype=np.float64))

def scale_globally_to_unit_interval(X):
    """Scale the whole matrix by its global min and max (the authors' treatment of images)."""
    X = np.asarray(X, dtype=np.float64)
    low, high = X.min(), X.max()
    if high == low:
        raise ValueError(f"cannot min-max scale a constant matrix (every value is {low})")
    return (X - low) / (high - low)

def read_uci_rows(path, n_columns):
    """Read a UCI comma-separated numeric text file (ISOLET `.data`, Activity `final_*.txt`) as a 2-D float array."""
    path = Path(path)
    try:
        values = np.loadtxt(path, delimiter=",", ndmin=2, encoding="utf-8")
    except ValueError as error:
        raise ValueError(f"{path}: not a comma-separated numeric UCI file ({error})") from error
    if values.shape[1] != n_columns:
        raise ValueError(f"{path}: expected {n_columns} columns per row, got {values.shape[1]}")
    return values

def preprocess_labelled_rows(parts_X, parts_labels, first_label=1):
    """ISOLET / Activity: concatenate the parts in order, min-max scale each column, shift labels to start at 0."""
    X = scale_columns_to_unit_interval(np.concatenate(parts_X)).astype(np.float32)
    labels = np.concatenate([np.asarray(p).ravel() for p in parts_labels])
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"class labels must be whole numbers, got for example {labels[labels != np.round(labels)][0]}")
    y = labels.astype(np.int64) - first_label
    names = [f"feature_{j + 1}" for j in range(X.shape[1])]
    return X, y, names, {"rows_per_part": [int(len(p)) for p in parts_X]}
