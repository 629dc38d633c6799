"""Cost beside quality as a figure: each selection method's mean test accuracy against the CPU time and the peak
memory of its selection jobs (the report's table of `reporting.costs.method_costs`), both on log scales."""

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, NullFormatter

from lassonet_bench.plots.style import ALL_FEATURES_COLOUR, FULL_WIDTH, figure_style, method_style
from lassonet_bench.selectors import ALL_FEATURES, method_titles

# (column of method_costs' table, axis label): what each panel puts on its x axis
COST_AXES = (("median_select_cpu_s", "CPU seconds of a selection job (median)"),
             ("peak_select_mb", "peak memory of the selection jobs (MB)"))


def plot_cost_quality(table):
    """`table`: method_costs' table (index: method). All-Features, which selects nothing, is the level line."""
    titles = method_titles()
    selections = table.drop(index=ALL_FEATURES, errors="ignore")
    with figure_style():
        figure, axes = plt.subplots(1, len(COST_AXES), figsize=(FULL_WIDTH, 3.6), sharey=True,
                                    constrained_layout=True)
        for ax, (column, label) in zip(axes, COST_AXES):
            for method, row in selections.iterrows():
                style = method_style(method)
                ax.plot(row[column], row["mean_accuracy"], marker=style["marker"], color=style["color"],
                        linestyle="none", ms=7, label=titles[method])
            if ALL_FEATURES in table.index:
                ax.axhline(table.loc[ALL_FEATURES, "mean_accuracy"], color=ALL_FEATURES_COLOUR, linestyle="--",
                           linewidth=1, label=titles[ALL_FEATURES])
            ax.set_xscale("log")
            ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
            ax.xaxis.set_minor_formatter(NullFormatter())  # labelled minor ticks ran into each other
            ax.set_xlabel(label)
        axes[0].set_ylabel("mean test accuracy (both learners)")
        handles, labels = axes[0].get_legend_handles_labels()
        figure.legend(handles, labels, loc="outside lower center", ncol=min(len(labels), 4), frameon=False)
    return figure
