"""Cut the data layer's test fixtures from the real files of the offline mirror (run once; the output is committed).

    python tests/data/datasets/make_fixtures.py /path/to/shared/datasets

Every fixture keeps its real format: a slice of the Mice Protein CSV export (xlwt, needed to write an .xls, is not
a dependency, so the .xls parser is tested on the mirror's file instead), IDX .gz files holding the first images and
labels, real COIL-20 PNGs with their lines of SHA256SUMS, a MATLAB v5 slice of Isolet.mat, the head of
boston_house_prices.csv. Full ISOLET is not in the mirror: its fixture holds real ISOLET rows (those of Isolet.mat,
which UCI prints with 4 decimals) written in the layout of UCI's `.data` files. No Activity file exists anywhere
here: its fixture is synthetic, in the comma-separated layout of `final_X_*.txt` / `final_y_*.txt`.
"""

import gzip
import hashlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.io import loadmat, savemat

HERE = Path(__file__).parent


def cut_idx(source, target, n_items):
    """The header with the item count set to n_items, then the first n_items items: a valid IDX file."""
    content = gzip.open(source, "rb").read()
    n_dims = content[3]
    dims = np.frombuffer(content[4 : 4 + 4 * n_dims], dtype=">u4").copy()
    item_size = int(np.prod(dims[1:]))
    dims[0] = n_items
    body = content[4 + 4 * n_dims : 4 + 4 * n_dims + n_items * item_size]
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        out.write(content[:4] + dims.astype(">u4").tobytes() + body)


def cut_mice(source, target, rows_per_class=2):
    """Per class, the first rows with and without missing values, so the class-mean fill has values to use."""
    frame = pd.read_csv(source)
    incomplete = frame.isna().any(axis=1)
    parts = [frame[incomplete].groupby("class").head(rows_per_class), frame[~incomplete].groupby("class").head(rows_per_class)]
    pd.concat(parts).sort_index().to_csv(target, index=False)


def cut_coil(mirror, target_dir, objects=(1, 2), poses=(0, 1)):
    target_dir.mkdir(exist_ok=True)
    sums = dict(
        line.split("  ")[::-1] for line in (mirror / "coil20/coil-20-proc.SHA256SUMS").read_text().splitlines()
    )
    lines = []
    for obj in objects:
        for pose in poses:
            name = f"obj{obj}__{pose}.png"
            shutil.copyfile(mirror / "coil20/coil-20-proc" / name, target_dir / name)
            lines.append(f"{sums[name]}  {name}\n")
    (HERE / "coil-20-proc.SHA256SUMS").write_text("".join(lines))


def cut_isolet(mirror):
    content = loadmat(mirror / "isolet-partial-skfeature/Isolet.mat")
    rows = np.r_[0:3, 60:63]  # three utterances each of the letters A and B
    savemat(HERE / "Isolet.mat", {"X": content["X"][rows], "Y": content["Y"][rows]}, do_compression=True)
    with open(HERE / "isolet-rows.data", "w") as out:
        for x, label in zip(content["X"][rows], content["Y"][rows].ravel()):
            out.write(", ".join(f"{v:.4f}" for v in x) + f", {label}.\n")


def synthetic_activity():
    folder = HERE / "activity-synthetic"
    folder.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for part, n_rows in (("train", 4), ("test", 2)):
        X = rng.uniform(-1, 1, size=(n_rows, 561))
        np.savetxt(folder / f"final_X_{part}.txt", X, delimiter=",", fmt="%.8e")
        np.savetxt(folder / f"final_y_{part}.txt", rng.integers(1, 7, size=n_rows), fmt="%d")


def main(mirror):
    mirror = Path(mirror)
    cut_mice(mirror / "mice-protein/Data_Cortex_Nuclear.csv", HERE / "Data_Cortex_Nuclear.head.csv")
    cut_idx(mirror / "mnist/t10k-images-idx3-ubyte.gz", HERE / "mnist-t10k-images-idx3-ubyte.gz", 20)
    cut_idx(mirror / "mnist/t10k-labels-idx1-ubyte.gz", HERE / "mnist-t10k-labels-idx1-ubyte.gz", 20)
    cut_idx(mirror / "fashion-mnist/t10k-images-idx3-ubyte.gz", HERE / "fashion-t10k-images-idx3-ubyte.gz", 10)
    cut_idx(mirror / "fashion-mnist/t10k-labels-idx1-ubyte.gz", HERE / "fashion-t10k-labels-idx1-ubyte.gz", 10)
    cut_coil(mirror, HERE / "coil-20-proc")
    cut_isolet(mirror)
    lines = (mirror / "boston-housing/boston_house_prices.csv").read_text().splitlines(keepends=True)
    (HERE / "boston_house_prices.head.csv").write_text("".join(lines[:32]))
    synthetic_activity()
    for path in sorted(HERE.rglob("*")):
        if path.is_file() and path.suffix != ".py":
            print(f"{path.stat().st_size:>8}  {hashlib.sha256(path.read_bytes()).hexdigest()[:12]}  {path.relative_to(HERE)}")


if __name__ == "__main__":
    main(sys.argv[1])
