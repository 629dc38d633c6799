# Stage 4: Tables 1-2, Figure 5 and the replication report, rendered from results/runs.csv alone (plus each data
# set's fetch.json, which says why an unavailable one is missing; the report also shows the figures of figures.smk).
# Cheap: run on the submitting machine.


localrules:
    collect_runs,
    render_tables,
    plot_figure5,
    write_report,


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
        datasets=TABLE_DATASETS,
        extra_datasets=config["extra_datasets"],
        methods=TABLE_METHODS,
        n_features_to_select=K,
        titles=dataset_titles(),
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
        candidates=FIGURE5_CANDIDATES,
        methods=FIGURE5["methods"],
        learners=LEARNERS,
        titles=dataset_titles(),
    script:
        "../scripts/plot_figure5.py"


rule write_report:
    input:
        runs="results/runs.csv",
        fetch=fetch_files(),
        figures=expand("results/figures/figure5.{ext}", ext=["png", "pdf"]),
        other_figures=figure_targets(config),
        tables=expand("results/tables/{table}.md", table=TABLES),
    output:
        report="results/replication_report.md",
    log:
        "logs/report/replication_report.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        datasets=TABLE_DATASETS,
        extra_datasets=config["extra_datasets"],
        methods=TABLE_METHODS,
        learners=LEARNERS,
        table_learners=TABLE_LEARNERS,
        n_features_to_select=K,
        figure5_candidates=FIGURE5_CANDIDATES,
        titles=dataset_titles(),
        interval=config["report"]["interval"],
        confidence=config["report"]["confidence"],
    script:
        "../scripts/write_report.py"
