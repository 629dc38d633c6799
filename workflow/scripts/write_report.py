"""Write results/replication_report.md: every published cell beside ours, the tables, Figure 5, the
critical-difference diagram and the other figures (with what the paper's figure shows and our numbers), each figure
from the files this rule declares."""

import logging

import pandas as pd

from lassonet_bench.record import rendering as record
from lassonet_bench.reporting import results
from lassonet_bench.reporting.figures_section import declared_figures
from lassonet_bench.io import atomic_path
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])

output = snakemake.output.report
availability = results.read_availability(snakemake.input.fetch)
runs = pd.read_csv(snakemake.input.runs)
params = snakemake.params.report
diagram = snakemake.input.critical_difference if record.benchmark_verdict(runs, params) is not None else None
figures = declared_figures(snakemake.params.figures, snakemake.input.other_figures, snakemake.input.figure_tables)
text = record.render_report(runs, params, availability, output, snakemake.input.figures[0], critical_difference=diagram,
                            figures=figures)
with atomic_path(output) as tmp:
    tmp.write_text(text, encoding="utf-8")
logging.info("wrote %s", output)
