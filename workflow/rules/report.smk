# Stage 4: Tables 1-2, Figure 5 and the replication report, rendered from results/runs.csv alone (plus each data
# set's fetch.json, which says why an unavailable one is missing; the report also shows the figures of figures.smk).
# Cheap: run on the submitting machine.
from lassonet_bench.reporting.captions import (
    CAPTIONS_DIR,
    figure_caption_targets,
    report_category,
    report_labels,
)


localrules:
    collect_runs,
    render_tables,
    plot_figure5,
    plot_critical_difference,
    write_report,
    record_params,
    table_page,
    replication_report_page,
    figure_captions,
    runtime_summary,


rule render_tables:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
    output:
        markdown="results/tables/{table}.md",
        latex="results/tables/{table}.tex",
        csv="results/tables/{table}.csv",
    log:
        "logs/report/{table}.log",
    wildcard_constraints:
        table="table1|table2",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        learner=lambda wildcards: TABLE_LEARNERS[wildcards.table],
        report=report_params(),
    script:
        "../scripts/render_table.py"


# The rules whose outputs the HTML report shows read the report's parameters from params.json, not from params:
# the report prints a job's params raw beside its result; the captions give the settings as small tables instead.
rule plot_figure5:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
        params="results/record/params.json",
    output:
        png=report(
            "results/figures/figure5.png",
            caption="../report/figure.rst",
            category=report_category("figure5"),
            labels=report_labels("figure5"),
        ),
        pdf="results/figures/figure5.pdf",
    log:
        "logs/report/figure5.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/plot_figure5.py"


# The methods' mean ranks across data sets (Friedman and Nemenyi tests), with the caption of the HTML report.
rule plot_critical_difference:
    input:
        runs="results/runs.csv",
        params="results/record/params.json",
    output:
        png=report(
            "results/figures/critical_difference.png",
            caption="../report/figure.rst",
            category=report_category("critical_difference"),
            labels=report_labels("critical_difference"),
        ),
        pdf="results/figures/critical_difference.pdf",
        caption=f"{CAPTIONS_DIR}/critical_difference.html",
    log:
        "logs/report/critical_difference.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/plot_critical_difference.py"


rule write_report:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
        figures=expand("results/figures/figure5.{ext}", ext=["png", "pdf"]),
        critical_difference="results/figures/critical_difference.png",
        other_figures=figure_targets(config),
        figure_tables=expand(tables_folder("{figure}"), figure=figures_to_draw(config)),
        tables=expand("results/tables/{table}.md", table=TABLES),
    output:
        report="results/replication_report.md",
    log:
        "logs/report/replication_report.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        report=report_params(),
        figures=figures_to_draw(config),
    script:
        "../scripts/write_report.py"


# The parameters above, for the replication record (python -m lassonet_bench.record export ...).
rule record_params:
    input:
        fetch=fetch_files(),
    output:
        params="results/record/params.json",
    log:
        "logs/report/record_params.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        report=report_params(),
    script:
        "../scripts/record_params.py"


# Snakemake's HTML report (`snakemake --report results/report.html`): the pages it shows beside the figures, and the
# caption fragments that workflow/report/*.rst pull in (every result-dependent sentence, drawn from the tidy tables).
rule table_page:
    input:
        table="results/tables/{table}.md",
        runs="results/runs.csv",
        fetch=fetch_files(),
        params="results/record/params.json",
    output:
        page=report(
            "results/report/{table}.html",
            caption="../report/table.rst",
            category=lambda wildcards: report_category(wildcards.table),
            labels=lambda wildcards: report_labels(wildcards.table),
        ),
        caption="results/report/captions/{table}.html",
    log:
        "logs/report/{table}_page.log",
    wildcard_constraints:
        table="table1|table2",
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/table_page.py"


rule replication_report_page:
    input:
        report="results/replication_report.md",
        runs="results/runs.csv",
    output:
        page=report(
            "results/report/replication_report.html",
            caption="../report/replication_report.rst",
            category=report_category("replication_report"),
            labels=report_labels("replication_report"),
        ),
        front_page=f"{CAPTIONS_DIR}/front_page.html",
    log:
        "logs/report/replication_report_page.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/replication_report_page.py"


rule figure_captions:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
        figure5="results/figures/figure5.png",
        figures=figure_targets(config),
        figure_tables=expand(tables_folder("{figure}"), figure=figures_to_draw(config)),
    output:
        captions=figure_caption_targets(config),
    log:
        "logs/report/figure_captions.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        report=report_params(),
        figures=figures_to_draw(config),
        settings={
            name: compute_options(config, name) for name in figures_to_draw(config)
        },
    script:
        "../scripts/figure_captions.py"


# After every job that writes a benchmark file: the runs (runs.csv) and the figures' compute rules.
rule runtime_summary:
    input:
        runs="results/runs.csv",
        figures=figure_targets(config),
    output:
        page=report(
            "results/report/runtimes.html",
            caption="../report/runtimes.rst",
            category=report_category("runtimes"),
            labels=report_labels("runtimes"),
        ),
        caption="results/report/captions/runtimes.html",
    log:
        "logs/report/runtime_summary.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        benchmark_dirs=["results", "."],
    script:
        "../scripts/runtime_summary.py"
