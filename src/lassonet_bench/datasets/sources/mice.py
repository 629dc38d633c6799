"""Mice Protein Expression (UCI): the sheet, the class-mean fill of missing values, the min-max scaling."""

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from lassonet_bench.datasets.sources.common import scale_columns_to_unit_interval

MICE_PROTEIN_COLUMNS = slice(1, 78)  # columns 2-78 (1-based) of the sheet: the 77 proteins

MICE_LABEL_COLUMN = "class"

def read_mice_table(path):
    """Read the Mice Protein sheet (`.xls`, the canonical UCI file, or its CSV export) as a DataFrame."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        with warnings.catch_warnings():
            # pandas 3 deprecates its xlrd engine in favour of calamine, which is not a dependency; xlrd is pinned.
            warnings.filterwarnings("ignore", message="The xlrd engine is deprecated")
            frame = pd.read_excel(path, engine="xlrd")
    elif path.suffix.lower() == ".csv":
        frame = pd.read_csv(path)
    else:
        raise ValueError(f"{path}: Mice Protein must be an .xls or .csv file, got suffix {path.suffix!r}")
    if MICE_LABEL_COLUMN not in frame.columns or frame.shape[1] != 82:
        raise ValueError(
            f"{path}: expected 82 columns ending in {MICE_LABEL_COLUMN!r} "
            f"(MouseID, 77 proteins, Genotype, Treatment, Behavior, class), got {frame.shape[1]}: "
            f"{list(frame.columns[:3])}..."
        )
    return frame

MICE_FILLS = ("class_mean", "authors_code")

AUTHORS_PLACEHOLDER = -100000.0  # the `filling_values` of the authors' np.genfromtxt call

def preprocess_mice(frame, missing_fill="class_mean"):
    """Mice Protein: the 77 proteins, missing values filled within the sample's class, columns min-max scaled;
    labels are the 8 `class` values in sorted order.

    missing_fill="class_mean" (default) fills with the mean of the protein's observed values in the class, as
    replication-notes.md describes. "authors_code" reproduces the authors' loop literally: it averages the class's
    column while the still-missing entries (the one being filled included) hold the -100000 placeholder, which
    gives large negative fills that the min-max scaling then squeezes the observed values against.
    """
    if missing_fill not in MICE_FILLS:
        raise ValueError(f"missing_fill must be one of {MICE_FILLS}, got {missing_fill!r}")
    proteins = frame.iloc[:, MICE_PROTEIN_COLUMNS]
    classes = frame[MICE_LABEL_COLUMN].astype(str)
    values = proteins.astype(np.float64)
    if missing_fill == "authors_code":
        filled = _fill_as_the_authors_code(values.to_numpy(), classes.to_numpy())
    else:
        filled = values.fillna(values.groupby(classes).transform("mean")).to_numpy()
    if np.isnan(filled).any():
        row, col = np.argwhere(np.isnan(filled))[0]
        raise ValueError(
            f"Mice Protein: protein {proteins.columns[col]!r} has no observed value in class {classes.iloc[row]!r}, "
            "so its missing values cannot be filled with the class mean"
        )
    class_names = sorted(classes.unique())
    y = np.searchsorted(class_names, classes.to_numpy()).astype(np.int64)
    X = scale_columns_to_unit_interval(filled).astype(np.float32)
    info = {"class_names": class_names, "n_missing_filled": int(values.isna().to_numpy().sum()), "missing_fill": missing_fill}
    return X, y, [str(c) for c in proteins.columns], info

def _fill_as_the_authors_code(values, classes):
    """The authors' fill, cell by cell in row-major order (their loop), vectorised within each cell only."""
    X = np.where(np.isnan(values), AUTHORS_PLACEHOLDER, values)
    for row, col in np.argwhere(np.isnan(values)):
        X[row, col] = X[classes == classes[row], col].mean()
    return X


def build(raw_dir, missing_fill="class_mean"):
    return preprocess_mice(read_mice_table(Path(raw_dir) / "Data_Cortex_Nuclear.xls"), missing_fill=missing_fill)
