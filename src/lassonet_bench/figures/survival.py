"""Beyond the paper: LassoNet for survival data (task="cox") against the Lasso-Cox and the official package.

compute_survival_comparison fits, on each seed's 70/10/20 split of a survival data set shipped with
scikit-survival, three paths (our LassoNet, scikit-survival's Lasso-Cox `CoxnetSurvivalAnalysis` with l1_ratio=1,
and the official package's `LassoNetCoxRegressor`) and writes tidy tables; plot_survival draws only from them.

Tables: `path` (one row per method, seed and path step: lambda, n_selected, validation and test C-index, seconds
of the whole path) and `curve` (one row per method, seed and k of the grid: the path step with the most features
≤ k and, among those, the least penalty: its n_selected and C-indices; k = "val_best": the best validation C-index).
"""

import logging
import time

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from ..datasets.splits import make_split
from ..path import fit_path
from ..survival import check_survival_targets, harrell_c
from .common import path_settings, predict

SURVIVAL_METHODS = ("lassonet", "lasso_cox", "lassonet_official")
SURVIVAL_LABELS = {
    "lassonet": "LassoNet (ours, task=\"cox\")",
    "lasso_cox": "Lasso-Cox (scikit-survival)",
    "lassonet_official": "LassoNet (official package)",
}
SURVIVAL_DATASETS = ("breast_cancer",)
LOG = logging.getLogger(__name__)


def load_survival_dataset(name):
    """(X float64 with categorical columns one-hot encoded, y (n, 2) of (time, event), feature names).

    breast_cancer: scikit-survival's bundled copy of GEO GSE7390 (Desmedt et al., Clin. Cancer Res. 2007): 198
    node-negative breast cancer patients, 76 gene-expression probes plus age, tumour size, oestrogen receptor and
    grade; the event is distant metastasis (51 events).
    """
    if name not in SURVIVAL_DATASETS:
        raise ValueError(f"no survival data set named {name!r}; known: {list(SURVIVAL_DATASETS)}")
    from sksurv.column import encode_categorical
    from sksurv.datasets import load_breast_cancer

    features, outcome = load_breast_cancer()
    features = encode_categorical(features)
    event_field, time_field = outcome.dtype.names
    y = check_survival_targets(np.column_stack([outcome[time_field], outcome[event_field]]), name=name)
    return features.to_numpy(dtype=np.float64), y, list(features.columns)


def compute_survival_comparison(X, y, seeds, methods, lassonet_options, lasso_cox_options, k_grid, device="cpu"):
    """Fit every method on every seed's split; returns {"path": DataFrame, "curve": DataFrame}.

    The splits are the shared scheme's (`make_split`, stratified on the event indicator so that every part has
    events); features are standardised with the training rows' mean and standard deviation.
    """
    unknown = set(methods) - set(SURVIVAL_METHODS)
    if unknown:
        raise ValueError(f"unknown survival method(s) {sorted(unknown)}; known: {list(SURVIVAL_METHODS)}")
    y = check_survival_targets(y, len(X))
    fitters = {"lassonet": _lassonet_path, "lasso_cox": _lasso_cox_path, "lassonet_official": _official_path}
    options = {"lassonet": lassonet_options, "lasso_cox": lasso_cox_options, "lassonet_official": lassonet_options}
    tables = []
    for seed in seeds:
        split = make_split(y[:, 1], seed, stratify=True)
        scaler = StandardScaler().fit(X[split["train"]])
        parts = {part: (scaler.transform(X[rows]), y[rows]) for part, rows in split.items()}
        for method in methods:
            started = time.perf_counter()
            table = fitters[method](parts, options[method], seed, device)
            table.insert(0, "seed", seed)
            table.insert(0, "method", method)
            table["seconds"] = time.perf_counter() - started
            LOG.info("seed %d, %s: %d path steps in %.1f s", seed, method, len(table), table["seconds"].iloc[0])
            tables.append(table)
    path = pd.concat(tables, ignore_index=True)
    return {"path": path, "curve": best_per_size(path, k_grid)}


def _scores(risk_by_part, parts):
    return {f"{part}_cindex": harrell_c(risk_by_part[part], *parts[part][1].T) for part in ("val", "test")}


def _lassonet_path(parts, options, seed, device):
    rows = []

    def score_step(record, model):
        risk = {part: predict(model, parts[part][0])[:, 0] for part in ("val", "test")}
        rows.append(dict(step=record["step"], **{"lambda": record["lambda_"]}, n_selected=record["n_selected"],
                         **_scores(risk, parts)))

    fit_path(*parts["train"], *parts["val"], task="cox", hidden_dims=tuple(options["hidden_dims"]),
             settings=path_settings(options["path"], "survival.lassonet.path"), device=device, seed=seed,
             callback=score_step)
    return pd.DataFrame(rows)


def _lasso_cox_path(parts, options, seed, device):
    from sksurv.linear_model import CoxnetSurvivalAnalysis
    from sksurv.util import Surv

    X_train, y_train = parts["train"]
    model = CoxnetSurvivalAnalysis(l1_ratio=1.0, **options).fit(
        X_train, Surv.from_arrays(y_train[:, 1].astype(bool), y_train[:, 0])
    )
    rows = []
    for step, alpha in enumerate(model.alphas_):
        risk = {part: parts[part][0] @ model.coef_[:, step] for part in ("val", "test")}
        rows.append(dict(step=step, **{"lambda": alpha}, n_selected=int((model.coef_[:, step] != 0).sum()),
                         **_scores(risk, parts)))
    return pd.DataFrame(rows)


def _official_path(parts, options, seed, device):
    """The official package's LassoNetCoxRegressor with the same network, path and stopping settings as ours."""
    from lassonet import LassoNetCoxRegressor

    path = options["path"]
    model = LassoNetCoxRegressor(
        tie_approximation="efron",
        hidden_dims=tuple(options["hidden_dims"]),
        M=path.get("M", 10.0),
        path_multiplier=path["path_multiplier"],
        n_iters=tuple(path["n_epochs"]),
        patience=tuple(path["patience"]),
        batch_size=None,  # the official Cox regressor refuses mini-batches
        device="cpu" if device == "auto" else device,
        verbose=0,
        random_state=seed,
        torch_seed=seed,
    )
    history = model.path(*parts["train"], X_val=parts["val"][0], y_val=parts["val"][1], return_state_dicts=True)
    rows = []
    for step, item in enumerate(history):
        model.load(item.state_dict)
        risk = {part: model.predict(parts[part][0])[:, 0] for part in ("val", "test")}
        rows.append(dict(step=step, **{"lambda": item.lambda_}, n_selected=int(item.selected.sum()),
                         **_scores(risk, parts)))
    return pd.DataFrame(rows)


def best_per_size(path, k_grid):
    """Per method, seed and k of the grid: the least-penalised step among those with the most features ≤ k (one
    model per size, as a user reading the path would pick it), plus k="val_best": the step with the best
    validation C-index, any size (a validation set of ~20 rows makes that choice noisy)."""
    rows = []
    for (method, seed), steps in path.groupby(["method", "seed"], sort=False):
        steps = steps[steps["n_selected"] > 0]
        for k in k_grid:
            allowed = steps[steps["n_selected"] <= k]
            if allowed.empty:
                continue
            largest = allowed[allowed["n_selected"] == allowed["n_selected"].max()]
            rows.append(_curve_row(method, seed, k, largest.loc[largest["lambda"].idxmin()]))
        scored = steps[steps["val_cindex"].notna()]
        if len(scored):
            rows.append(_curve_row(method, seed, "val_best", scored.loc[scored["val_cindex"].idxmax()]))
    return pd.DataFrame(rows)


def _curve_row(method, seed, k, step):
    return dict(method=method, seed=seed, k=str(k), n_selected=int(step["n_selected"]),
                val_cindex=step["val_cindex"], test_cindex=step["test_cindex"])


def survival_summary(curve):
    """Mean ± std over seeds of the test C-index and mean number of features, per method and k."""
    summary = curve.groupby(["method", "k"], sort=False).agg(
        test_cindex_mean=("test_cindex", "mean"), test_cindex_std=("test_cindex", "std"),
        n_selected_mean=("n_selected", "mean"), n_seeds=("seed", "nunique"),
    )
    return summary.reset_index()


def plot_survival(curve):
    """Test C-index (mean ± std over seeds) against the mean number of selected features, one line per method."""
    import matplotlib.pyplot as plt

    from .style import FULL_WIDTH, figure_style, method_colour

    summary = survival_summary(curve[curve["k"] != "val_best"])
    with figure_style():
        figure, ax = plt.subplots(figsize=(FULL_WIDTH * 0.6, 3.0), constrained_layout=True)
        for index, method in enumerate(m for m in SURVIVAL_METHODS if m in set(summary["method"])):
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
    methods = [m for m in SURVIVAL_METHODS if m in set(summary["method"])]
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


def survival_report_section(data_dir, figures_dir_name, heading_level=2):
    """Markdown for the report: what was compared, the table, the figure, and who wins."""
    from pathlib import Path

    curve = pd.read_csv(Path(data_dir) / "survival_curve.csv", dtype={"k": str})
    path = pd.read_csv(Path(data_dir) / "survival_path.csv")
    seconds = path.drop_duplicates(["method", "seed"]).groupby("method")["seconds"].mean()
    hashes = "#" * heading_level
    timing = ", ".join(f"{SHORT_LABELS[m]} {seconds[m]:.0f} s" for m in SURVIVAL_METHODS if m in seconds.index)
    return "\n".join([
        f"{hashes} Beyond the paper: LassoNet for survival data (Cox)\n",
        "*Beyond the paper.* The talk slides name the Cox model as an application of LassoNet; the paper has no "
        "experiment. On scikit-survival's bundled breast cancer data (GEO GSE7390: 198 patients, 76 genes and 4 "
        "clinical covariates, 82 columns after one-hot encoding, 51 distant metastases), on the shared 70/10/20 "
        f"splits stratified on the event ({curve['seed'].nunique()} seeds): our LassoNet (task=\"cox\", Efron ties), "
        "scikit-survival's Lasso-Cox (CoxnetSurvivalAnalysis, l1_ratio = 1) and the official package's "
        "LassoNetCoxRegressor with our network and path settings. Each cell is the test C-index (Harrell), mean ± "
        "std over seeds, of the least-penalised path step with the most features ≤ k (mean number of features in "
        f"brackets). Mean wall-clock time per path in this run: {timing}.\n",
        survival_table_markdown(curve) + "\n",
        f"*Who wins.* {who_wins(curve)} The test parts hold 40 patients and about 10 events, so one seed's "
        "C-index moves by several hundredths with a single pair of patients.\n",
        f"![Beyond the paper: survival]({figures_dir_name}/survival.png) ([PDF]({figures_dir_name}/survival.pdf))\n",
    ])
