"""checkpoint fetch_dataset: obtain a data set's raw files and write fetch.json; an unavailable data set is not an error."""

import logging

from lassonet_bench.datasets import fetch_report, write_fetch_report
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])
report = fetch_report(
    snakemake.wildcards.dataset, snakemake.params.raw_dir, snakemake.params.mirror, snakemake.params.mirror_name
)
logging.info("%s available=%s: %s", snakemake.wildcards.dataset, report["available"], report["reason"])
write_fetch_report(report, snakemake.output.report)
