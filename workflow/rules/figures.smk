# The paper's figures other than Figure 5 (issue 7): Figures 1-2 (supervised paths on Mice Protein and
# MNIST 5 against 6), Figure 4 (the path on Boston + noise), Figures 6-9
# (unsupervised LassoNet on MNIST), Figure 10 (matrix completion on Mice Protein), and beyond the paper
# conv_filters (convolutional LassoNet against magnitude pruning on MNIST, issue 18). Compute rules write
# tidy tables under results/figures/data/ (log, benchmark, gpu=1 for the neural ones); plot rules are local and
# draw results/figures/figure<N>.{png,pdf} from those tables only, so restyling never refits a model.
# Settings: config["figures"] over lassonet_bench.figures.settings.FIGURE_DEFAULTS (unknown keys are errors).
# figure_targets(config) (imported here from the library, so this file defines no function) lists the outputs.
from lassonet_bench.figures.settings import (
    figure_settings,
    figure_tables,
    figure_targets,
)
from lassonet_bench.html_report import figure_category

FIGURES_CONFIG = config.get("figures") or {}
FIGURES_DEVICE = FIGURES_CONFIG.get("device", "auto")
FIGURE4 = figure_settings(config, "figure4")
FIGURE10 = figure_settings(config, "figure10")
FIGURE6 = figure_settings(config, "figure6")
DIGITS = figure_settings(config, "digits")
FIGURE1 = figure_settings(config, "figure1")
FIGURE2 = figure_settings(config, "figure2")
CONV_FILTERS = figure_settings(config, "conv_filters")
SURVIVAL = figure_settings(config, "survival")
FIGURE_TABLES = figure_tables(config)


localrules:
    plot_figure,


rule figure4_compute:
    input:
        dataset=f"results/data/{FIGURE4['dataset']}.npz",
        split=f"results/data/{FIGURE4['dataset']}/split-{FIGURE4['seed']}.npz",
    output:
        **FIGURE_TABLES["figure4"],
    log:
        "logs/figures/figure4_compute.log",
    benchmark:
        "benchmarks/figures/figure4_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=FIGURE4,
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure4_compute.py"


rule figure10_compute:
    input:
        dataset=f"results/data/{FIGURE10['dataset']}.npz",
    output:
        **FIGURE_TABLES["figure10"],
    log:
        "logs/figures/figure10_compute.log",
    benchmark:
        "benchmarks/figures/figure10_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=FIGURE10,
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure10_compute.py"


rule figure6_compute:
    input:
        dataset=f"results/data/{FIGURE6['dataset']}.npz",
        split=f"results/data/{FIGURE6['dataset']}/split-{FIGURE6['seed']}.npz",
    output:
        **FIGURE_TABLES["figure6"],
    log:
        "logs/figures/figure6_compute.log",
    benchmark:
        "benchmarks/figures/figure6_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=FIGURE6,
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure6_compute.py"


rule figure_digit_compute:
    input:
        dataset=f"results/data/{DIGITS['dataset']}.npz",
        split=f"results/data/{DIGITS['dataset']}/split-{DIGITS['seed']}.npz",
    output:
        pixels="results/figures/data/{figure}_pixels.npz",
        path="results/figures/data/{figure}_path.csv",
    log:
        "logs/figures/{figure}_compute.log",
    benchmark:
        "benchmarks/figures/{figure}_compute.tsv"
    wildcard_constraints:
        figure="|".join(DIGITS["figure_digits"]),
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=DIGITS,
        digit=lambda wildcards: DIGITS["figure_digits"][wildcards.figure],
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure_digit_compute.py"


rule figure1_compute:
    input:
        dataset=f"results/data/{FIGURE1['dataset']}.npz",
        split=f"results/data/{FIGURE1['dataset']}/split-{FIGURE1['seed']}.npz",
    output:
        **FIGURE_TABLES["figure1"],
    log:
        "logs/figures/figure1_compute.log",
    benchmark:
        "benchmarks/figures/figure1_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=FIGURE1,
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure1_compute.py"


rule figure2_compute:
    input:
        dataset=f"results/data/{FIGURE2['dataset']}.npz",
        split=f"results/data/{FIGURE2['dataset']}/split-{FIGURE2['seed']}.npz",
    output:
        **FIGURE_TABLES["figure2"],
    log:
        "logs/figures/figure2_compute.log",
    benchmark:
        "benchmarks/figures/figure2_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=FIGURE2,
        device=FIGURES_DEVICE,
    script:
        "../scripts/figure2_compute.py"


rule conv_filters_compute:
    input:
        dataset=f"results/data/{CONV_FILTERS['dataset']}.npz",
        split=f"results/data/{CONV_FILTERS['dataset']}/split-{CONV_FILTERS['seed']}.npz",
    output:
        **FIGURE_TABLES["conv_filters"],
    log:
        "logs/figures/conv_filters_compute.log",
    benchmark:
        "benchmarks/figures/conv_filters_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    resources:
        gpu=1,
    params:
        options=CONV_FILTERS,
        device=FIGURES_DEVICE,
    script:
        "../scripts/conv_filters_compute.py"


# No input: the survival data set ships inside scikit-survival. Full-batch paths on ~140 rows gain nothing from a
# GPU, so this trains on the CPU whatever figures.device says.
rule survival_compute:
    output:
        **FIGURE_TABLES["survival"],
    log:
        "logs/figures/survival_compute.log",
    benchmark:
        "benchmarks/figures/survival_compute.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: 1
    params:
        options=SURVIVAL,
    script:
        "../scripts/survival_compute.py"


rule plot_figure:
    input:
        unpack(lambda wildcards: FIGURE_TABLES[wildcards.figure]),
    output:
        png=report(
            "results/figures/{figure}.png",
            caption="../report/figure.rst",
            category=lambda wildcards: figure_category(wildcards.figure),
        ),
        pdf="results/figures/{figure}.pdf",
    log:
        "logs/figures/{figure}_plot.log",
    wildcard_constraints:
        figure="|".join(FIGURE_TABLES),
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/figure_plot.py"
