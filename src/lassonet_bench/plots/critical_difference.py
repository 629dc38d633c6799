"""The critical-difference diagram of the selection methods across data sets (mean ranks joined where the Nemenyi
test finds no difference), drawn by scikit-posthocs in the one style."""

import zlib

import matplotlib.pyplot as plt

from lassonet_bench.plots.style import FULL_WIDTH, figure_style, method_colour
from lassonet_bench.selectors import method_titles


class _Label(str):
    """A method title with a hash that is the same in every process. scikit-posthocs stacks the diagram's crossbars
    in the order of a set of labels, and a str's hash changes from process to process: with these labels the same
    tables give the same picture, byte for byte (the record's regeneration test)."""

    def __hash__(self):
        return zlib.crc32(self.encode())


def plot_critical_difference(mean_ranks, nemenyi_p, n_blocks):
    """`mean_ranks`: method -> mean rank; `nemenyi_p`: method x method p-values."""
    import scikit_posthocs

    titles = {method: _Label(title) for method, title in method_titles().items()}
    ranks = {titles[m]: r for m, r in mean_ranks.items()}
    matrix = nemenyi_p.rename(index=titles, columns=titles)
    with figure_style():
        figure, ax = plt.subplots(figsize=(FULL_WIDTH, 2.0), constrained_layout=True)
        scikit_posthocs.critical_difference_diagram(
            ranks, matrix, ax=ax, color_palette={titles[m]: method_colour(m) for m in mean_ranks.index})
        ax.set_title(f"Mean rank over {n_blocks} blocks (data set × learner); a bar joins methods the Nemenyi test "
                     "does not tell apart (α = 0.05)")
    return figure


def plot_no_diagram(reason):
    """The diagram's place when the tests cannot run (a small run): a figure that says why."""
    with figure_style():
        figure, ax = plt.subplots(figsize=(FULL_WIDTH, 1.0), constrained_layout=True)
        ax.axis("off")
        ax.text(0.5, 0.5, reason, ha="center", va="center", wrap=True)
    return figure
