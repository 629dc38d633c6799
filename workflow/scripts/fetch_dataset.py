"""checkpoint fetch_dataset: obtain a data set's raw files and write fetch.json; an unavailable data set is not an error."""

import logging

from lassonet_bench.datasets import fetch_report, write_fetch_report

logging.basicConfig(filename=snakemake.log[0], level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
report = fetch_report(snakemake.wildcards.dataset, snakemake.params.raw_dir, snakemake.params.mirror)
logging.info("%s available=%s: %s", snakemake.wildcards.dataset, report["available"], report["reason"])
write_fetch_report(report, snakemake.output.report)
