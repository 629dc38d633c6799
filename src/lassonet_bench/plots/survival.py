"""Beyond the paper, drawn from its tidy tables (lassonet_bench.experiments.survival): Cox LassoNet against the
Lasso-Cox and the official package, by number of selected features."""

import matplotlib.pyplot as plt

from lassonet_bench.plots.style import FULL_WIDTH, figure_style, method_colour


SURVIVAL_LABELS = {
    "lassonet": "LassoNet (ours, task=\"cox\")",
    "lasso_cox": "Lasso-Cox (scikit-survival)",
    "lassonet_official": "LassoNet (official package)",
}


def survival_summary(curve):
    """Mean ± std over seeds of the test C-index and mean number of features, per method and k."""
    summary = curve.groupby(["method", "k"], sort=False).agg(
        test_cindex_mean=("test_cindex", "mean"), test_cindex_std=("test_cindex", "std"),
        n_selected_mean=("n_selected", "mean"), n_seeds=("seed", "nunique"),
    )
    return summary.reset_index()


def plot_survival(path, curve):
    """Test C-index (mean ± std over seeds) against the mean number of selected features, one line per method
    (from `curve`; `path`, every step of every path, is not drawn)."""
    curve = curve.astype({"k": str})
    summary = survival_summary(curve[curve["k"] != "val_best"])
    with figure_style():
        figure, ax = plt.subplots(figsize=(FULL_WIDTH * 0.6, 3.0), constrained_layout=True)
        for index, method in enumerate(m for m in SURVIVAL_LABELS if m in set(summary["method"])):
            line = summary[summary["method"] == method].sort_values("n_selected_mean")
            dodge = 1.04 ** (index - 1)  # side by side, so that the error bars do not hide each other
            ax.errorbar(line["n_selected_mean"] * dodge, line["test_cindex_mean"],
                        yerr=line["test_cindex_std"].fillna(0), marker="o", ms=3, capsize=2,
                        color=method_colour(method), label=SURVIVAL_LABELS[method])
        ax.axhline(0.5, color="black", linestyle=":", linewidth=1)
        ax.set_xscale("log")
        ax.set_xlabel("number of selected features (mean over seeds)")
        ax.set_ylabel("test C-index (Harrell)")
        ax.set_title(f"Beyond the paper: survival, {curve['seed'].nunique()} seeds")
        ax.legend(loc="upper left", frameon=False)
    return figure


def survival_table_markdown(curve):
    """The report's table: test C-index mean ± std (mean number of features) per method (columns) and k (rows)."""
    summary = survival_summary(curve)
    methods = [m for m in SURVIVAL_LABELS if m in set(summary["method"])]
    lines = ["| at most k features | " + " | ".join(SURVIVAL_LABELS[m] for m in methods) + " |",
             "|---" * (len(methods) + 1) + "|"]
    for k in summary["k"].drop_duplicates():
        cells = []
        for method in methods:
            row = summary[(summary["method"] == method) & (summary["k"] == k)]
            cells.append("–" if row.empty else f"{row['test_cindex_mean'].iloc[0]:.3f} ± "
                         f"{row['test_cindex_std'].iloc[0]:.3f} ({row['n_selected_mean'].iloc[0]:.1f})")
        label = "chosen on validation" if k == "val_best" else k
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


SHORT_LABELS = {"lassonet": "ours", "lasso_cox": "Lasso-Cox", "lassonet_official": "official"}


def who_wins(curve):
    """Sentences from the numbers: the best mean test C-index per k, and whether it beats the runner-up by more
    than the larger of their standard deviations over seeds."""
    summary = survival_summary(curve)
    leaders, clear = [], []
    for k, rows in summary.groupby("k", sort=False):
        rows = rows.sort_values("test_cindex_mean", ascending=False)
        label = "validation's choice" if k == "val_best" else f"k ≤ {k}"
        best = rows.iloc[0]
        leaders.append(f"{label} {SHORT_LABELS[best['method']]} ({best['test_cindex_mean']:.3f})")
        if len(rows) > 1:
            second = rows.iloc[1]
            if best["test_cindex_mean"] - second["test_cindex_mean"] > max(best["test_cindex_std"],
                                                                           second["test_cindex_std"]):
                clear.append(f"{SURVIVAL_LABELS[best['method']]} at {label}")
    verdict = (
        f"A lead of more than one standard deviation over seeds for: {'; '.join(clear)}."
        if clear
        else "No method wins clearly: at every size the best mean is within one standard deviation (over seeds) of "
        "the runner-up's."
    )
    return f"Highest mean test C-index: {', '.join(leaders)}. {verdict}"


def survival_numbers(path, curve):
    """The report's numbers: seeds and time per path, the table of test C-indices, and who wins."""
    curve = curve.astype({"k": str})
    seconds = path.drop_duplicates(["method", "seed"]).groupby("method")["seconds"].mean()
    timing = ", ".join(f"{SHORT_LABELS[m]} {seconds[m]:.0f} s" for m in SURVIVAL_LABELS if m in seconds.index)
    return "\n\n".join([
        f"{curve['seed'].nunique()} seeds. Each cell is the test C-index (Harrell), mean ± std over seeds, of the "
        "least-penalised path step with the most features ≤ k (mean number of features in brackets). Mean "
        f"wall-clock time per path in this run: {timing}.",
        survival_table_markdown(curve),
        f"*Who wins.* {who_wins(curve)} The test parts hold 40 patients and about 10 events, so one seed's "
        "C-index moves by several hundredths with a single pair of patients.",
    ])
