"""The critical-difference diagram of the selection methods across data sets (mean ranks joined where the Nemenyi
test finds no difference), drawn by scikit-posthocs in the one style."""

import re
import zlib

import matplotlib.pyplot as plt
from matplotlib.markers import MarkerStyle

from lassonet_bench.plots.style import FULL_WIDTH, figure_style, method_colour, method_style
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
        artists = scikit_posthocs.critical_difference_diagram(
            ranks, matrix, ax=ax, color_palette={titles[m]: method_colour(m) for m in mean_ranks.index})
        _restyle(artists, {str(titles[m]): m for m in mean_ranks.index})
        ax.set_title(f"Mean rank over {n_blocks} blocks (data set × learner); a bar joins methods the Nemenyi test "
                     "does not tell apart (α = 0.05)")
    return figure


# scikit-posthocs labels each method "<title> (<rank>)" on the left (right-aligned) and "(<rank>) <title>" on the
# right; a title may end in brackets of its own ("LassoNet (official)").
RANK_AFTER, RANK_BEFORE = re.compile(r" \([^()]*\)$"), re.compile(r"^\([^()]*\) ")


def _restyle(artists, methods_by_title):
    """Give each method's elbow and marker its line style and marker (method_style): scikit-posthocs takes colours
    only, and the palette's seven colours come round again after seven selectors. The labels are black: in the
    palette's yellow a title could hardly be read on white."""
    for elbow, marker, label in zip(artists["elbows"], artists["markers"], artists["labels"]):
        rank = RANK_AFTER if label.get_horizontalalignment() == "right" else RANK_BEFORE
        style = method_style(methods_by_title[rank.sub("", label.get_text())])
        label.set_color("black")
        elbow.set_linestyle(style["linestyle"])
        shape = MarkerStyle(style["marker"])
        marker.set_paths([shape.get_path().transformed(shape.get_transform())])


def plot_no_diagram(reason):
    """The diagram's place when the tests cannot run (a small run): a figure that says why."""
    with figure_style():
        figure, ax = plt.subplots(figsize=(FULL_WIDTH, 1.0), constrained_layout=True)
        ax.axis("off")
        ax.text(0.5, 0.5, reason, ha="center", va="center", wrap=True)
    return figure
