"""Draw Figure 5 (accuracy against the number of selected features) from results/runs.csv."""

import json
import logging
from pathlib import Path

import pandas as pd

from lassonet_bench.record import rendering as record
from lassonet_bench.reporting import results
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])

params = json.loads(Path(snakemake.input.params).read_text())  # the report's parameters (record_params)
availability = results.read_availability(snakemake.input.fetch)
runs = pd.read_csv(snakemake.input.runs)
record.render_figure5(runs, params, availability, snakemake.output.png, snakemake.output.pdf)
logging.info("Figure 5 drawn: %s", snakemake.output.png)
