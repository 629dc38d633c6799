"""The authors' preprocessing, one function per data set, on arrays already read from the raw files.

Each function returns (X, y, feature_names, info): X float32, y int64 labels 0..K-1 (float32 for regression),
feature_names a list of str, info a dict of facts worth keeping in the output's metadata.
Follows `experiments/data_utils.py` of the authors' code and ../shared/replication-notes.md.
"""

import numpy as np
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from lassonet_bench.datasets.parsers import MICE_LABEL_COLUMN, MICE_PROTEIN_COLUMNS

BOSTON_NOISE_SEED = 20210413  # fixed so that Figure 4's 13 noise columns are the same in every run


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


def preprocess_idx_images(images, labels):
    """MNIST / Fashion-MNIST: flatten 28x28 images to 784 pixels, scale by the global min and max (0 and 255)."""
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 3 or len(images) != len(labels):
        raise ValueError(f"expected images (n, rows, cols) and n labels, got {images.shape} and {labels.shape}")
    n_images, n_rows, n_cols = images.shape
    X = scale_globally_to_unit_interval(images.reshape(n_images, n_rows * n_cols)).astype(np.float32)
    names = [f"pixel_{row}_{col}" for row in range(n_rows) for col in range(n_cols)]
    return X, labels.astype(np.int64), names, {"pixel_min": int(images.min()), "pixel_max": int(images.max())}


def preprocess_labelled_rows(parts_X, parts_labels, first_label=1):
    """ISOLET / Activity: concatenate the parts in order, min-max scale each column, shift labels to start at 0."""
    X = scale_columns_to_unit_interval(np.concatenate(parts_X)).astype(np.float32)
    labels = np.concatenate([np.asarray(p).ravel() for p in parts_labels])
    if not np.all(labels == np.round(labels)):
        raise ValueError(f"class labels must be whole numbers, got for example {labels[labels != np.round(labels)][0]}")
    y = labels.astype(np.int64) - first_label
    names = [f"feature_{j + 1}" for j in range(X.shape[1])]
    return X, y, names, {"rows_per_part": [int(len(p)) for p in parts_X]}


def preprocess_coil(pixels, labels):
    """COIL-20: 20x20 resized images scaled by the global min and max; objects 1..20 become labels 0..19."""
    X = scale_globally_to_unit_interval(pixels).astype(np.float32)
    side = int(round(np.sqrt(X.shape[1])))
    names = [f"pixel_{row}_{col}" for row in range(side) for col in range(side)]
    return X, np.asarray(labels, dtype=np.int64) - 1, names, {}


def preprocess_boston(frame, noise_seed=BOSTON_NOISE_SEED):
    """Boston housing for Figure 4: the 13 features plus 13 standard-Gaussian noise columns (seeded), all 26
    standardised over the 506 rows as in the authors' example; y is MEDV, unscaled, as float32."""
    real = frame.iloc[:, :13].to_numpy(dtype=np.float64)
    noise = np.random.default_rng(noise_seed).standard_normal(real.shape)
    X = StandardScaler().fit_transform(np.hstack([real, noise])).astype(np.float32)
    y = frame["MEDV"].to_numpy(dtype=np.float32)
    names = [str(c) for c in frame.columns[:13]] + [f"noise_{j + 1}" for j in range(noise.shape[1])]
    return X, y, names, {"noise_seed": noise_seed, "n_true_features": 13, "noise_columns": names[13:]}
