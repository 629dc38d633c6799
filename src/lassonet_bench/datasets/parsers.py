"""Readers for the raw formats the data sets come in: xls/csv, IDX .gz, PNG folders, UCI text rows, MATLAB .mat.

Each reader checks what it read (magic numbers, column counts, sizes) and raises a ValueError naming the file,
because fake copies of these files circulate (HTML pages saved under data names, truncated gz files).
"""

import gzip
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

MICE_PROTEIN_COLUMNS = slice(1, 78)  # columns 2-78 (1-based) of the sheet: the 77 proteins
MICE_LABEL_COLUMN = "class"
IDX_DTYPES = {0x08: np.uint8}  # MNIST and Fashion-MNIST only use unsigned bytes


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


def read_idx(path):
    """Read an IDX file (optionally gzipped) into an array of the shape its header declares.

    Hand-written because the format is a 4-byte magic, big-endian dimensions and raw bytes; no maintained
    library reads it without pulling in a deep-learning framework.
    """
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as handle:
            content = handle.read()
    except (OSError, EOFError) as error:
        raise ValueError(f"{path}: not a readable IDX{' .gz' if opener is gzip.open else ''} file ({error})") from error
    if len(content) < 4 or content[0] != 0 or content[1] != 0 or content[2] not in IDX_DTYPES:
        raise ValueError(f"{path}: bad IDX magic number {content[:4].hex()!r} (expected 0x0000 08 nn)")
    n_dims = content[3]
    header_size = 4 + 4 * n_dims
    shape = tuple(int(d) for d in np.frombuffer(content[4:header_size], dtype=">u4"))
    dtype = IDX_DTYPES[content[2]]
    expected_size = header_size + int(np.prod(shape)) * np.dtype(dtype).itemsize
    if len(content) != expected_size:
        raise ValueError(f"{path}: IDX header declares shape {shape} ({expected_size} bytes) but the file has {len(content)}")
    return np.frombuffer(content, dtype=dtype, offset=header_size).reshape(shape)


def coil_file_name(obj, pose):
    """File name of one COIL-20 processed image: object 1..20, pose 0..71."""
    return f"obj{obj}__{pose}.png"


def coil_file_names(n_objects=20, n_poses=72):
    """The COIL-20 processed images' file names in the authors' order (object, then pose)."""
    return [coil_file_name(obj, pose) for obj in range(1, n_objects + 1) for pose in range(n_poses)]


def read_coil_images(folder, n_objects=20, n_poses=72, size=(20, 20)):
    """Read the COIL-20 processed PNGs in the authors' order (object, then pose), each resized to `size`.

    Returns (pixels, labels): pixels float64 (n_objects * n_poses, size[0] * size[1]) in 0..255, labels 1..n_objects.
    The resize is PIL's `Image.resize(size)` with PIL's default filter for 8-bit grey images (bicubic since
    Pillow 7), named explicitly so that a change of default in a later Pillow cannot change the data silently.
    """
    from PIL import Image

    folder = Path(folder)
    rows, labels = [], []
    for obj in range(1, n_objects + 1):
        for pose in range(n_poses):
            path = folder / coil_file_name(obj, pose)
            with Image.open(path) as image:
                if image.mode != "L" or image.size != (128, 128):
                    raise ValueError(f"{path}: expected a 128x128 8-bit grey PNG, got mode {image.mode} size {image.size}")
                resized = image.resize(size, resample=Image.Resampling.BICUBIC)
            rows.append(np.asarray(resized, dtype=np.float64).ravel())
            labels.append(obj)
    return np.vstack(rows), np.asarray(labels, dtype=np.int64)


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


def read_boston_csv(path):
    """Read scikit-learn's `boston_house_prices.csv` (line 1 is `506,13`, line 2 the header) as a DataFrame."""
    path = Path(path)
    frame = pd.read_csv(path, skiprows=1)
    if frame.shape[1] != 14 or frame.columns[-1] != "MEDV":
        raise ValueError(f"{path}: expected 13 features and MEDV after the first line, got columns {list(frame.columns)}")
    return frame
