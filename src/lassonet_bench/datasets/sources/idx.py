"""MNIST and MNIST-Fashion (the Keras/Zalando IDX files): the 10,000 test images, flattened and scaled."""

import gzip
from pathlib import Path

import numpy as np

from lassonet_bench.datasets.sources.common import scale_globally_to_unit_interval

IDX_DTYPES = {0x08: np.uint8}  # MNIST and Fashion-MNIST only use unsigned bytes

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


def build(raw_dir):
    images = read_idx(Path(raw_dir) / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(Path(raw_dir) / "t10k-labels-idx1-ubyte.gz")
    return preprocess_idx_images(images, labels)
