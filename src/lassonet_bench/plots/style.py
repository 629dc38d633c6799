"""One visual style for every figure (the paper's and those beyond it): print-readable, colour-blind safe.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies) and each method keeps its
colour in every figure. Figures are written as PNG (for the report) and PDF (for print), both atomically.
"""

import contextlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

from lassonet_bench.io import atomic_path  # noqa: E402
from lassonet_bench.selectors import methods  # noqa: E402

OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "grey": "#7F7F7F",
    "black": "#000000",
}

# The same method is drawn in the same colour in every figure. The registered selectors (Figure 5's methods, in
# registration order) take the palette in this order, so a new selector gets a colour without an entry here. The
# palette has seven colours; each further round of seven selectors repeats them with its own marker and line style
# (method_style), so no two selectors look alike.
SELECTOR_PALETTE = tuple(OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion", "yellow"))
SELECTOR_ROUNDS = (("o", "-"), ("s", "--"), ("^", ":"), ("D", "-."))  # (marker, line style) per round of colours
# Methods of single figures that are not registered selectors; none shares a figure with a selector of its colour.
FIGURE_METHOD_COLOURS = {
    "lassonet_sparse_to_dense": OKABE_ITO["orange"],
    "lasso": OKABE_ITO["vermillion"],
    "soft_impute": OKABE_ITO["green"],
    "column_mean": OKABE_ITO["grey"],
    "lasso_cox": OKABE_ITO["vermillion"],  # the Lasso's colour: the linear ℓ1 model of its task
    "lassonet_official": OKABE_ITO["purple"],
}
ALL_FEATURES_COLOUR = OKABE_ITO["black"]  # the level every selection is measured against
METHOD_LABELS = {
    "lassonet": "LassoNet (dense → sparse)",
    "lassonet_sparse_to_dense": "LassoNet (sparse → dense)",
    "lasso": "Lasso (scikit-learn)",
    "soft_impute": "Soft-Impute",
    "column_mean": "Column mean",
}
TRUE_FEATURE_COLOUR = OKABE_ITO["blue"]
NOISE_FEATURE_COLOUR = OKABE_ITO["grey"]
SELECTED_PIXEL_COLOUR = OKABE_ITO["orange"]
FULL_WIDTH = 7.0  # inches: a printed page's text width, so 9-10 pt fonts stay 9-10 pt in print


def method_colour(method):
    """A registered selector's colour by its registration order, else the figure method's colour."""
    selectors = methods()
    if method in selectors:
        return SELECTOR_PALETTE[selectors.index(method) % len(SELECTOR_PALETTE)]
    if method not in FIGURE_METHOD_COLOURS:
        known = sorted(set(selectors) | set(FIGURE_METHOD_COLOURS))
        raise ValueError(f"no colour for method {method!r}; known: {known}")
    return FIGURE_METHOD_COLOURS[method]


def method_style(method):
    """A registered selector's line: {color, marker, linestyle}, distinct for every selector (see SELECTOR_ROUNDS)."""
    selectors = methods()
    if method not in selectors:
        return {"color": method_colour(method), "marker": "o", "linestyle": "-"}
    marker, linestyle = SELECTOR_ROUNDS[(selectors.index(method) // len(SELECTOR_PALETTE)) % len(SELECTOR_ROUNDS)]
    return {"color": method_colour(method), "marker": marker, "linestyle": linestyle}


@contextlib.contextmanager
def figure_style():
    """The one style: seaborn 'ticks' with light grid lines, fonts sized for print."""
    rc = {
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.5,
        "lines.linewidth": 1.5,
        "figure.dpi": 100,
        "pdf.fonttype": 42,  # embed TrueType fonts: text stays selectable and prints sharply
    }
    # From matplotlib's defaults, whatever the process set before (a library's plot module, a test): the same tables
    # give the same bytes in any process.
    with plt.rc_context():
        matplotlib.rcdefaults()
        with sns.axes_style("ticks"), plt.rc_context(rc):
            yield


# No creation date: the same figure gives the same bytes on every render (the record's regeneration test).
FIXED_METADATA = {"png": {}, "pdf": {"CreationDate": None}}
# Print quality for the PNGs (the PDFs are vector). Given to savefig itself: a figure is saved after its style's
# rc context has closed, where an rc savefig.dpi no longer holds (the PNGs came out at 100 dpi).
PNG_DPI = 300


def save_figure(figure, png_path, pdf_path):
    """Write `figure` to both paths atomically, then close it. Saved in the style too: savefig reads some settings
    (the PDF's font type among them) when it writes, not when the figure is drawn."""
    with figure_style():
        _save(figure, png_path, pdf_path)
    plt.close(figure)


def _save(figure, png_path, pdf_path):
    for path, fmt in ((png_path, "png"), (pdf_path, "pdf")):
        with atomic_path(path) as tmp:
            figure.savefig(tmp, format=fmt, bbox_inches="tight", metadata=FIXED_METADATA[fmt], dpi=PNG_DPI)
