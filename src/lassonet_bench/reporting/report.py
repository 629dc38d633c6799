"""The replication report (Markdown) and the README's status: pure functions of the tidy runs table and the
paper's numbers (reporting.results), section by section. Nothing here trains a model or reads an intermediate
result; Figure 5 itself is drawn by lassonet_bench.plots.figure5.
"""


import dataclasses
import json

import pandas as pd

from lassonet_bench.reporting.misses import experiment_lines, figure5_experiment_lines
from lassonet_bench.reporting.results import (
    LEARNER_TITLES, METHOD_TITLES, check_runs, comparison, format_cell, format_number, shape_of,
)
from lassonet_bench.reporting import statistics
from lassonet_bench.reporting.costs import cost_lines
from lassonet_bench.reporting.tables import build_table, table_caption, table_markdown, table_methods

CLAIMS_HEADING = "The paper's claims"
DATASETS_HEADING = "Data sets"


@dataclasses.dataclass(frozen=True)
class ReportParameters:
    """What the replication report covers and how it judges. `tables` maps a table name ("table1") to its learner;
    `figure_path` is Figure 5's image, relative to the report; `kind` the interval ("prediction" or "confidence")."""

    tables: dict
    datasets: list
    extra_datasets: list
    titles: dict
    availability: dict
    methods: list
    learners: list
    n_features_to_select: int
    figure5_dataset: str | None
    figure5_note: str
    figure_path: str = "figures/figure5.png"
    confidence: float = 0.95
    kind: str = "prediction"
    critical_difference_path: str | None = None  # the diagram of the statistics section, relative to the report
    extra_methods: tuple = ()  # methods beyond the paper: the tables' extra columns and the tests across data sets
    figure5_methods: tuple | None = None  # the methods Figure 5 draws (None: not said)
    cost_figure_path: str | None = None  # the cost section's figure, relative to the report

    @property
    def table_methods(self):
        return table_methods(self.methods, self.extra_methods)

    @property
    def percent(self):
        return f"{self.confidence * 100:g} %"


def replication_report(runs, published, p, experiments=None, with_figure5=True):
    """The replication report (Markdown): every cell of the paper beside ours, the tables, Figure 5 (unless
    `with_figure5` is false: it then goes with the other figures, figure5_lines), LassoNet's rank in each row, and
    the experiments on the misses (`experiments`: an experiment's name, a key of misses.EXPERIMENTS, to its tidy
    results table). `p`: ReportParameters."""
    runs = check_runs(runs)
    compared = comparison(runs, published, p.datasets, p.titles, p.availability, p.n_features_to_select,
                          p.confidence, p.kind)
    compared = compared[compared["learner"].isin(p.learners)]
    ranks = lassonet_ranks(compared, p.methods)
    ran = [d for d in _paper_datasets(p) if (runs["dataset"] == d).any()]
    across = statistics.verdict(runs, ran, [m for m in p.methods if m != "all"], p.learners, p.n_features_to_select)
    benchmark = across if not p.extra_methods else statistics.verdict(
        runs, ran, p.table_methods, p.learners, p.n_features_to_select)
    lines = _opening(runs, p) + _verdicts(compared, ranks, p) + _across_verdict(across)
    lines += _summary(compared, published, p)
    lines += _datasets_section(runs, p)
    for table, learner in p.tables.items():
        if learner in p.learners:
            lines += _table_section(runs, compared, int(table.removeprefix("table")), learner, p)
    if with_figure5:
        lines += figure5_lines(p, runs=runs, experiments=experiments)
    lines += rank_lines(ranks)
    lines += statistics.statistics_lines(across, p.titles, p.critical_difference_path, benchmark)
    lines += cost_lines(runs, ran, p.n_features_to_select, p.titles, p.cost_figure_path)
    lines += chance_level_lines(runs, p.titles)
    lines += subsample_lines(runs, p.titles)
    lines += experiment_lines(compared, experiments or {}, p.confidence, p.kind)
    lines += unanimous_lines(runs, compared, p.n_features_to_select, p.confidence)
    return "\n".join(lines + [""])


def _opening(runs, p):
    what = (
        "a single new run (prediction interval, mean ± t·s·√(1 + 1/n)); the paper reports single runs"
        if p.kind == "prediction"
        else "our mean (confidence interval, mean ± t·s/√n)"
    )
    seeds = sorted(runs["seed"].unique())
    return [
        "# Replication report: LassoNet, Tables 1–2 and Figure 5",
        "",
        f"Generated from `results/runs.csv` ({len(runs)} runs; split seeds {', '.join(str(s) for s in seeds)}) and the "
        "paper's published numbers (Lemhadri et al., JMLR 2021, Table 1 and Appendix B Table 2). "
        f"k = {p.n_features_to_select}. The {p.percent} interval is the t interval for {what}.",
    ]


RANKS_HEADING = "LassoNet's rank in each row"


def _anchor(heading):
    """The link target of a Markdown heading, as GitHub and markdown-it's anchors make it."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return "#" + kept.strip().replace(" ", "-")


def _verdict(share):
    return "holds" if share == 1 else "does not hold" if share == 0 else "partly holds"


def _verdicts(compared, ranks, p):
    """The paper's claims first, each with its verdict and a link to its evidence below."""
    lines = ["", f"## {CLAIMS_HEADING}", ""]
    counted = compared[compared["status"].isin(["inside", "outside"])]
    if len(counted):
        inside = int((counted["status"] == "inside").sum())
        lines.append(f"- **The published accuracies replicate** (each cell inside our {p.percent} interval): "
                     f"**{_verdict(inside / len(counted))}**, {inside} of {len(counted)} cells "
                     f"([Summary]({_anchor('Summary')})).")
    for table, learner in p.tables.items():
        number = int(table.removeprefix("table"))
        rows = ranks[ranks["table"] == number]
        if learner not in p.learners or rows.empty:
            continue
        first = int((rows["ours"] == 1).sum())
        lines.append(f"- **LassoNet is the most accurate selection method with the "
                     f"{LEARNER_TITLES.get(learner, learner)}** (Table {number}): **{_verdict(first / len(rows))}**, "
                     f"first in {first} of {len(rows)} data sets ([ranks]({_anchor(RANKS_HEADING)})).")
    return lines


def _paper_datasets(p):
    return [d for d in p.datasets if d not in p.extra_datasets]


def _across_verdict(result):
    if result is None or "lassonet" not in result.blocks:
        return []
    beaten = statistics.outperformed(result)
    return [f"- **LassoNet outperforms every baseline across data sets** (Friedman, then Nemenyi at "
            f"α = {statistics.ALPHA}): **{_verdict(sum(beaten.values()) / len(beaten))}**, significantly better "
            f"than {sum(beaten.values())} of {len(beaten)} ([tests]({_anchor(statistics.HEADING)}))."]


def _summary(compared, published, p):
    lines = ["", "## Summary", ""]
    counted = compared[compared["status"].isin(["inside", "outside"])]
    lines.append(
        f"- {len(compared)} published cells; {int((compared['n'] > 0).sum())} with our numbers; "
        f"{int((counted['status'] == 'inside').sum())} of {len(counted)} with an interval hold the paper's value "
        f"inside our {p.percent} interval."
    )
    outside = compared[compared["status"] == "outside"]
    if len(outside):
        cells = ", ".join(f"{r.title} / {METHOD_TITLES[r.method]} / {LEARNER_TITLES.get(r.learner, r.learner)}"
                          for r in outside.itertuples())
        lines.append(f"- paper's value outside our interval: {cells}")
    single = int((compared["status"] == "no interval (1 seed)").sum())
    if single:
        cells = "1 cell rests" if single == 1 else f"{single} cells rest"
        lines.append(f"- {cells} on one seed only: no interval, the difference alone is shown.")
    paper_k = sorted(published["k"].dropna().astype(int).unique())
    if paper_k != [p.n_features_to_select]:
        lines.append(
            f"- **This run selects k = {p.n_features_to_select} features; the paper selects k = "
            f"{', '.join(map(str, paper_k))}: the selection columns are not comparable with the paper.**"
        )
    return lines


def _datasets_section(runs, p):
    lines = ["", f"## {DATASETS_HEADING}", ""]
    for dataset in p.datasets:
        status = p.availability[dataset]
        kind_text = "extra data set, not compared with the paper" if dataset in p.extra_datasets else "paper's data set"
        head = f"- **{p.titles[dataset]}** (`{dataset}`, {kind_text}):"
        if status["available"]:
            shape = shape_of(runs, dataset)
            size = f", {shape['n_samples']} × {shape['n_features']}" if shape["n_samples"] is not None else ""
            lines.append(f"{head} available{size}; {int((runs['dataset'] == dataset).sum())} runs.")
        else:
            lines.append(f"{head} **unavailable**: {status.get('reason', '')}")
    return lines


def _table_section(runs, compared, number, learner, p):
    lines = ["", f"## Table {number} ({LEARNER_TITLES.get(learner, learner)}): paper against ours", "",
             f"| Dataset | Method | Paper | Ours (mean ± std) | n | Ours − paper | {p.percent} interval | "
             "Paper in interval |",
             "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in compared[compared["table"] == number].itertuples():
        ours = format_cell(r.mean, r.std, r.n) or "–"
        bounds = f"[{format_number(r.low)}, {format_number(r.high)}]" if not pd.isna(r.low) else "–"
        verdict = {"inside": "yes", "outside": "**no**"}.get(r.status, r.status)
        lines.append(
            f"| {r.title} | {METHOD_TITLES[r.method]} | {r.paper:.3f} | {ours} | {r.n} | "
            f"{format_number(r.difference, sign=True) or '–'} | {bounds} | {verdict} |"
        )
    table = build_table(runs, learner, p.datasets, p.table_methods, p.n_features_to_select, p.availability, p.titles,
                        p.extra_datasets)
    caption = table_caption(number, learner, p.n_features_to_select, table, p.table_methods)
    lines += ["", table_markdown(table, p.table_methods, caption, reasons=False, extra_methods=p.extra_methods)]
    for dataset in p.extra_datasets:
        if dataset in p.datasets and p.availability[dataset]["available"]:
            lines.append(f"{p.titles[dataset]} is an extra row: not the paper's data, so shown but not compared.")
    return lines


def figure5_lines(p, heading="## Figure 5", runs=None, experiments=None):
    """Figure 5's section; with the runs, the experiments on it (misses.EXPERIMENTS with figure "figure5") too."""
    lines = ["", heading, ""]
    if p.figure5_dataset is None:
        return lines + [f"Not drawn: {p.figure5_note}.", "", f"![Figure 5]({p.figure_path})"]
    lines.append(f"Accuracy against the number of selected features on {p.titles[p.figure5_dataset]}.")
    if p.figure5_note:
        lines.append(f"**Note:** {p.figure5_note}.")
    lines += ["", f"![Figure 5]({p.figure_path})"]
    lines += _figure5_omissions(p)
    if runs is None or not experiments:
        return lines
    paper_methods = [m for m in runs["method"].unique() if m not in (*p.extra_methods, "all")]
    return lines + figure5_experiment_lines(runs, experiments, p.figure5_dataset, paper_methods, p.learners)


def _figure5_omissions(p):
    """A line naming the tables' methods that Figure 5 does not draw (config.yaml's figure5.methods leaves them out)."""
    if p.figure5_methods is None:
        return []
    left_out = [METHOD_TITLES[m] for m in p.table_methods if m not in p.figure5_methods]
    if not left_out:
        return []
    return ["", f"Not drawn here, though in the tables: {', '.join(left_out)} (not listed in config.yaml's "
            "`figure5.methods`, whose comment gives the reason)."]


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
    lines = ["", f"## {RANKS_HEADING}", ""]
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


def chance_level_lines(runs, titles):
    """The runs whose selection scored no better than the majority class on its validation rows (LassoNet's
    `at_chance_level_` in the run's selection_details), listed so that no such selection passes unseen."""
    lines = ["", "## Selections at chance level", ""]
    details = runs.get("selection_details", pd.Series(dtype=object)).fillna("{}").map(json.loads)
    flagged = runs[details.map(lambda d: bool(d.get("at_chance_level_")))]
    checked = int(details.map(lambda d: "at_chance_level_" in d).sum())
    if flagged.empty:
        return lines + [f"None: {checked} of {len(runs)} runs carry the check (a LassoNet selection; runs made before "
                        "it carry none) and none of them scored at chance level."]
    lines += ["| Dataset | Method | Seed | Learner | Validation accuracy at k | Majority class |", "|---|---|---:|---|---:|---:|"]
    for row, detail in zip(flagged.itertuples(), details[flagged.index]):
        lines.append(f"| {titles.get(row.dataset, row.dataset)} | {METHOD_TITLES[row.method]} | {row.seed} | "
                     f"{row.learner} | {detail.get('validation_score_', float('nan')):.3f} | "
                     f"{detail.get('chance_score_', float('nan')):.3f} |")
    return lines


def subsample_lines(runs, titles):
    """The selections fitted on a seeded subsample of the training rows (a method too costly at the data set's size,
    e.g. ReliefF above 2000 rows; `subsampled` in the run's selection_details), one line per method and data set."""
    if "selection_details" not in runs:
        return []
    details = runs["selection_details"].fillna("{}").map(json.loads)
    mask = details.map(lambda d: bool(d.get("subsampled"))).astype(bool)
    if not mask.any():
        return []
    sampled = runs[mask].assign(used=details[mask].map(lambda d: d["n_samples_used"]),
                                given=details[mask].map(lambda d: d["n_samples_given"]))
    lines = ["", "## Selections on a subsample of the training rows", "",
             "These methods were fitted on a stratified, seeded subsample of each split's training rows, which their "
             "cost at the data set's size asks for; the learners still train on every training row.", ""]
    for (method, dataset), group in sampled.groupby(["method", "dataset"], sort=False):
        seeds = group.drop_duplicates("seed")
        lines.append(f"- {METHOD_TITLES[method]} on {titles.get(dataset, dataset)}: {int(seeds['used'].iloc[0])} of "
                     f"{int(seeds['given'].iloc[0])} training rows, in {len(seeds)} split seed(s)")
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

