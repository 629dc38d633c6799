"""Render Table 1 or 2 (Markdown, LaTeX, CSV) from results/runs.csv and the data sets' fetch status."""

import sys

import pandas as pd

from lassonet_bench import report

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

p = snakemake.params
table = report.build_table(
    pd.read_csv(snakemake.input.runs),
    p.learner,
    p.datasets,
    p.methods,
    p.n_features_to_select,
    report.read_availability(snakemake.input.fetch),
    p.titles,
    p.extra_datasets,
)
number = int(snakemake.wildcards.table.removeprefix("table"))
caption = report.table_caption(number, p.learner, p.n_features_to_select, table, p.methods)
out = snakemake.output
report.write_table(table, p.methods, caption, f"tab:{snakemake.wildcards.table}", out.markdown, out.latex, out.csv)
print(report.table_markdown(table, p.methods, caption))
