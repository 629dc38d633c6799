# LassoNet replication: raw public data -> Tables 1-2, Figures 1-2 and 4-10 and the replication report.
# Thin on purpose: configuration and its validation, the rule files by stage, and the final targets.
import os

from snakemake.utils import min_version

from lassonet_bench.runs.kernels import pin_kernels

min_version("9.0")
pin_kernels()  # the jobs' BLAS kernels: the same numbers on every x86-64 CPU (lassonet_bench.runs.kernels)


configfile: os.path.join(workflow.basedir, "config.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/select.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        runs="results/runs.csv",
        tables=expand(
            "results/tables/{table}.{ext}", table=TABLES, ext=["md", "tex", "csv"]
        ),
        figure=expand("results/figures/figure5.{ext}", ext=["png", "pdf"]),
        critical_difference=expand(
            "results/figures/critical_difference.{ext}", ext=["png", "pdf"]
        ),
        figures=figure_targets(config),
        report="results/replication_report.md",
        record_params="results/record/params.json",
        html_report=expand(
            "results/report/{page}.html",
            page=[*TABLES, "replication_report", "runtimes"],
        ),
        captions=figure_caption_targets(config),
