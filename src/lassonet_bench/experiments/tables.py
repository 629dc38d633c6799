"""Table transformations that both an experiment and its figure's drawing read (pandas only, no torch)."""

import pandas as pd


def best_per_count(accuracy, method):
    """For each number of filters, the row of `method` with the best validation accuracy (path steps included)."""
    rows = accuracy[(accuracy["method"] == method) & (accuracy["n_filters"] > 0)]
    return rows.loc[rows.groupby("n_filters")["val_accuracy"].idxmax()].sort_values("n_filters")


def lassonet_against_pruning(accuracy):
    """Test accuracies by filter count (per method its best validated model) at the counts where all three have one:
    the path's network, the path's network fine-tuned, and magnitude pruning."""
    methods = ("lassonet", "lassonet_fine_tuned", "magnitude_pruning")
    columns = {m: best_per_count(accuracy, m).set_index("n_filters")["test_accuracy"] for m in methods}
    return pd.concat(columns, axis=1, join="inner").reset_index()
