"""The replication report's section on the figures: for each figure drawn, its title, what the paper's figure shows
(or that it is beyond the paper), our numbers read from its tables, and the figure itself. Figure 5, which the
tables' runs draw, comes in as text and takes its place in the paper's order."""

import os

from lassonet_bench.experiments.registry import FIGURES, resolve, table_paths
from lassonet_bench.plots import read_tables
from lassonet_bench.reporting.misses import short_commit


def figures_report_section(figures, report_dir, heading_level=2, experiments=None, figure5=None):
    """Markdown for `figures` ({name: (PNG path, {role: table path})}, in the order given); the image links are
    relative to `report_dir`, the PDF beside each PNG. `experiments` ({name: [(experiment, {role: table path})]},
    `experiment` a dict of `experiments/figure_experiment.py`'s experiment.yaml) adds the figure's numbers read from
    each experiment's tables. `figure5`: Figure 5's Markdown, put before the first figure that comes after it."""
    hashes = "#" * heading_level
    parts = [f"{hashes} Figures, in the paper's order and then beyond it\n"]
    for name, (png, tables) in figures.items():
        figure = FIGURES[name]
        if figure5 is not None and _after_figure5(name, figure):
            parts.append(figure5.strip("\n") + "\n")
            figure5 = None
        label = "Beyond the paper" if figure.beyond_the_paper else "The paper's figure"
        parts.append(f"{hashes}# {figure.title}\n\n*{label}.* {figure.description}\n")
        if figure.numbers:
            parts.append(f"*Ours.* {resolve(figure.numbers)(**read_tables(tables))}\n")
            parts += [experiment_paragraph(figure, *experiment) for experiment in (experiments or {}).get(name, [])]
        link = os.path.relpath(png, report_dir)
        parts.append(f"![{figure.title}]({link}) ([PDF]({os.path.splitext(link)[0]}.pdf))\n")
    if figure5 is not None:
        parts.append(figure5.strip("\n") + "\n")
    return "\n".join(parts)


def _after_figure5(name, figure):
    return figure.beyond_the_paper or int(name.removeprefix("figure")) > 5


def experiment_paragraph(figure, experiment, tables):
    """One experiment on a figure: its question, the settings it changed, its cost and the figure's numbers."""
    settings = ", ".join(f"{key}: {value}" for key, value in experiment["settings"].items())
    commit = short_commit(experiment["git_commit"])
    return (f"*Experiment `{experiment['name']}`* ({settings}; commit {commit}, "
            f"{experiment['compute_cpu_s']:.0f} CPU s). {experiment['why']} "
            f"{resolve(figure.numbers)(**read_tables(tables))}\n")


def declared_figures(names, figure_files, tables_folders):
    """{name: (PNG path, {role: table path})} from a rule's declared inputs: the figures' names, their files as
    `figure_targets` lists them (each PNG, then its PDF, in the order of `names`) and their tables' folders."""
    pngs = list(figure_files)[::2]
    return {name: (png, table_paths(name, folder)) for name, png, folder in zip(names, pngs, tables_folders, strict=True)}
