"""Write the replication report as a self-contained HTML page (its figures embedded) for the HTML report."""

import sys

from lassonet_bench.reporting import html as html_report
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

with atomic_path(snakemake.output.page) as tmp:
    tmp.write_text(html_report.markdown_page(snakemake.input.report, "Replication report"), encoding="utf-8")
print(f"wrote {snakemake.output.page}")
