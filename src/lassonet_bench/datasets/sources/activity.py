"""Human Activity Recognition (UCI's final_X/final_y text files): train and test parts, concatenated and scaled."""

from pathlib import Path

from lassonet_bench.datasets.sources.common import preprocess_labelled_rows, read_uci_rows


def build(raw_dir):
    raw_dir = Path(raw_dir)
    parts_X = [read_uci_rows(raw_dir / f"final_X_{part}.txt", 561) for part in ("train", "test")]
    parts_y = [read_uci_rows(raw_dir / f"final_y_{part}.txt", 1) for part in ("train", "test")]
    return preprocess_labelled_rows(parts_X, parts_y)
