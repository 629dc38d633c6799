"""Draw a paper figure from its tidy tables: the plot rules' single entry point."""

import pandas as pd

from .imputation import plot_figure10
from .path_figures import plot_figure4
from .style import save_figure


def _figure4(inputs):
    return plot_figure4(pd.read_csv(inputs["coefficients"]), pd.read_csv(inputs["errors"]))


def _figure10(inputs):
    return plot_figure10(pd.read_csv(inputs["trials"]), pd.read_csv(inputs["selection"]))


DRAWERS = {"figure4": _figure4, "figure10": _figure10}


def draw_figure(name, inputs, png_path, pdf_path):
    """Read the tables named in `inputs` (role -> path), draw figure `name`, write PNG and PDF."""
    if name not in DRAWERS:
        raise ValueError(f"no drawing for figure {name!r}; known: {sorted(DRAWERS)}")
    save_figure(DRAWERS[name](inputs), png_path, pdf_path)
