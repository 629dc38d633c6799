# Stage 4: Tables 1-2, Figure 5 and the replication report, rendered from results/runs.csv alone (plus each data
# set's fetch.json, which says why an unavailable one is missing; the report also shows the figures of figures.smk).
# Cheap: run on the submitting machine.


localrules:
    collect_runs,
    render_tables,
    plot_figure5,
    write_report,
    record_params,


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


rule plot_figure5:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
    output:
        png="results/figures/figure5.png",
        pdf="results/figures/figure5.pdf",
    log:
        "logs/report/figure5.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        report=report_params(),
    script:
        "../scripts/plot_figure5.py"


rule write_report:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
        figures=expand("results/figures/figure5.{ext}", ext=["png", "pdf"]),
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
