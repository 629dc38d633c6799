"""Draw Figure 5 (accuracy against the number of selected features) from results/runs.csv."""

import sys

import pandas as pd

from lassonet_bench import report

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

p = snakemake.params
availability = report.read_availability(snakemake.input.fetch)
dataset, note = report.figure5_choice(p.candidates, availability, p.titles, with_reason=False)
title = None if dataset is None else p.titles[dataset]
figure = report.plot_figure5(pd.read_csv(snakemake.input.runs), dataset, p.methods, p.learners, title, note)
report.save_figure(figure, snakemake.output.png, snakemake.output.pdf)
print(f"Figure 5 drawn for {dataset!r}. {note}")
