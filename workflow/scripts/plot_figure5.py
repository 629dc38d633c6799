"""Draw Figure 5 (accuracy against the number of selected features) from results/runs.csv."""

import logging

import pandas as pd

from lassonet_bench.record import rendering as record
from lassonet_bench.reporting import results
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])

availability = results.read_availability(snakemake.input.fetch)
runs = pd.read_csv(snakemake.input.runs)
record.render_figure5(runs, snakemake.params.report, availability, snakemake.output.png, snakemake.output.pdf)
logging.info("Figure 5 drawn: %s", snakemake.output.png)
