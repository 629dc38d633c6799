"""The experiments on the misses: each changes one thing of the protocol and is read back from the record; which
of the paper's values its interval holds, cell by cell, and how far it moves our numbers."""


import numpy as np
import pandas as pd

from lassonet_bench.reporting.results import (
    LEARNER_TITLES, METHOD_TITLES, format_cell, format_number, interval, seed_statistics,
)


def experiment_cells(experiment, confidence=0.95, kind="prediction"):
    """One experiment's results (a tidy table with dataset, method, learner, seed, accuracy) summarised per cell:
    mean, std, n and the interval, as for our own cells."""
    cells = seed_statistics(experiment, ["dataset", "method", "learner"])
    bounds = [interval(c.mean, c.std, c.n, confidence, kind) or (np.nan, np.nan) for c in cells.itertuples()]
    cells["low"], cells["high"] = [b[0] for b in bounds], [b[1] for b in bounds]
    return cells



# The experiments of the record (replication/experiments/<name>-*.csv): what each tests, and which of our cells it
# stands for (the official package's LassoNet stands for our LassoNet cell). An experiment with `from_method` is no
# run of its own: its rows are the protocol's runs of that method beyond the paper (config.yaml's extra_methods).
EXPERIMENTS = {
    "official": dict(
        label="the official package's LassoNet selection",
        title="the official package's selection (lassonet 0.0.21, its defaults, the same splits and learners)",
        from_method="lassonet_official",
        ours_method={"lassonet_official": "lassonet"},
    ),
    "authors-decoder": dict(
        label="the decoder trained as the authors' evaluate.py trains it",
        title="the same selections scored by the authors' decoder training (full-batch Adam, patience 50 steps, "
              "at most 3000, last step's weights)",
        command="python experiments/authors_decoder.py --dataset {dataset} --runs results/runs.csv --out {out}",
        ours_method={},
    ),
    "authors-fill": dict(
        label="Mice Protein's missing values filled as the authors' code fills them",
        title="the data prepared with the missing-value fill of the authors' code (`data.mice_missing_fill: "
              "authors_code`), every method selected and scored again",
        command="python experiments/data_option_experiment.py --dataset {dataset} --option "
                "mice_missing_fill=authors_code --out {out}",
        ours_method={},
    ),
    "authors-split": dict(
        label="the split sizes of the authors' code (36 / 4 / 60 % for MNIST and MNIST-Fashion, 72 / 8 / 20 % for "
              "COIL-20)",
        title="splits of the sizes the authors' code uses (train / validation / test = 36 / 4 / 60 % for MNIST and "
              "MNIST-Fashion, 72 / 8 / 20 % for COIL-20, instead of 70 / 10 / 20 %), every method selected and "
              "scored again",
        command="python experiments/authors_split.py --dataset {dataset} --out {out}",
        ours_method={},
    ),
    # On Figure 5: LassoNet's accuracy along Figure 5's k, beside ours and the best of the paper's other methods.
    "authors-width": dict(
        figure="figure5",
        label="LassoNet with the one hidden width the authors' run.py gives ISOLET (617 // 3 = 205 units)",
        title="LassoNet with one hidden layer of 205 units, the width the authors' `experiments/run.py` gives ISOLET "
              "(617 // 3), instead of the width searched over [d/3, 2d/3, d, 4d/3]; the same splits and learners",
        command="python experiments/data_option_experiment.py --dataset {dataset} --method-option "
                "'lassonet.hidden_dims=[205]' --methods lassonet --figure5-grid --out {out}",
        ours_method={},
    ),
}


def short_commit(commit):
    """A commit's first 7 characters, with "-dirty" kept: a run made from uncommitted changes says so."""
    return commit[:7] + ("-dirty" if commit.endswith("-dirty") else "")


def on_tables(experiments):
    """The experiments of `experiments` ({name: table}) on table cells, not on a figure."""
    return {name: table for name, table in experiments.items() if "figure" not in EXPERIMENTS[name]}


def figure5_experiment_lines(runs, experiments, dataset, paper_methods, learners):
    """For each experiment on Figure 5 with runs on its data set: how it was made, and per k and learner LassoNet's
    mean accuracy, ours and the experiment's, beside the best of the paper's other methods (`paper_methods`)."""
    lines, others_methods = [], [m for m in paper_methods if m != "lassonet"]
    for name, table in experiments.items():
        spec, rows = EXPERIMENTS[name], table[table["dataset"] == dataset]
        if spec.get("figure") != "figure5" or rows.empty:
            continue
        commit = ", ".join(sorted({short_commit(str(c)) for c in rows["git_commit"]}))
        lines += ["", f"*Experiment `{name}`*: {spec['title']} (commit {commit}). {_how_made(name, spec, rows)}", "",
                  "| k | Learner | LassoNet, ours | LassoNet, experiment (n) | Best of the paper's others |",
                  "|---:|---|---:|---:|---|"]
        ours = seed_statistics(runs[runs["dataset"] == dataset], ["method", "k", "learner"])
        changed = seed_statistics(rows, ["learner", "k"]).sort_values(["learner", "k"])
        firsts, points = [0, 0], 0
        for cell in changed.itertuples():
            at = ours[(ours["k"] == cell.k) & (ours["learner"] == cell.learner)]
            others = at[at["method"].isin(others_methods)]
            mine = at[at["method"] == "lassonet"]
            if others.empty or mine.empty or cell.learner not in learners:
                continue
            best = others.loc[others["mean"].idxmax()]
            firsts[0] += bool(mine["mean"].iloc[0] >= best["mean"])
            firsts[1] += bool(cell.mean >= best["mean"])
            points += 1
            lines.append(f"| {cell.k} | {LEARNER_TITLES.get(cell.learner, cell.learner)} "
                         f"| {format_cell(mine['mean'].iloc[0], mine['std'].iloc[0], mine['n'].iloc[0])} "
                         f"| {format_cell(cell.mean, cell.std, cell.n)} ({cell.n}) "
                         f"| {format_cell(best['mean'], best['std'], best['n'])} ({METHOD_TITLES[best['method']]}) |")
        lines += ["", f"LassoNet's mean is the best of the paper's methods at {firsts[0]} of these {points} points, "
                      f"and with the experiment's change at {firsts[1]}."]
    return lines



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
    experiments = on_tables(experiments)
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
        lines += [f"### {spec['title'][0].upper()}{spec['title'][1:]}", "", _how_made(name, spec, table), "",
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
                         f"| {format_cell(cell.mean, cell.std, cell.n)} ({cell.n}) "
                         f"| {format_number(cell.mean - ours['mean'], sign=True) or '–'} "
                         f"| {bounds} | {inside} |")
        misses = [holds for ours, _, holds in pairs if ours["status"] == "outside"]
        cells_word = "cell" if len(misses) == 1 else "cells"
        lines += ["", f"Of the {len(misses)} {cells_word} here whose paper value lies outside our interval, the "
                  f"experiment's interval holds it for {sum(bool(h) for h in misses)}; {_mean_change(pairs)}", ""]
    return lines


def _mean_change(pairs):
    """How far the experiment moves our mean on average, over the cells that have our mean too."""
    changes = [cell.mean - ours["mean"] for ours, cell, _ in pairs if not pd.isna(ours["mean"])]
    if not changes:
        return "none of its cells has our value yet to compare with."
    cells = (f"all {len(pairs)} cells" if len(changes) == len(pairs)
             else f"the {len(changes)} of its {len(pairs)} cells that have our value too,")
    return (f"over {cells} the experiment moves our mean by "
            f"{format_number(float(np.mean(changes)), sign=True)} on average.")



def _how_made(name, spec, table):
    if table.attrs.get("from_runs"):
        return (f"The protocol's `{spec['from_method']}` runs (`config.yaml`, `extra_methods`), made by "
                "`snakemake --cores all` with every other run.")
    if "from_method" in spec:
        return f"The record's `experiments/{name}-<data set>.csv` (made before `{spec['from_method']}` was a method row)."
    return f"`{spec['command'].format(dataset='<data set>', out=f'results/experiments/{name}-<data set>.csv')}`"


def experiment_status_lines(compared, experiments, confidence=0.95, kind="prediction"):
    """The README's lines on the experiments: per experiment, how many of the misses it covers its interval holds;
    then the misses that no experiment's interval holds."""
    experiments = on_tables(experiments)
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
                     f"to the paper's value changes by {format_number(gap, sign=True)} on average")
    rest = compared[(compared["status"] == "outside")
                    & ~compared.apply(lambda r: (r["dataset"], r["method"], r["learner"]) in held, axis=1)]
    if len(rest):
        named = "; ".join(f"{r.title} / {METHOD_TITLES[r.method]} / {LEARNER_TITLES.get(r.learner, r.learner)}"
                          + (" (every seed scores the same: counted in test rows in the report)" if r.std == 0 else "")
                          for r in rest.itertuples())
        lines.append(f"- no experiment's interval holds the paper's value for: {named}")
    return lines

