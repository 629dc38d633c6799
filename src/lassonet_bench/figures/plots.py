"""Draw a figure (the paper's, or conv_filters beyond it) from its tidy tables: the plot rules' single entry point."""

import numpy as np
import pandas as pd

from .conv_filters import plot_conv_filters
from .imputation import plot_figure10
from .path_figures import plot_figure4
from .survival import plot_survival
from .supervised_paths import plot_figure1, plot_figure2
from .unsupervised import plot_digit_pixels, plot_figure6
from .style import save_figure


def _figure4(inputs):
    return plot_figure4(pd.read_csv(inputs["coefficients"]), pd.read_csv(inputs["errors"]))


def _figure10(inputs):
    return plot_figure10(pd.read_csv(inputs["trials"]), pd.read_csv(inputs["selection"]))


def _npz(path):
    with np.load(path, allow_pickle=False) as content:
        return {key: content[key] for key in content.files}


def _figure6(inputs):
    return plot_figure6(_npz(inputs["images"]), pd.read_csv(inputs["path"]))


def _digit_figure(inputs):
    return plot_digit_pixels(_npz(inputs["pixels"]))


def _figure1(inputs):
    return plot_figure1(pd.read_csv(inputs["path"]))


def _figure2(inputs):
    return plot_figure2(pd.read_csv(inputs["path"]), _npz(inputs["pixels"]))


def _conv_filters(inputs):
    return plot_conv_filters(pd.read_csv(inputs["accuracy"]), _npz(inputs["filters"]))
def _survival(inputs):
    return plot_survival(pd.read_csv(inputs["curve"], dtype={"k": str}))


DRAWERS = {
    "figure1": _figure1,
    "figure2": _figure2,
    "figure4": _figure4,
    "figure6": _figure6,
    "figure7": _digit_figure,
    "figure8": _digit_figure,
    "figure9": _digit_figure,
    "figure10": _figure10,
    "conv_filters": _conv_filters,
    "survival": _survival,
}


def draw_figure(name, inputs, png_path, pdf_path):
    """Read the tables named in `inputs` (role -> path), draw figure `name`, write PNG and PDF."""
    if name not in DRAWERS:
        raise ValueError(f"no drawing for figure {name!r}; known: {sorted(DRAWERS)}")
    save_figure(DRAWERS[name](inputs), png_path, pdf_path)
