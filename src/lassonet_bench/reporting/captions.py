"""Where the HTML report's figures go: their category and the caption fragments the workflow writes for them.
Light on purpose (no plotting library): the workflow's rule files import it when they are parsed."""

from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.experiments.settings import figures_to_draw

# Where the caption fragments lie: workflow/report/figure.rst names a figure's as <this folder>/<figure>.html.
CAPTIONS_DIR = "results/report/captions"
PAPER_CATEGORY = "Paper figures"
BEYOND_CATEGORY = "Beyond the paper"


def figure_category(name):
    """The report category of a figure: the paper's (Figure 5 and the registry's figures) or beyond it."""
    if name == "figure5":
        return PAPER_CATEGORY
    if name not in FIGURES:
        raise ValueError(f"no figure named {name!r}; known: figure5, {', '.join(FIGURES)}")
    return BEYOND_CATEGORY if FIGURES[name].beyond_the_paper else PAPER_CATEGORY


def figure_caption_targets(config):
    """The caption fragments of Figure 5 and of every figure figures.draw asks for."""
    return [f"{CAPTIONS_DIR}/{name}.html" for name in ["figure5", *figures_to_draw(config)]]
