# Stage 2: feature selection, one job per (data set, method, split seed), and per k for the methods whose selection
# is not nested (their k features are not the top k of one ranking). The methods whose selector trains a network
# (LassoNet) ask for a GPU (resources: gpu=1; the profiles map it), the others run on CPU.


rule select_ranking:
    input:
        data="results/data/{dataset}.npz",
        split="results/data/{dataset}/split-{seed}.npz",
    output:
        selection="results/selections/{dataset}/{method}/seed-{seed}.json",
    log:
        "logs/select/{dataset}/{method}/seed-{seed}.log",
    benchmark:
        "results/benchmarks/select/{dataset}/{method}/seed-{seed}.tsv"
    wildcard_constraints:
        method=CPU_METHODS,
    conda:
        "../../envs/lassonet-bench.yaml"
    threads: config["threads"]["select"]
    resources:
        mem_mb=lambda wildcards, input: 2000 + 40 * int(input.size_mb),
    params:
        n_features_to_select=lambda wildcards: min(
            selection_ks(wildcards.dataset, wildcards.method)
        ),
        method_params=lambda wildcards: method_params(wildcards.method),
    script:
        "../scripts/select_features.py"


use rule select_ranking as select_subset with:
    output:
        selection="results/selections/{dataset}/{method}/seed-{seed}/k-{k}.json",
    log:
        "logs/select/{dataset}/{method}/seed-{seed}/k-{k}.log",
    benchmark:
        "results/benchmarks/select/{dataset}/{method}/seed-{seed}/k-{k}.tsv"
    params:
        n_features_to_select=lambda wildcards: int(wildcards.k),
        method_params=lambda wildcards: method_params(wildcards.method),


use rule select_ranking as select_lassonet_ranking with:
    wildcard_constraints:
        method=NETWORK_METHODS,
    threads: config["threads"]["select_lassonet"]
    resources:
        mem_mb=lambda wildcards, input: 4000 + 20 * int(input.size_mb),
        gpu=1,


use rule select_subset as select_lassonet_subset with:
    wildcard_constraints:
        method=NETWORK_METHODS,
    threads: config["threads"]["select_lassonet"]
    resources:
        mem_mb=lambda wildcards, input: 4000 + 20 * int(input.size_mb),
        gpu=1,
