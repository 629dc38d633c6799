"""Render Table 1 or 2 (Markdown, LaTeX, CSV) from results/runs.csv and the data sets' fetch status."""

import logging

import pandas as pd

from lassonet_bench.record import rendering as record
from lassonet_bench.reporting import results
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])

out = snakemake.output
table = record.render_table(
    pd.read_csv(snakemake.input.runs),
    snakemake.params.report,
    snakemake.params.learner,
    int(snakemake.wildcards.table.removeprefix("table")),
    results.read_availability(snakemake.input.fetch),
    {"md": out.markdown, "tex": out.latex, "csv": out.csv},
)
logging.info("%s", table)
