"""The configuration against the data sets' declarations (run_checks.check_config_against_datasets)."""

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from lassonet_bench.datasets import Dataset, get_spec, make_split, subsample
from lassonet_bench.runs.checks import check_config_against_datasets

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def config():
    with open(REPO_ROOT / "config.yaml") as handle:
        loaded = yaml.safe_load(handle)
    return loaded | {"n_features_to_select": 50}  # the schema's default, filled in by the workflow's validation


def with_changes(config, **changes):
    changed = copy.deepcopy(config)
    for dotted, value in changes.items():
        *parents, key = dotted.split("__")
        section = changed
        for parent in parents:
            section = section[parent]
        section[key] = value
    return changed


def test_the_full_and_smoke_configurations_pass(config):
    check_config_against_datasets(config)
    with open(REPO_ROOT / "tests" / "smoke" / "config.yaml") as handle:
        smoke = yaml.safe_load(handle)
    check_config_against_datasets(config | {key: smoke[key] for key in ("n_features_to_select", "figure5", "data")})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"n_features_to_select": 78}, r"n_features_to_select asks for k = 78 features, but data set 'mice' declares 77"),
        ({"figure5__n_features_grid": [10, 618]},
         r"figure5.n_features_grid asks for k = 618 features, but data set 'isolet' declares 617"),
        ({"data__max_samples": 1}, r"data.max_samples = 1 does not fit data set 'mice': a subsample needs at least 2"),
        ({"data__max_samples": 74}, r"data.max_samples = 74 does not fit data set 'mice'.*validation 7.*8 classes"),
        ({"data__max_samples": 200}, r"data.max_samples = 200 does not fit data set 'isolet'.*validation 20.*26 classes"),
        ({"data__max_samples": 1073}, r"max_samples = 1073 does not fit data set 'mice'.*left out of the subsample 7"),
    ],
)
def test_a_misfit_names_the_key_and_the_data_set(config, changes, message):
    with pytest.raises(ValueError, match=message):
        check_config_against_datasets(with_changes(config, **changes))


def test_k_is_checked_only_against_the_data_sets_that_are_asked_for_it(config):
    check_config_against_datasets(
        with_changes(config, datasets=["mnist"], extra_datasets=[], figure5__dataset="mnist",
                     figure5__fallback_dataset=None, n_features_to_select=700, figure5__n_features_grid=[784])
    )


@pytest.mark.parametrize("max_samples", [74, 75, 1072, 1073])
def test_the_check_agrees_with_subsampling_and_splitting_data_of_the_declared_shape(config, max_samples):
    spec = get_spec("mice")
    y = np.arange(spec.n_samples) % spec.n_classes  # Mice Protein's 1080 rows, its 8 classes balanced
    dataset = Dataset(np.zeros((spec.n_samples, 1)), y, np.array(["x"]), {"name": "mice", "task": "classification"})
    try:
        make_split(subsample(dataset, max_samples).y, seed=0, stratify=True)
        works = True
    except ValueError:
        works = False
    checked = with_changes(config, datasets=["mice"], extra_datasets=[], figure5__dataset=None,
                           figure5__fallback_dataset=None, data__max_samples=max_samples)
    if works:
        check_config_against_datasets(checked)
    else:
        with pytest.raises(ValueError, match="does not fit data set 'mice'"):
            check_config_against_datasets(checked)
    assert works == (max_samples in (75, 1072))  # both sides of both edges are exercised
