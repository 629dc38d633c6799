# Stage 3: each downstream learner trained on the selected features (or on all of them, method "all"), one job per
# (data set, method, split seed, k, learner), then every run gathered into the tidy table results/runs.csv.


rule evaluate:
    input:
        unpack(evaluate_inputs),
    output:
        run="results/runs/{dataset}/{method}/seed-{seed}/k-{k}/{learner}.csv",
    log:
        "logs/evaluate/{dataset}/{method}/seed-{seed}/k-{k}/{learner}.log",
    benchmark:
        "results/benchmarks/evaluate/{dataset}/{method}/seed-{seed}/k-{k}/{learner}.tsv"
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: config["threads"]["evaluate"]
    resources:
        mem_mb=lambda wildcards, input: 2000 + 10 * int(input.size_mb),
    params:
        learner_params=lambda wildcards: learner_params(wildcards.learner),
    script:
        "../scripts/evaluate.py"


rule collect_runs:
    input:
        unpack(collect_inputs),
    output:
        runs="results/runs.csv",
    log:
        "logs/collect_runs.log",
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        table=collect_table,
        schema=RUNS_SCHEMA,
    script:
        "../scripts/collect_runs.py"
