"""Write the parameters the tables and the report are drawn with, for the replication record."""

import json
import sys

from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

with atomic_path(snakemake.output.params) as tmp:
    tmp.write_text(json.dumps(snakemake.params.report, indent=1, sort_keys=True) + "\n")
