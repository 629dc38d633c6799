"""The report side: every figure drawn from its tidy tables alone, in one style (`style`). Nothing here trains a
model or imports torch; each figure's plot function is named by its declaration (lassonet_bench.experiments.registry)."""

import numpy as np
import pandas as pd

from lassonet_bench.experiments.registry import figure, resolve
from lassonet_bench.plots.style import save_figure


def read_tables(paths):
    """{role: table} from {role: path}: a CSV as a DataFrame, an NPZ as a dict of arrays."""
    tables = {}
    for role, path in paths.items():
        path = str(path)
        if path.endswith(".csv"):
            tables[role] = pd.read_csv(path)
        elif path.endswith(".npz"):
            with np.load(path, allow_pickle=False) as content:
                tables[role] = {key: content[key] for key in content.files}
        else:
            raise ValueError(f"table {role!r}: {path} is neither .csv nor .npz")
    return tables


def draw_figure(name, tables, png_path, pdf_path):
    """Read the tables of figure `name` ({role: path}), draw it with its plot function, write PNG and PDF."""
    declared = figure(name)
    missing = sorted(set(declared.tables) - set(tables))
    if missing:
        raise ValueError(f"figure {name!r} needs the table(s) {missing}; given {sorted(tables)}")
    save_figure(resolve(declared.plot)(**read_tables(tables)), png_path, pdf_path)
