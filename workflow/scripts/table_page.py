"""Write Table 1 or 2 as an HTML page for the HTML report, and its caption: what it holds, how many of the paper's
cells lie inside our interval."""

import json
import sys
from pathlib import Path

import pandas as pd

from lassonet_bench.reporting import html as html_report
from lassonet_bench.reporting import results
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

params = json.loads(Path(snakemake.input.params).read_text())  # the report's parameters (record_params)
table = snakemake.wildcards.table
runs = pd.read_csv(snakemake.input.runs)
availability = results.read_availability(snakemake.input.fetch)
with atomic_path(snakemake.output.page) as tmp:
    tmp.write_text(html_report.markdown_page(snakemake.input.table, table.replace("table", "Table ")), encoding="utf-8")
with atomic_path(snakemake.output.caption) as tmp:
    tmp.write_text(html_report.table_caption(runs, params, table, availability), encoding="utf-8")
print(f"wrote {snakemake.output.page} and {snakemake.output.caption}")
