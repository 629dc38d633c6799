"""Write results/replication_report.md: every published cell beside ours, the tables, Figure 5 and the other
figures (with what the paper's figure shows and our numbers)."""

import os
import sys

import pandas as pd

from lassonet_bench import report
from lassonet_bench.figures.report_section import figures_report_section
from lassonet_bench.io import atomic_path

sys.stderr = sys.stdout = open(snakemake.log[0], "w", buffering=1)

p = snakemake.params
availability = report.read_availability(snakemake.input.fetch)
dataset, note = report.figure5_choice(p.figure5_candidates, availability, p.titles)
output = snakemake.output.report
text = report.replication_report(
    pd.read_csv(snakemake.input.runs),
    report.load_published(),
    p.table_learners,
    p.datasets,
    p.extra_datasets,
    p.titles,
    availability,
    p.methods,
    p.learners,
    p.n_features_to_select,
    dataset,
    note,
    figure_path=os.path.relpath(snakemake.input.figures[0], os.path.dirname(output)),
    confidence=p.confidence,
    kind=p.interval,
)
if snakemake.input.other_figures:
    text = text.rstrip("\n") + "\n\n" + figures_report_section(os.path.join(os.path.dirname(output), "figures"))
with atomic_path(output) as tmp:
    tmp.write_text(text, encoding="utf-8")
print(f"wrote {output}")
