"""Beyond the paper: LassoNet for survival data (task="cox") against the Lasso-Cox and the official package.

compute_survival_comparison fits, on each seed's 70/10/20 split of a survival data set shipped with
scikit-survival, three paths (our LassoNet, scikit-survival's Lasso-Cox `CoxnetSurvivalAnalysis` with l1_ratio=1,
and the official package's `LassoNetCoxRegressor`) and returns tidy tables; lassonet_bench.plots.survival draws only from them.

Tables: `path` (one row per method, seed and path step: lambda, n_selected, validation and test C-index, seconds
of the whole path) and `curve` (one row per method, seed and k of the grid: the path step with the most features
≤ k and, among those, the least penalty: its n_selected and C-indices; k = "val_best": the best validation C-index).
"""

import logging
import time

import numpy as np
import pandas as pd
from sklearn.preprocessing import StandardScaler

from lassonet_bench.datasets.splits import make_split
from lassonet_bench.core.path import fit_path
from lassonet_bench.core.survival import check_survival_targets, harrell_c
from lassonet_bench.experiments.common import path_settings, predict

SURVIVAL_METHODS = ("lassonet", "lasso_cox", "lassonet_official")
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


def survival(figure, options, data, device):
    """The survival tables from its settings, on the data set scikit-survival ships (`data` is not used)."""
    X, y, _ = load_survival_dataset(options["dataset"])
    LOG.info("%s: %d rows, %d features, %d events", options["dataset"], *X.shape, int(y[:, 1].sum()))
    return compute_survival_comparison(X, y, options["seeds"], options["methods"], options["lassonet"],
                                       options["lasso_cox"], options["n_features_grid"], device=device)
