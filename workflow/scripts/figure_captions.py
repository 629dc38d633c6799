"""Write the HTML report's caption of every figure: Figure 5's from runs.csv, the others' from their entries in the
replication report's figures section (what the paper's figure shows, our numbers)."""

import os
import sys
from pathlib import Path

import pandas as pd

from lassonet_bench.reporting import html as html_report
from lassonet_bench.reporting import results
from lassonet_bench.reporting.figures_section import declared_figures
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

figures = declared_figures(snakemake.params.figures, snakemake.input.figures, snakemake.input.figure_tables)
# The captions' image links are relative to results/, as the replication report's are.
captions = html_report.figure_captions(
    figures, os.path.dirname(os.path.dirname(snakemake.input.figure5)), settings=snakemake.params.settings
)
captions["figure5"] = html_report.figure5_caption(
    pd.read_csv(snakemake.input.runs), snakemake.params.report, results.read_availability(snakemake.input.fetch)
)
for path in snakemake.output.captions:
    name = Path(path).stem
    if name not in captions:
        raise ValueError(f"figure {name!r} has no entry in the replication report's figures section to caption it")
    with atomic_path(path) as tmp:
        tmp.write_text(captions[name], encoding="utf-8")
    print(f"wrote {path}")
