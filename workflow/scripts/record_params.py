"""Write the parameters the tables and the report are drawn with, for the replication record."""

import json

from lassonet_bench.io import atomic_path
from lassonet_bench.logs import log_to

log_to(snakemake.log[0])

with atomic_path(snakemake.output.params) as tmp:
    tmp.write_text(json.dumps(snakemake.params.report, indent=1, sort_keys=True) + "\n")
