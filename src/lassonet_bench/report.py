"""Tables 1-2, Figure 5's choice of data set and the replication report: pure functions of the tidy runs table and
the paper's numbers (Figure 5 itself is drawn by lassonet_bench.drawing.figure5).

Nothing here trains a model or reads an intermediate result. `runs` is `results/runs.csv` (one row per data set x
method x k x seed x learner, column `accuracy` = test accuracy); `availability` maps each data set to its fetch
status (`{"available": bool, "reason": str}`, the data layer's fetch.json); `titles` maps data set names to the
paper's names ("mice" -> "Mice Protein"). A data set whose title is not one of the paper's (e.g. the 1560-row ISOLET
subset) is an extra row: shown, never compared with the paper.
"""

import json
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from lassonet_bench.io import atomic_path
from lassonet_bench.selection import method_titles

METHOD_TITLES = method_titles()  # from the selector registry (lassonet_bench.selection)
# The published CSV spells the methods as the paper prints them.
PUBLISHED_METHODS = {"All-Feature": "all", "Fisher": "fisher", "HSIC-Lasso": "hsic", "PFA": "pfa", "LassoNet": "lassonet"}
LEARNER_TITLES = {"decoder": "decoder network", "extra_trees": "ExtraTrees classifier"}
# The published CSV names the learners its own way; ours are lassonet_bench.run_checks.LEARNERS.
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


def _cell(summary, dataset, method, learner, k):
    mask = (summary["dataset"] == dataset) & (summary["method"] == method) & (summary["learner"] == learner)
    mask &= summary["k"] == (-1 if method == "all" else k)
    rows = summary[mask]
    if rows.empty:
        return None
    return rows.iloc[0]


def _shape(runs, dataset):
    rows = runs[runs["dataset"] == dataset]
    shape = {}
    for column in SHAPE_COLUMNS:
        values = rows[column].dropna().unique() if column in rows.columns else []
        shape[column.removeprefix("dataset_")] = int(values[0]) if len(values) == 1 else None
    return shape


def build_table(runs, learner, datasets, methods, n_features_to_select, availability, titles, extra_datasets=()):
    """One row per data set, laid out as the paper's Table 1/2: shape, classes, then All-Features and each method.

    Columns: dataset, title, extra, status ("available", "unavailable", "not run"), reason, n_samples, n_features,
    n_classes, and per method (All-Features first) `<method>_mean`, `<method>_std`, `<method>_n`.
    """
    runs = check_runs(runs)
    summary = summarize(runs)
    rows = []
    for dataset in datasets:
        status = availability.get(dataset)
        if status is None:
            raise ValueError(f"no fetch status for data set {dataset!r} (have {sorted(availability)})")
        row = {
            "dataset": dataset,
            "title": titles[dataset],
            "extra": dataset in extra_datasets,
            "status": "available" if status["available"] else "unavailable",
            "reason": "" if status["available"] else status.get("reason", ""),
            **_shape(runs, dataset),
        }
        any_run = False
        for method in ["all", *methods]:
            cell = _cell(summary, dataset, method, learner, n_features_to_select) if status["available"] else None
            row[f"{method}_mean"] = np.nan if cell is None else cell["mean"]
            row[f"{method}_std"] = np.nan if cell is None else cell["std"]
            row[f"{method}_n"] = 0 if cell is None else int(cell["n"])
            any_run |= cell is not None
        if status["available"] and not any_run:
            row["status"] = "not run"
        rows.append(row)
    return pd.DataFrame(rows)


def format_cell(mean, std, n, digits=3):
    """'0.958 ± 0.012' (over n > 1 seeds), '0.958' (one seed), '' (no run)."""
    if n == 0 or pd.isna(mean):
        return ""
    if n == 1 or pd.isna(std):
        return f"{mean:.{digits}f}"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _shape_text(row):
    if row["n_samples"] is None or pd.isna(row["n_samples"]):
        return ""
    return f"({int(row['n_samples'])}, {int(row['n_features'])})"


def _seed_counts(table, methods):
    counts = sorted({int(table[f"{m}_n"][i]) for m in ["all", *methods] for i in table.index} - {0})
    return ", ".join(str(c) for c in counts) if counts else "0"


def table_caption(number, learner, n_features_to_select, table, methods):
    return (
        f"Table {number}: test accuracy with the {LEARNER_TITLES.get(learner, learner)} as the learner, "
        f"k = {n_features_to_select} selected features; mean ± standard deviation over the split seeds "
        f"(n = {_seed_counts(table, methods)}). All-Features uses every feature."
    )


def _notes(table, reasons=True):
    """The table's notes; without `reasons`, an unavailable data set's reason is left to the text around it."""
    notes = []
    for _, row in table.iterrows():
        if row["status"] == "unavailable":
            notes.append(f"{row['title']}: unavailable ({row['reason']})" if reasons else f"{row['title']}: unavailable")
        elif row["status"] == "not run":
            notes.append(f"{row['title']}: available but not run in this configuration")
    if table["extra"].any():
        extra = ", ".join(table.loc[table["extra"], "title"])
        notes.append(f"Extra rows, not in the paper and not compared with it: {extra}")
    return notes


def _row_cells(row, methods, empty):
    if row["status"] != "available":
        return [row["status"]] * (len(methods) + 1)
    return [format_cell(row[f"{m}_mean"], row[f"{m}_std"], row[f"{m}_n"]) or empty for m in ["all", *methods]]


def table_markdown(table, methods, caption, reasons=True):
    header = ["Dataset", "(n, d)", "# Classes", *[METHOD_TITLES[m] for m in ["all", *methods]]]
    lines = [f"**{caption}**", "", "| " + " | ".join(header) + " |", "|" + "|".join(["---"] * 3 + ["---:"] * (len(methods) + 1)) + "|"]
    for _, row in table.iterrows():
        classes = "" if row["n_classes"] is None or pd.isna(row["n_classes"]) else str(int(row["n_classes"]))
        title = f"*{row['title']}* (extra)" if row["extra"] else row["title"]
        lines.append("| " + " | ".join([title, _shape_text(row), classes, *_row_cells(row, methods, "–")]) + " |")
    notes = _notes(table, reasons)
    if notes:
        lines += [""] + [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def _latex_escape(text):
    for char, escaped in [("\\", r"\textbackslash{}"), ("&", r"\&"), ("%", r"\%"), ("_", r"\_"), ("#", r"\#")]:
        text = text.replace(char, escaped)
    return text


def table_latex(table, methods, caption, label):
    columns = ["all", *methods]
    lines = [
        r"\begin{table}[t]",
        r"\centering",
        r"\begin{tabular}{l" + "r" * 2 + "r" * len(columns) + "}",
        r"\toprule",
        " & ".join(["Dataset", "$(n, d)$", r"\# Classes", *[_latex_escape(METHOD_TITLES[m]) for m in columns]])
        + r" \\",
        r"\midrule",
    ]
    for _, row in table.iterrows():
        cells = [c.replace(" ± ", r" \pm ") for c in _row_cells(row, methods, "--")]
        cells = [f"${c}$" if c and c[0].isdigit() else _latex_escape(c) for c in cells]
        classes = "" if row["n_classes"] is None or pd.isna(row["n_classes"]) else str(int(row["n_classes"]))
        title = _latex_escape(row["title"]) + (r"$^\dagger$" if row["extra"] else "")
        lines.append(" & ".join([title, f"${_shape_text(row)}$" if _shape_text(row) else "", classes, *cells]) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}"]
    notes = _notes(table)
    if notes:
        lines.append(r"\par\smallskip{\footnotesize " + "; ".join(_latex_escape(n) for n in notes) + "}")
    lines += [rf"\caption{{{_latex_escape(caption)}}}".replace("±", r"$\pm$"), rf"\label{{{label}}}", r"\end{table}"]
    return "\n".join(lines) + "\n"


def write_table(table, methods, caption, label, markdown_path, latex_path, csv_path):
    """Write the table as Markdown, LaTeX and CSV (the CSV holds the unrounded numbers), each atomically."""
    for path, text in [
        (markdown_path, table_markdown(table, methods, caption)),
        (latex_path, table_latex(table, methods, caption, label)),
    ]:
        with atomic_path(path) as tmp:
            tmp.write_text(text, encoding="utf-8")
    with atomic_path(csv_path) as tmp:
        table.to_csv(tmp, index=False)


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


def interval(mean, std, n, confidence=0.95, kind="prediction"):
    """Two-sided t interval from n seeds: for one new run ("prediction") or for the mean ("mean"); None if n < 2."""
    from scipy import stats

    if n < 2 or pd.isna(std):
        return None
    scale = math.sqrt(1 + 1 / n) if kind == "prediction" else math.sqrt(1 / n)
    half = stats.t.ppf(0.5 + confidence / 2, df=n - 1) * std * scale
    return mean - half, mean + half


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
            ours = _cell(summary, dataset, cell["method"], cell["learner"], n_features_to_select)
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


def _fmt(value, digits=3, sign=False):
    if pd.isna(value):
        return ""
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"


def replication_report(runs, published, tables, datasets, extra_datasets, titles, availability, methods, learners,
                       n_features_to_select, figure5_dataset, figure5_note, figure_path="figures/figure5.png",
                       confidence=0.95, kind="prediction", experiments=None):
    """The replication report (Markdown): every cell of the paper beside ours, the tables, LassoNet's rank in each
    row, Figure 5, and the experiments on the misses.

    `tables` maps a table name ("table1") to its learner; `figure_path` is relative to the report; `experiments`
    maps an experiment's name (a key of EXPERIMENTS) to its tidy results table.
    """
    runs = check_runs(runs)
    compared = comparison(runs, published, datasets, titles, availability, n_features_to_select, confidence, kind)
    compared = compared[compared["learner"].isin(learners)]
    percent = f"{confidence * 100:g} %"
    what = (
        "a single new run (prediction interval, mean ± t·s·√(1 + 1/n)); the paper reports single runs"
        if kind == "prediction"
        else "our mean (confidence interval, mean ± t·s/√n)"
    )
    seeds = sorted(runs["seed"].unique())
    lines = [
        "# Replication report: LassoNet, Tables 1–2 and Figure 5",
        "",
        f"Generated from `results/runs.csv` ({len(runs)} runs; split seeds {', '.join(str(s) for s in seeds)}) and the "
        "paper's published numbers (Lemhadri et al., JMLR 2021, Table 1 and Appendix B Table 2). "
        f"k = {n_features_to_select}. The {percent} interval is the t interval for {what}.",
        "",
        "## Summary",
        "",
    ]
    counted = compared[compared["status"].isin(["inside", "outside"])]
    lines.append(
        f"- {len(compared)} published cells; {int((compared['n'] > 0).sum())} with our numbers; "
        f"{int((counted['status'] == 'inside').sum())} of {len(counted)} with an interval hold the paper's value "
        f"inside our {percent} interval."
    )
    outside = compared[compared["status"] == "outside"]
    if len(outside):
        cells = ", ".join(f"{r.title} / {METHOD_TITLES[r.method]} / {r.learner}" for r in outside.itertuples())
        lines.append(f"- paper's value outside our interval: {cells}")
    single = int((compared["status"] == "no interval (1 seed)").sum())
    if single:
        lines.append(f"- {single} cells rest on one seed only: no interval, the difference alone is shown.")
    paper_k = sorted(published["k"].dropna().astype(int).unique())
    if paper_k != [n_features_to_select]:
        lines.append(
            f"- **This run selects k = {n_features_to_select} features; the paper selects k = "
            f"{', '.join(map(str, paper_k))}: the selection columns are not comparable with the paper.**"
        )
    lines += ["", "## Data sets", ""]
    for dataset in datasets:
        status = availability[dataset]
        kind_text = "extra data set, not compared with the paper" if dataset in extra_datasets else "paper's data set"
        if status["available"]:
            shape = _shape(runs, dataset)
            size = f", {shape['n_samples']} × {shape['n_features']}" if shape["n_samples"] is not None else ""
            n_runs = int((runs["dataset"] == dataset).sum())
            lines.append(f"- **{titles[dataset]}** (`{dataset}`, {kind_text}): available{size}; {n_runs} runs.")
        else:
            lines.append(f"- **{titles[dataset]}** (`{dataset}`, {kind_text}): **unavailable**: {status.get('reason', '')}")
    for table, learner in tables.items():
        if learner not in learners:
            continue
        number = int(table.removeprefix("table"))
        part = compared[compared["table"] == number]
        lines += ["", f"## Table {number} ({LEARNER_TITLES.get(learner, learner)}): paper against ours", ""]
        lines.append(f"| Dataset | Method | Paper | Ours (mean ± std) | n | Ours − paper | {percent} interval | Paper in interval |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---|")
        for r in part.itertuples():
            ours = format_cell(r.mean, r.std, r.n) or "–"
            bounds = f"[{_fmt(r.low)}, {_fmt(r.high)}]" if not pd.isna(r.low) else "–"
            verdict = {"inside": "yes", "outside": "**no**"}.get(r.status, r.status)
            lines.append(
                f"| {r.title} | {METHOD_TITLES[r.method]} | {r.paper:.3f} | {ours} | {r.n} | "
                f"{_fmt(r.difference, sign=True) or '–'} | {bounds} | {verdict} |"
            )
        table_frame = build_table(runs, learner, datasets, methods, n_features_to_select, availability, titles,
                                  extra_datasets)
        caption = table_caption(number, learner, n_features_to_select, table_frame, methods)
        lines += ["", table_markdown(table_frame, methods, caption, reasons=False)]
        for dataset in extra_datasets:
            if dataset in datasets and availability[dataset]["available"]:
                lines.append(f"{titles[dataset]} is an extra row: not the paper's data, so shown but not compared.")
    lines += ["", "## Figure 5", ""]
    if figure5_dataset is None:
        lines.append(f"Not drawn: {figure5_note}.")
    else:
        lines.append(f"Accuracy against the number of selected features on {titles[figure5_dataset]}.")
        if figure5_note:
            lines.append(f"**Note:** {figure5_note}.")
    lines += ["", f"![Figure 5]({figure_path})"]
    lines += rank_lines(lassonet_ranks(compared, methods))
    lines += experiment_lines(compared, experiments or {}, confidence, kind)
    lines += unanimous_lines(runs, compared, n_features_to_select, confidence)
    return "\n".join(lines + [""])


def status_text(compared, confidence=0.95, n_seeds=None, report_link="replication/replication_report.md", n_misses=5,
                experiment_lines=()):
    """The README's replication status: counts of the paper's cells that match and miss, the biggest misses, and
    `experiment_lines` (see experiment_status_lines)."""
    percent = f"{confidence * 100:g} %"
    inside = int((compared["status"] == "inside").sum())
    outside = compared[compared["status"] == "outside"]
    unavailable = int(compared["status"].str.startswith("unavailable").sum())
    not_run = int((compared["status"] == "not run").sum())
    single = int((compared["status"] == "no interval (1 seed)").sum())
    available = len(compared) - unavailable - int((compared["status"] == "not configured").sum())
    lines = [
        f"Of the paper's {len(compared)} cells (Tables 1-2), {available} are on data available here; "
        f"{unavailable} are on data sets unavailable here and are counted apart, never as misses.",
        "",
        f"- paper's value inside our {percent} prediction interval: **{inside}** cells",
        f"- outside: **{len(outside)}** cells",
    ]
    if single:
        lines.append(f"- one seed only, no interval yet: {single} cells")
    if n_seeds is not None:
        partial = int(((compared["n"] > 0) & (compared["n"] < n_seeds)).sum())
        if partial:
            lines.append(f"- still short of the protocol's {n_seeds} seeds (verdicts provisional): {partial} cells")
    if not_run:
        lines.append(f"- not yet run: {not_run} cells")
    if len(outside):
        lines += ["", "Biggest misses (ours − paper):", ""]
        worst = outside.reindex(outside["difference"].abs().sort_values(ascending=False).index).head(n_misses)
        for r in worst.itertuples():
            lines.append(f"- {r.title} / {METHOD_TITLES[r.method]} / {LEARNER_TITLES.get(r.learner, r.learner)}: "
                         f"{r.mean:.3f} against {r.paper:.3f} ({r.difference:+.3f}, n = {r.n})")
    lines += list(experiment_lines)
    lines += ["", f"Every cell, the tables and the figures: [the replication report]({report_link})."]
    return "\n".join(lines) + "\n"


def lassonet_ranks(compared, methods):
    """Per table and data set with every selection method run: LassoNet's rank among the selection methods
    (All-Features apart; 1 = the best mean), ours against the paper's. Ties share the better rank."""
    selectors = [m for m in methods if m != "all"]
    rows = []
    for (table, title), cells in compared.groupby(["table", "title"], sort=False):
        cells = cells.set_index("method")
        if "lassonet" not in cells.index or not set(selectors) <= set(cells.index):
            continue
        cells = cells.loc[selectors]
        if cells["mean"].isna().any():
            continue
        ours = int(cells["mean"].rank(ascending=False, method="min")["lassonet"])
        paper = int(cells["paper"].rank(ascending=False, method="min")["lassonet"])
        rows.append(dict(table=int(table), title=title, ours=ours, paper=paper, n_methods=len(selectors),
                         min_seeds=int(cells["n"].min())))
    return pd.DataFrame(rows, columns=["table", "title", "ours", "paper", "n_methods", "min_seeds"])


def rank_lines(ranks):
    """The report's section on LassoNet's rank in each row."""
    lines = ["", "## LassoNet's rank in each row", ""]
    if ranks.empty:
        return lines + ["No row has every selection method run yet."]
    same = int((ranks["ours"] == ranks["paper"]).sum())
    lines += [
        f"Among the {ranks['n_methods'].iloc[0]} selection methods (All-Features apart), by mean accuracy; "
        f"1 is the best. Same rank as in the paper in {same} of {len(ranks)} rows.",
        "",
        "| Table | Dataset | LassoNet's rank, ours | in the paper | fewest seeds in the row |",
        "|---:|---|---:|---:|---:|",
    ]
    lines += [f"| {r.table} | {r.title} | {r.ours} | {r.paper} | {r.min_seeds} |" for r in ranks.itertuples()]
    return lines


def experiment_cells(experiment, confidence=0.95, kind="prediction"):
    """One experiment's results (a tidy table with dataset, method, learner, seed, accuracy) summarised per cell:
    mean, std, n and the interval, as for our own cells."""
    cells = seed_statistics(experiment, ["dataset", "method", "learner"])
    bounds = [interval(c.mean, c.std, c.n, confidence, kind) or (np.nan, np.nan) for c in cells.itertuples()]
    cells["low"], cells["high"] = [b[0] for b in bounds], [b[1] for b in bounds]
    return cells


# The experiments of the record (replication/experiments/<name>-*.csv): what each tests, and which of our cells it
# stands for (the official package's LassoNet stands for our LassoNet cell).
EXPERIMENTS = {
    "official": dict(
        label="the official package's LassoNet selection",
        title="the official package's selection (lassonet 0.0.21, its defaults, the same splits, width grid and learners)",
        command="python benchmarks/official_selection.py --dataset {dataset} --out replication/experiments/official-{dataset}.csv",
        ours_method={"lassonet_official": "lassonet"},
    ),
    "authors-decoder": dict(
        label="the decoder trained as the authors' evaluate.py trains it",
        title="the same selections scored by the authors' decoder training (full-batch Adam, patience 50 steps, "
              "at most 3000, last step's weights)",
        command="python benchmarks/authors_decoder.py --dataset {dataset} --out replication/experiments/authors-decoder-{dataset}.csv",
        ours_method={},
    ),
    "authors-fill": dict(
        label="Mice Protein's missing values filled as the authors' code fills them",
        title="the data prepared with the missing-value fill of the authors' code (`data.mice_missing_fill: "
              "authors_code`), every method selected and scored again",
        command="python benchmarks/data_option_experiment.py --dataset {dataset} --option "
                "mice_missing_fill=authors_code --out replication/experiments/authors-fill-{dataset}.csv",
        ours_method={},
    ),
    "authors-split": dict(
        label="the split sizes of the authors' code (36 / 4 / 60 %, MNIST and MNIST-Fashion)",
        title="splits of the sizes the authors' code uses for MNIST and MNIST-Fashion (train / validation / test "
              "= 36 / 4 / 60 % instead of 70 / 10 / 20 %), every method selected and scored again",
        command="python benchmarks/authors_split.py --dataset {dataset} --out replication/experiments/authors-split-{dataset}.csv",
        ours_method={},
    ),
}


def experiment_pairs(compared, name, table, confidence=0.95, kind="prediction"):
    """Experiment `name`'s cells beside ours: (our row of `compared`, the experiment's cell, whether its interval
    holds the paper's value: True, False or None without an interval), for the cells we have."""
    spec = EXPERIMENTS[name]
    pairs = []
    for cell in experiment_cells(table, confidence, kind).itertuples():
        method = spec["ours_method"].get(cell.method, cell.method)
        match = compared[(compared["dataset"] == cell.dataset) & (compared["method"] == method)
                         & (compared["learner"] == cell.learner)]
        if not match.empty:
            ours = match.iloc[0]
            pairs.append((ours, cell, None if pd.isna(cell.low) else bool(cell.low <= ours["paper"] <= cell.high)))
    return pairs


def experiment_lines(compared, experiments, confidence=0.95, kind="prediction"):
    """The report's section on the experiments run on the cells outside the interval: for each cell covered by an
    experiment, ours, the paper's and the experiment's value, and whether the paper's lies in its interval."""
    percent = f"{confidence * 100:g} %"
    lines = ["", "## Experiments on the misses", ""]
    if not experiments:
        return lines + ["No experiment recorded yet (`replication/experiments/`)."]
    lines += [
        f"Each experiment changes one thing and scores the same splits; its {percent} interval is computed as ours. "
        "The thing it changed explains a miss when it moves our value to the paper's (the experiment's mean "
        "near the paper's, its interval holding it); where the experiment's mean stays where ours is "
        "(experiment − ours near 0), that thing is not the cause, even if a wider spread lets its interval "
        "reach the paper's value.",
        "",
    ]
    for name, table in experiments.items():
        spec = EXPERIMENTS[name]
        lines += [f"### {spec['title'][0].upper()}{spec['title'][1:]}", "",
                  f"`{spec['command'].format(dataset='<data set>')}`", "",
                  "| Dataset | Method | Learner | Paper | Ours | Ours: paper in interval | Experiment (n) | "
                  f"Experiment − ours | Experiment's {percent} interval | Experiment: paper in interval |",
                  "|---|---|---|---:|---:|---|---:|---:|---:|---|"]
        pairs = experiment_pairs(compared, name, table, confidence, kind)
        for ours, cell, holds in pairs:
            inside = {None: "–", True: "yes", False: "**no**"}[holds]
            verdict = {"inside": "yes", "outside": "**no**"}.get(ours["status"], ours["status"])
            bounds = "–" if pd.isna(cell.low) else f"[{cell.low:.3f}, {cell.high:.3f}]"
            lines.append(f"| {ours['title']} | {METHOD_TITLES[ours['method']]} "
                         f"| {LEARNER_TITLES.get(cell.learner, cell.learner)} "
                         f"| {ours['paper']:.3f} | {format_cell(ours['mean'], ours['std'], ours['n']) or '–'} | {verdict} "
                         f"| {format_cell(cell.mean, cell.std, cell.n)} ({cell.n}) | {_fmt(cell.mean - ours['mean'], sign=True)} "
                         f"| {bounds} | {inside} |")
        misses = [holds for ours, _, holds in pairs if ours["status"] == "outside"]
        cells_word = "cell" if len(misses) == 1 else "cells"
        change = float(np.mean([cell.mean - ours["mean"] for ours, cell, _ in pairs]))
        lines += ["", f"Of the {len(misses)} {cells_word} here whose paper value lies outside our interval, the "
                  f"experiment's interval holds it for {sum(bool(h) for h in misses)}; over all {len(pairs)} cells "
                  f"the experiment moves our mean by {_fmt(change, sign=True)} on average.", ""]
    return lines


def experiment_status_lines(compared, experiments, confidence=0.95, kind="prediction"):
    """The README's lines on the experiments: per experiment, how many of the misses it covers its interval holds;
    then the misses that no experiment's interval holds."""
    if not experiments:
        return []
    lines, held = ["", "Experiments on the misses, each changing one thing (the report's last sections):", ""], set()
    for name, table in experiments.items():
        misses = [(ours, cell, holds) for ours, cell, holds in experiment_pairs(compared, name, table, confidence, kind)
                  if ours["status"] == "outside"]
        if not misses:
            continue
        held |= {(o["dataset"], o["method"], o["learner"]) for o, _, holds in misses if holds}
        gap = float(np.mean([abs(cell.mean - o["paper"]) - abs(o["difference"]) for o, cell, _ in misses]))
        lines.append(f"- {EXPERIMENTS[name]['label']}: the paper's value inside the experiment's interval for "
                     f"{sum(bool(h) for *_, h in misses)} of the {len(misses)} misses it covers; on them the distance "
                     f"to the paper's value changes by {_fmt(gap, sign=True)} on average")
    rest = compared[(compared["status"] == "outside")
                    & ~compared.apply(lambda r: (r["dataset"], r["method"], r["learner"]) in held, axis=1)]
    if len(rest):
        named = "; ".join(f"{r.title} / {METHOD_TITLES[r.method]} / {LEARNER_TITLES.get(r.learner, r.learner)}"
                          + (" (every seed scores the same: counted in test rows in the report)" if r.std == 0 else "")
                          for r in rest.itertuples())
        lines.append(f"- no experiment's interval holds the paper's value for: {named}")
    return lines


def unanimous_lines(runs, compared, n_features_to_select, confidence=0.95):
    """For a cell outside the interval only because every seed scored the same (std 0: a t interval of zero width),
    the count reading: our test rows pooled over the seeds with their exact (Clopper-Pearson) interval, and Fisher's
    exact test of our errors against the paper's, read as one test split of our split's size."""
    from scipy import stats

    cells = compared[(compared["status"] == "outside") & (compared["std"] == 0)]
    if cells.empty or "n_test" not in runs:  # the test rows are counted from the runs' n_test column
        return []
    percent = f"{confidence * 100:g} %"
    lines = ["### Cells whose seeds all score the same", "",
             "Their t interval has zero width, so any other value lies outside it. Counted in test rows instead: ours "
             f"pooled over the seeds, with the exact binomial {percent} interval, and the paper's value read as one "
             "test split of our split's size (Fisher's exact test, two-sided).", "",
             "| Dataset | Method | Learner | Paper | Ours right / rows | Exact interval | Paper: errors / rows "
             "| Paper in exact interval | Fisher p |",
             "|---|---|---|---:|---:|---:|---:|---|---:|"]
    for cell in cells.itertuples():
        group = runs[(runs["dataset"] == cell.dataset) & (runs["method"] == cell.method)
                     & (runs["learner"] == cell.learner)]
        if cell.method != "all":
            group = group[pd.to_numeric(group["k"]) == n_features_to_select]
        rows = int(group["n_test"].sum())
        right = int(round((group["accuracy"] * group["n_test"]).sum()))
        low, high = stats.binomtest(right, rows).proportion_ci(confidence, method="exact")
        split = int(group["n_test"].median())
        paper_errors = int(round((1 - cell.paper) * split))
        p_value = stats.fisher_exact([[right, rows - right], [split - paper_errors, paper_errors]])[1]
        inside = "yes" if low <= cell.paper <= high else "**no**"
        lines.append(f"| {cell.title} | {METHOD_TITLES[cell.method]} | {LEARNER_TITLES.get(cell.learner, cell.learner)} "
                     f"| {cell.paper:.3f} | {right} / {rows} | [{low:.4f}, {high:.4f}] | {paper_errors} / {split} "
                     f"| {inside} | {p_value:.3f} |")
    return lines + [""]

