"""COIL-20 (the processed 128x128 PNGs): resized to 20x20 in the authors' order, scaled."""

from pathlib import Path

import numpy as np

from lassonet_bench.datasets.sources.common import scale_globally_to_unit_interval

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

def preprocess_coil(pixels, labels):
    """COIL-20: 20x20 resized images scaled by the global min and max; objects 1..20 become labels 0..19."""
    X = scale_globally_to_unit_interval(pixels).astype(np.float32)
    side = int(round(np.sqrt(X.shape[1])))
    names = [f"pixel_{row}_{col}" for row in range(side) for col in range(side)]
    return X, np.asarray(labels, dtype=np.int64) - 1, names, {}


def build(raw_dir):
    return preprocess_coil(*read_coil_images(Path(raw_dir)))
