# Helpers shared by the rules: configuration (validation, preset), wildcard constraints, and the input functions
# that turn the configuration and the data sets' availability into the jobs of the DAG.
import copy
import inspect
import json
from pathlib import Path

from snakemake.utils import validate

from lassonet_bench import learners
from lassonet_bench.runs import checks
from lassonet_bench.schemas import config_schema, schema_file
from lassonet_bench.selectors import methods, trains_a_network

SCHEMAS = Path(workflow.basedir) / "workflow" / "schemas"
RUNS_SCHEMA = str(SCHEMAS / "runs.schema.yaml")


def deep_merge(base, overrides):
    """Return a copy of `base` with the mappings of `overrides` merged in, key by key."""
    merged = copy.deepcopy(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def validate_config():
    """Validate (and complete with defaults) the configuration against the schema completed from the registries."""
    with schema_file(config_schema(SCHEMAS / "config.schema.yaml")) as path:
        validate(config, path)


validate_config()
if config["preset"] != "full":
    if config["preset"] not in config["presets"]:
        raise ValueError(
            f"config key 'preset' is {config['preset']!r}, but presets.{config['preset']} is not defined "
            f"(defined: {sorted(config['presets'])})"
        )
    merged = deep_merge(config, config["presets"][config["preset"]])
    config.clear()
    config.update(merged)
    validate_config()
# k and data.max_samples against the data sets' declared shapes: a misfit stops the run at parse time, not in a job.
checks.check_config_against_datasets(config)

SEEDS = list(range(config["n_seeds"]))
K = config["n_features_to_select"]
LEARNERS = config["learners"]
PAPER_METHODS = config["methods"]
TABLE_METHODS = PAPER_METHODS + [
    m for m in config["extra_methods"] if m not in PAPER_METHODS
]
TABLE_DATASETS = config["datasets"] + [
    d for d in config["extra_datasets"] if d not in config["datasets"]
]
FIGURE5 = config["figure5"]
FIGURE5_CANDIDATES = [
    d for d in [FIGURE5["dataset"], FIGURE5["fallback_dataset"]] if d is not None
]
ALL_DATASETS = TABLE_DATASETS + [
    d for d in FIGURE5_CANDIDATES if d not in TABLE_DATASETS
]
ALL_METHODS = sorted(set(TABLE_METHODS) | set(FIGURE5["methods"]))
# Which learner gives which table of the paper.
TABLE_LEARNERS = {"table1": "decoder", "table2": "extra_trees"}
TABLES = [table for table, learner in TABLE_LEARNERS.items() if learner in LEARNERS]


# The selection rules' methods, from the selector registry: those that train a network ask for a GPU.
NETWORK_METHODS = "|".join(m for m in methods() if trains_a_network(m))
CPU_METHODS = "|".join(m for m in methods() if not trains_a_network(m))


wildcard_constraints:
    dataset="[a-z0-9_]+",
    method="[a-z][a-z0-9_]*",
    seed=r"\d+",
    k=r"\d+|all",
    learner="|".join(learners.LEARNERS),


def check_param_names(accepted, params, key):
    """Stop naming the config key when `params` holds a name the code does not accept."""
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise ValueError(
            f"config key {key} holds {unknown}, which the code does not accept; accepted: {sorted(accepted)}"
        )


def check_params_against_code():
    """Every method_params / learner_params name against the signature of the code that receives it."""
    from lassonet_bench.selectors import selector_class

    for method in ALL_METHODS:
        accepted = set(selector_class(method)._get_param_names()) - {
            "n_features_to_select",
            "random_state",
        }
        check_param_names(accepted, method_params(method), f"method_params.{method}")
    for learner in LEARNERS:
        function = learners.evaluate_function(learner)
        accepted = set(inspect.signature(function).parameters) - {
            "random_state",
            "device",
        }
        check_param_names(
            accepted, learner_params(learner), f"learner_params.{learner}"
        )


def method_params(method):
    return config["method_params"].get(method, {})


def learner_params(learner):
    return config["learner_params"].get(learner, {})


# At start-up only (not again in each cluster job): a misspelt parameter name stops the run in its first seconds.
if workflow.is_main_process:
    check_params_against_code()


def nested_selection(method):
    """Whether one fit of `method` (its ranking) serves every k; read from the selector class itself."""
    from lassonet_bench.selectors import selector_class

    return bool(selector_class(method).nested_selection)


def selection_ks(dataset, method):
    """Every k that may be read off a selection of (dataset, method); a nested selection is fitted for the least."""
    ks = set()
    if method in TABLE_METHODS and dataset in TABLE_DATASETS:
        ks.add(K)
    if method in FIGURE5["methods"] and dataset in FIGURE5_CANDIDATES:
        ks.update(FIGURE5["n_features_grid"])
    if not ks:
        raise ValueError(
            f"no k of the configuration asks for method {method!r} on data set {dataset!r}"
        )
    return sorted(ks)


def selection_file(dataset, method, seed, k):
    if nested_selection(method):
        return f"results/selections/{dataset}/{method}/seed-{seed}.json"
    return f"results/selections/{dataset}/{method}/seed-{seed}/k-{k}.json"


def select_benchmark(selection):
    stem = selection.removeprefix("results/selections/").removesuffix(".json")
    return f"results/benchmarks/select/{stem}.tsv"


def run_file(dataset, method, seed, k, learner):
    return f"results/runs/{dataset}/{method}/seed-{seed}/k-{k}/{learner}.csv"


def evaluate_benchmark(run):
    stem = run.removeprefix("results/runs/").removesuffix(".csv")
    return f"results/benchmarks/evaluate/{stem}.tsv"


def fetch_status(dataset):
    """The data layer's fetch.json of `dataset`; asking for it makes the checkpoint a dependency."""
    path = checkpoints.fetch_dataset.get(dataset=dataset).output[0]
    with open(path) as handle:
        return json.load(handle)


def figure5_dataset():
    """The data set Figure 5 is drawn for: the configured one, else the fallback if available, else None."""
    for dataset in FIGURE5_CANDIDATES:
        if fetch_status(dataset)["available"]:
            return dataset
    return None


def run_jobs():
    """Every (dataset, method, seed, k, learner) of the configuration whose data set is available."""
    jobs = set()
    for dataset in TABLE_DATASETS:
        if fetch_status(dataset)["available"]:
            for method in TABLE_METHODS:
                jobs.update(
                    (dataset, method, s, str(K), l) for s in SEEDS for l in LEARNERS
                )
            jobs.update((dataset, "all", s, "all", l) for s in SEEDS for l in LEARNERS)
    dataset = figure5_dataset()
    if dataset is not None:
        for method in FIGURE5["methods"]:
            for k in FIGURE5["n_features_grid"]:
                jobs.update(
                    (dataset, method, s, str(k), l) for s in SEEDS for l in LEARNERS
                )
        jobs.update((dataset, "all", s, "all", l) for s in SEEDS for l in LEARNERS)
    order = {name: i for i, name in enumerate(ALL_DATASETS)}
    return sorted(
        jobs,
        key=lambda j: (
            order[j[0]],
            j[1],
            j[2],
            j[3] == "all",
            int(j[3]) if j[3] != "all" else 0,
            j[4],
        ),
    )


def collect_table(wildcards):
    """One entry per run: its CSV, its evaluation benchmark and (None for All-Features) its selection benchmark."""
    table = []
    for dataset, method, seed, k, learner in run_jobs():
        run = run_file(dataset, method, seed, k, learner)
        selection = (
            None if method == "all" else selection_file(dataset, method, seed, k)
        )
        table.append(
            {
                "run": run,
                "evaluate_benchmark": evaluate_benchmark(run),
                "select_benchmark": (
                    None if selection is None else select_benchmark(selection)
                ),
            }
        )
    return table


def collect_inputs(wildcards):
    table = collect_table(wildcards)
    return {
        "runs": [row["run"] for row in table],
        "benchmarks": sorted(
            {row["evaluate_benchmark"] for row in table}
            | {row["select_benchmark"] for row in table if row["select_benchmark"]}
        ),
    }


def evaluate_inputs(wildcards):
    inputs = {
        "data": f"results/data/{wildcards.dataset}.npz",
        "split": f"results/data/{wildcards.dataset}/split-{wildcards.seed}.npz",
    }
    if wildcards.method != "all":
        inputs["selection"] = selection_file(
            wildcards.dataset, wildcards.method, wildcards.seed, wildcards.k
        )
    return inputs


def fetch_files():
    return expand("results/raw/{dataset}/fetch.json", dataset=ALL_DATASETS)


def report_params():
    """What the tables, Figure 5, the report and the replication record are drawn with (lassonet_bench.record)."""
    return dict(
        datasets=TABLE_DATASETS,
        extra_datasets=config["extra_datasets"],
        methods=PAPER_METHODS,
        extra_methods=TABLE_METHODS[len(PAPER_METHODS) :],
        learners=LEARNERS,
        table_learners=TABLE_LEARNERS,
        n_features_to_select=K,
        n_seeds=len(SEEDS),
        figure5_candidates=FIGURE5_CANDIDATES,
        figure5_methods=FIGURE5["methods"],
        titles=dataset_titles(),
        interval=config["report"]["interval"],
        confidence=config["report"]["confidence"],
    )


def dataset_titles():
    from lassonet_bench.datasets import REGISTRY

    return {name: REGISTRY[name].title for name in ALL_DATASETS}
