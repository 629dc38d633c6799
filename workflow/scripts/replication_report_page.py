"""Write the replication report as a self-contained HTML page (its figures embedded) for the HTML report, and the
report's front page (what ran, what is unavailable and why, the claims' verdicts; workflow/report/workflow.rst)."""

import sys
from pathlib import Path

import pandas as pd

from lassonet_bench.reporting import html as html_report
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

with atomic_path(snakemake.output.page) as tmp:
    tmp.write_text(html_report.markdown_page(snakemake.input.report, "Replication report"), encoding="utf-8")
report = Path(snakemake.input.report).read_text(encoding="utf-8")
with atomic_path(snakemake.output.front_page) as tmp:
    tmp.write_text(html_report.front_page(report, pd.read_csv(snakemake.input.runs)), encoding="utf-8")
print(f"wrote {snakemake.output.page} and {snakemake.output.front_page}")
