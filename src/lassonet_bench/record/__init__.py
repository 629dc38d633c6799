"""The replication record: a tracked folder that holds the runs of the full protocol and everything drawn from them.

    python -m lassonet_bench.record make                          # the whole record at this commit (make.py)
    python -m lassonet_bench.record save-progress --to <folder>   # a part of it, to resume elsewhere (progress.py)
    python -m lassonet_bench.record export --results results [more results folders] --to replication
    python -m lassonet_bench.record render replication            # tables, report and summary, from runs.csv
    python -m lassonet_bench.record readme                        # the README's status block from STATUS.md
    python -m lassonet_bench.record check                         # recompute the guarded slice (drift.py)
    python -m lassonet_bench.record html replication --out page.html  # the report as one web page

`export` gathers the finished runs of one or more results folders (one run may be spread over several checkouts,
e.g. the baselines in one and LassoNet in another), with the Snakemake benchmark figures of their jobs, the data
sets' fetch status, the report's parameters (`results/record/params.json`, written by the workflow's
`record_params` rule, so they are declared once, in the rules) and a per-rule summary of the benchmark files, then
renders. `render` draws Tables 1-2, Figure 5, the replication report and the status summary from those files
alone: rendering the committed record again gives the committed files byte for byte (a test checks this).
"""

from lassonet_bench.record.gathering import (
    export,
    export_figures,
    finished_runs,
    run_file,
    run_row,
    take_slice,
    written_ranges,
)
from lassonet_bench.record.rendering import (
    read_experiments,
    readme_with_status,
    render,
    render_report,
    render_table,
    status_summary,
    write_experiment,
)

__all__ = ["export", "export_figures", "finished_runs", "read_experiments", "readme_with_status", "render",
           "render_report", "render_table", "run_file", "run_row", "status_summary", "take_slice", "write_experiment",
           "written_ranges"]
