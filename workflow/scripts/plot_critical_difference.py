"""Draw the critical-difference diagram of the methods across data sets from results/runs.csv, and its caption."""

import json
import logging
from pathlib import Path

import pandas as pd

from lassonet_bench.io import atomic_path
from lassonet_bench.logs import log_to
from lassonet_bench.record import rendering as record
from lassonet_bench.reporting import html as html_report

log_to(snakemake.log[0])

runs = pd.read_csv(snakemake.input.runs)
params = json.loads(Path(snakemake.input.params).read_text())  # the report's parameters (record_params)
record.render_critical_difference(runs, params, snakemake.output.png, snakemake.output.pdf)
with atomic_path(snakemake.output.caption) as tmp:
    tmp.write_text(html_report.critical_difference_caption(record.benchmark_verdict(runs, params)), encoding="utf-8")
logging.info("critical-difference diagram drawn: %s", snakemake.output.png)
