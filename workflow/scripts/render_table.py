"""Render Table 1 or 2 (Markdown, LaTeX, CSV) from results/runs.csv and the data sets' fetch status."""

import sys

import pandas as pd

from lassonet_bench import record, report

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

out = snakemake.output
table = record.render_table(
    pd.read_csv(snakemake.input.runs),
    snakemake.params.report,
    snakemake.params.learner,
    int(snakemake.wildcards.table.removeprefix("table")),
    report.read_availability(snakemake.input.fetch),
    {"md": out.markdown, "tex": out.latex, "csv": out.csv},
)
print(table)
