# Stage 1: the data layer. fetch (offline mirror first, then the canonical URLs; checksums) -> prepare (the authors'
# preprocessing, Table 1's shape) -> split (70/10/20 per seed, stratified). All three are cheap: local rules.
# fetch_dataset is a checkpoint that always succeeds for a data set it cannot obtain (fetch.json says
# "available": false and why), so that the rest of the DAG goes on without it. fetch.json's "files": for an available
# data set {name, path, sha256, source, verified} per raw file, else {name, mirror_path, urls} per file needed.
# A checksum mismatch is not "unavailable": the checkpoint fails, naming the file and both sums.
# Config: data.mirror (null = shared/datasets beside the repository; relative paths are taken from the repository;
# $LASSONET_BENCH_MIRROR overrides), data.max_samples (null = full data; else a stratified, seeded subsample of at
# most that many rows), data.mice_missing_fill ("class_mean", the default, or "authors_code").
from lassonet_bench.datasets import (
    REGISTRY,
    mirror_label,
    prepare_options,
    resolve_mirror,
)

DATA_CONFIG = config.get("data", {})
DATA_DATASETS = "|".join(sorted(REGISTRY))


localrules:
    fetch_dataset,
    prepare_dataset,
    split_dataset,


checkpoint fetch_dataset:
    output:
        report="results/raw/{dataset}/fetch.json",
    log:
        "logs/data/fetch/{dataset}.log",
    wildcard_constraints:
        dataset=DATA_DATASETS,
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        raw_dir=lambda wildcards: f"results/raw/{wildcards.dataset}",
        mirror=str(resolve_mirror(DATA_CONFIG.get("mirror"), workflow.basedir)),
        mirror_name=mirror_label(DATA_CONFIG.get("mirror")),
    script:
        "../scripts/fetch_dataset.py"


rule prepare_dataset:
    input:
        fetch="results/raw/{dataset}/fetch.json",
    output:
        dataset="results/data/{dataset}.npz",
    log:
        "logs/data/prepare/{dataset}.log",
    wildcard_constraints:
        dataset=DATA_DATASETS,
    conda:
        "../../envs/lassonet-bench.yaml"
    params:
        raw_dir=lambda wildcards: f"results/raw/{wildcards.dataset}",
        max_samples=DATA_CONFIG.get("max_samples"),
        options=lambda wildcards: prepare_options(wildcards.dataset, DATA_CONFIG),
    script:
        "../scripts/prepare_dataset.py"


rule split_dataset:
    input:
        dataset="results/data/{dataset}.npz",
    output:
        split="results/data/{dataset}/split-{seed}.npz",
    log:
        "logs/data/split/{dataset}/split-{seed}.log",
    wildcard_constraints:
        dataset=DATA_DATASETS,
        seed=r"\d+",
    conda:
        "../../envs/lassonet-bench.yaml"
    script:
        "../scripts/split_dataset.py"
