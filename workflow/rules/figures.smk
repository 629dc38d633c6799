# The paper's figures other than Figure 5 (Figures 1-2, 4, 6-10) and, beyond the paper, conv_filters and
# survival: each is declared once in lassonet_bench.experiments.registry (settings, compute, plot, report text,
# resources). One compute rule serves every figure: it writes the figure's tidy tables into
# results/figures/data/<figure>/ (log, benchmark; gpu=1 for the neural ones); one local plot rule draws
# results/figures/<figure>.{png,pdf} from those tables only, so restyling never refits a model.
# Settings: config["figures"] over each figure's defaults (unknown keys are errors).
# figure_targets(config) (imported here from the library, so this file defines no function) lists the outputs.
from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.experiments.settings import (
    check_figures_config,
    compute_options,
    data_inputs,
    figure_targets,
    figures_to_draw,
    tables_folder,
)
from lassonet_bench.reporting.captions import report_category, report_labels

check_figures_config(config)
FIGURES_DEVICE = (config.get("figures") or {}).get("device", "auto")


localrules:
    plot_figure,


rule figure_compute:
    input:
        unpack(lambda wildcards: data_inputs(config, wildcards.figure)),
    output:
        tables=directory(tables_folder("{figure}")),
    log:
        "logs/figures/{figure}_compute.log",
    benchmark:
        "results/benchmarks/figures/{figure}_compute.tsv"
    wildcard_constraints:
        figure="|".join(FIGURES),
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: lambda wildcards: FIGURES[wildcards.figure].threads
    resources:
        gpu=lambda wildcards: int(FIGURES[wildcards.figure].gpu),
    params:
        options=lambda wildcards: compute_options(config, wildcards.figure),
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure_compute.py"


rule plot_figure:
    input:
        tables=tables_folder("{figure}"),
    output:
        png=report(
            "results/figures/{figure}.png",
            caption="../report/figure.rst",
            category=lambda wildcards: report_category(wildcards.figure),
            labels=lambda wildcards: report_labels(wildcards.figure),
        ),
        pdf="results/figures/{figure}.pdf",
    log:
        "logs/figures/{figure}_plot.log",
    wildcard_constraints:
        figure="|".join(FIGURES),
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/figure_plot.py"
