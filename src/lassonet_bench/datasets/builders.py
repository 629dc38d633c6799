"""How each data set is built from its raw files: build(raw_dir, **options) -> (X, y, feature_names, info).

`datasets.yaml` names one of these per data set (its `build`); a keyword argument with a default is a preprocessing
option the workflow can set (the entry's `options`).
"""

from pathlib import Path

from lassonet_bench.datasets import parsers, preprocess


def mice(raw_dir, missing_fill="class_mean"):
    frame = parsers.read_mice_table(Path(raw_dir) / "Data_Cortex_Nuclear.xls")
    return preprocess.preprocess_mice(frame, missing_fill=missing_fill)


def idx_test_images(raw_dir):
    images = parsers.read_idx(Path(raw_dir) / "t10k-images-idx3-ubyte.gz")
    labels = parsers.read_idx(Path(raw_dir) / "t10k-labels-idx1-ubyte.gz")
    return preprocess.preprocess_idx_images(images, labels)


def isolet(raw_dir):
    parts = [parsers.read_uci_rows(Path(raw_dir) / name, 618) for name in ("isolet1+2+3+4.data", "isolet5.data")]
    return preprocess.preprocess_labelled_rows([p[:, :617] for p in parts], [p[:, 617] for p in parts])


def isolet1560(raw_dir):
    X, labels = parsers.read_isolet_mat(Path(raw_dir) / "Isolet.mat")
    return preprocess.preprocess_labelled_rows([X], [labels])


def coil20(raw_dir):
    return preprocess.preprocess_coil(*parsers.read_coil_images(Path(raw_dir)))


def activity(raw_dir):
    raw_dir = Path(raw_dir)
    parts_X = [parsers.read_uci_rows(raw_dir / f"final_X_{part}.txt", 561) for part in ("train", "test")]
    parts_y = [parsers.read_uci_rows(raw_dir / f"final_y_{part}.txt", 1) for part in ("train", "test")]
    return preprocess.preprocess_labelled_rows(parts_X, parts_y)


def boston(raw_dir):
    return preprocess.preprocess_boston(parsers.read_boston_csv(Path(raw_dir) / "boston_house_prices.csv"))
