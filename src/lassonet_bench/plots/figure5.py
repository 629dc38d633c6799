"""Figure 5 drawn from the runs' summary (reporting.report.summarize): test accuracy against the number of selected
features, one panel per learner, mean ± std over the split seeds, All-Features as a level line."""

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from lassonet_bench.learners import learner_titles
from lassonet_bench.selectors import method_titles
from lassonet_bench.plots.style import ALL_FEATURES_COLOUR, FULL_WIDTH, figure_style, method_style


def plot_figure5(summary, dataset, methods, learners, title, note=""):
    """The figure for `dataset` from `summary` (mean, std, n per data set x method x k x learner); None: a figure
    that says why it is not drawn, `note`."""
    with figure_style():
        figure, axes = plt.subplots(1, len(learners), figsize=(FULL_WIDTH, 4.4), squeeze=False,
                                    constrained_layout=True)
        axes = axes[0]
        if dataset is None:
            for ax in axes:
                ax.axis("off")
            axes[0].text(0.5, 0.5, "Figure 5 not drawn:\n" + note, ha="center", va="center", wrap=True)
            figure.suptitle("Figure 5")
            return figure
        summary = summary[summary["dataset"] == dataset]
        for ax, learner in zip(axes, learners):
            _draw_panel(ax, summary[summary["learner"] == learner], methods)
            ax.set_title(f"{title}: {learner_titles().get(learner, learner)}")
        # One legend for both panels, below them: inside a panel, a dozen methods' entries hid their own curves
        handles, labels = axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4), frameon=False)
        n_seeds = ", ".join(str(int(n)) for n in sorted(summary["n"].unique()))
        figure.suptitle(f"Figure 5: {title}, mean ± std over {n_seeds} seed(s)" + (f"\n{note}" if note else ""))
    return figure


def _draw_panel(ax, part, methods):
    for method in methods:
        line = part[part["method"] == method].sort_values("k")
        if line.empty:
            continue
        std = line["std"].fillna(0.0)
        style = method_style(method)
        ax.plot(line["k"], line["mean"], ms=3, label=method_titles()[method], **style)
        ax.fill_between(line["k"], line["mean"] - std, line["mean"] + std, alpha=0.15, color=style["color"],
                        linewidth=0)
    level = part[part["method"] == "all"]
    if not level.empty:
        ax.axhline(level["mean"].iloc[0], color=ALL_FEATURES_COLOUR, linestyle="--", linewidth=1,
                   label=method_titles()["all"])
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # k is a count: no fractional ticks on a short grid
    ax.set_xlabel("number of selected features k")
    ax.set_ylabel("test accuracy")
