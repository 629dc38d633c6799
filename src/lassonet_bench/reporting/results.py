"""The numbers behind every report: the paper's published cells, our runs' summaries per cell, their intervals
and the comparison of the two; Figure 5's choice of data set.

`runs` is `results/runs.csv` (one row per data set x method x k x seed x learner, column `accuracy` = test
accuracy); `availability` maps each data set to its fetch status (`{"available": bool, "reason": str}`, the data
layer's fetch.json); `titles` maps data set names to the paper's names ("mice" -> "Mice Protein"). A data set whose
title is not one of the paper's (e.g. the 1560-row ISOLET subset) is an extra row: shown, never compared.
"""

import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from lassonet_bench.learners import learner_titles
from lassonet_bench.selectors import method_titles


METHOD_TITLES = method_titles()  # from the selector registry (lassonet_bench.selectors)



# The published CSV spells the methods as the paper prints them.
PUBLISHED_METHODS = {"All-Feature": "all", "Fisher": "fisher", "HSIC-Lasso": "hsic", "PFA": "pfa", "LassoNet": "lassonet"}



LEARNER_TITLES = learner_titles()



# The published CSV names the learners its own way; ours are the registry lassonet_bench.learners.LEARNERS.
PUBLISHED_LEARNERS = {"decoder": "decoder", "extratrees": "extra_trees"}



REQUIRED_RUN_COLUMNS = ("dataset", "method", "k", "seed", "learner", "accuracy")



# The data set's shape as run, recorded in every row by the evaluate step.
SHAPE_COLUMNS = ("dataset_n_samples", "dataset_n_features", "dataset_n_classes")



def load_published(path=None):
    """The paper's Tables 1 and 2, one row per cell (package data copied from shared/paper/published-results.csv).

    Columns: table, learner (our name), dataset (the paper's name), n, d, classes, method (our name), k, accuracy.
    """
    if path is None:
        source = resources.files("lassonet_bench").joinpath("data", "published_results.csv")
        with resources.as_file(source) as csv_path:
            published = pd.read_csv(csv_path)
    else:
        published = pd.read_csv(path)
    unknown = sorted(set(published["method"]) - set(PUBLISHED_METHODS))
    if unknown:
        raise ValueError(f"published results name unknown methods {unknown}; known: {sorted(PUBLISHED_METHODS)}")
    unknown = sorted(set(published["learner"]) - set(PUBLISHED_LEARNERS))
    if unknown:
        raise ValueError(f"published results name unknown learners {unknown}; known: {sorted(PUBLISHED_LEARNERS)}")
    published["method"] = published["method"].map(PUBLISHED_METHODS)
    published["learner"] = published["learner"].map(PUBLISHED_LEARNERS)
    return published



def read_availability(fetch_paths):
    """{dataset: fetch status} from the data layer's `results/raw/<dataset>/fetch.json` files."""
    availability = {}
    for path in fetch_paths:
        path = Path(path)
        status = json.loads(path.read_text())
        if not isinstance(status.get("available"), bool):
            raise ValueError(f"{path}: 'available' must be true or false, got {status.get('available')!r}")
        availability[path.parent.name] = status
    return availability



def check_runs(runs):
    """Raise naming the missing column or the bad value; return runs with typed key columns."""
    missing = [c for c in REQUIRED_RUN_COLUMNS if c not in runs.columns]
    if missing:
        raise ValueError(f"runs table lacks columns {missing} (has {list(runs.columns)})")
    runs = runs.copy()
    accuracy = pd.to_numeric(runs["accuracy"], errors="coerce")
    bad = runs.index[accuracy.isna() | (accuracy < 0) | (accuracy > 1)]
    if len(bad):
        row = runs.loc[bad[0]]
        raise ValueError(
            f"runs table: accuracy must be a number in [0, 1]; row {bad[0]} ({row['dataset']}, {row['method']}, "
            f"k={row['k']}, seed={row['seed']}, {row['learner']}) has {row['accuracy']}"
        )
    runs["accuracy"] = accuracy
    return runs



def summarize(runs):
    """Mean, standard deviation (ddof = 1) and number of seeds per data set x method x k x learner.

    All-Features rows are summarised whatever their k (it is the number of features of the data set).
    """
    runs = check_runs(runs)
    runs["k_key"] = np.where(runs["method"] == "all", -1, pd.to_numeric(runs["k"], errors="coerce"))
    return seed_statistics(runs, ["dataset", "method", "k_key", "learner"]).rename(columns={"k_key": "k"})



def seed_statistics(frame, keys):
    """Mean, standard deviation (ddof = 1, NaN for one seed) and count of `accuracy` per group of `keys`."""
    grouped = frame.groupby(keys, sort=False)["accuracy"]
    return grouped.agg(mean="mean", std=lambda a: a.std(ddof=1) if len(a) > 1 else np.nan, n="count").reset_index()



def cell_statistics(summary, dataset, method, learner, k):
    mask = (summary["dataset"] == dataset) & (summary["method"] == method) & (summary["learner"] == learner)
    mask &= summary["k"] == (-1 if method == "all" else k)
    rows = summary[mask]
    if rows.empty:
        return None
    return rows.iloc[0]



def shape_of(runs, dataset):
    rows = runs[runs["dataset"] == dataset]
    shape = {}
    for column in SHAPE_COLUMNS:
        values = rows[column].dropna().unique() if column in rows.columns else []
        shape[column.removeprefix("dataset_")] = int(values[0]) if len(values) == 1 else None
    return shape



def format_cell(mean, std, n, digits=3):
    """'0.958 ± 0.012' (over n > 1 seeds), '0.958' (one seed), '' (no run)."""
    if n == 0 or pd.isna(mean):
        return ""
    if n == 1 or pd.isna(std):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"



def figure5_choice(candidates, availability, titles, with_reason=True):
    """(dataset or None, note): the first available candidate; the note says when it is a stand-in (and why, unless
    `with_reason` is False: the figure's title keeps it short and the report gives the reason)."""
    for i, dataset in enumerate(candidates):
        if availability[dataset]["available"]:
            if i == 0:
                return dataset, ""
            missing = candidates[0]
            reason = f" ({availability[missing].get('reason', '')})" if with_reason else ""
            return dataset, f"{titles[dataset]} drawn in place of {titles[missing]}, which is unavailable{reason}"
    reasons = "; ".join(f"{titles[d]}: {availability[d].get('reason', '')}" for d in candidates)
    return None, f"no data set for Figure 5 is available ({reasons})"



ACCURACY_RANGE = (0.0, 1.0)


def interval(mean, std, n, confidence=0.95, kind="prediction"):
    """Two-sided t interval from n seeds: for one new run ("prediction") or for the mean ("mean"); None if n < 2.
    An accuracy lies in [0, 1], so the interval is clipped to it (a t interval knows no bounds: 0.98 ± 0.03 would
    claim accuracies above 1); clipping moves no value of [0, 1] in or out of it."""
    from scipy import stats

    if n < 2 or pd.isna(std):
        return None
    scale = math.sqrt(1 + 1 / n) if kind == "prediction" else math.sqrt(1 / n)
    half = stats.t.ppf(0.5 + confidence / 2, df=n - 1) * std * scale
    low, high = ACCURACY_RANGE
    return max(mean - half, low), min(mean + half, high)



def comparison(runs, published, datasets, titles, availability, n_features_to_select, confidence=0.95,
               kind="prediction"):
    """Every published cell beside ours: paper, mean, std, n, difference, interval, whether the paper lies in it.

    Data sets are matched by the paper's name (`titles`), so an extra data set (another title) is never compared.
    """
    summary = summarize(runs)
    by_title = {titles[d]: d for d in datasets}
    rows = []
    for _, cell in published.iterrows():
        dataset = by_title.get(cell["dataset"])
        row = {
            "table": int(cell["table"]),
            "learner": cell["learner"],
            "title": cell["dataset"],
            "dataset": dataset,
            "method": cell["method"],
            "paper": float(cell["accuracy"]),
            "mean": np.nan,
            "std": np.nan,
            "n": 0,
            "difference": np.nan,
            "low": np.nan,
            "high": np.nan,
            "status": "",
        }
        if dataset is None:
            row["status"] = "not configured"
        elif not availability[dataset]["available"]:
            row["status"] = "unavailable"  # why: once per data set, in the report's list of data sets
        else:
            ours = cell_statistics(summary, dataset, cell["method"], cell["learner"], n_features_to_select)
            if ours is None:
                row["status"] = "not run"
            else:
                row.update(mean=ours["mean"], std=ours["std"], n=int(ours["n"]))
                row["difference"] = ours["mean"] - row["paper"]
                bounds = interval(ours["mean"], ours["std"], int(ours["n"]), confidence, kind)
                if bounds is None:
                    row["status"] = "no interval (1 seed)"
                else:
                    row["low"], row["high"] = bounds
                    row["status"] = "inside" if bounds[0] <= row["paper"] <= bounds[1] else "outside"
        rows.append(row)
    return pd.DataFrame(rows)



def format_number(value, digits=3, sign=False):
    if pd.isna(value):
        return ""
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"

