"""Draw Figure 5 (accuracy against the number of selected features) from results/runs.csv."""

import sys

import pandas as pd

from lassonet_bench import record, report

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

availability = report.read_availability(snakemake.input.fetch)
runs = pd.read_csv(snakemake.input.runs)
record.render_figure5(runs, snakemake.params.report, availability, snakemake.output.png, snakemake.output.pdf)
print(f"Figure 5 drawn: {snakemake.output.png}")
