"""Write the HTML report's run-time page (wall time, CPU time, peak memory per rule) and its caption."""

import sys

from lassonet_bench.reporting import html as html_report
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

folders = snakemake.params.benchmark_dirs
with atomic_path(snakemake.output.page) as tmp:
    tmp.write_text(html_report.runtime_page(folders), encoding="utf-8")
with atomic_path(snakemake.output.caption) as tmp:
    tmp.write_text(html_report.runtime_caption(folders), encoding="utf-8")
print(f"wrote {snakemake.output.page}")
