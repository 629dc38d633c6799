"""The runner: one tidy record per (data set, split seed, method, k, learner), from arrays or from files."""

import json

import numpy as np
import pytest
import sklearn
import torch
from sklearn.datasets import load_digits

from lassonet_bench.runs import runner
from lassonet_bench.learners.decoder import hidden_width_grid
from lassonet_bench.runs.measurement import PeakMemory
from lassonet_bench.runs.provenance import stable_seed
from lassonet_bench.runs.checks import check_split
from lassonet_bench.runs.runner import (
    run_evaluation,
    run_one,
    run_one_arrays,
    run_selection,
    run_selection_arrays,
    write_json,
)

QUICK_DECODER = {"max_epochs": 4, "patience": 2}
TIMING_COLUMNS = {"selection_seconds", "learner_seconds", "peak_memory_mb", "selection_peak_memory_mb",
                  "learner_peak_memory_mb"}


@pytest.fixture(scope="module")
def digits():
    """Real data: scikit-learn's 1797 digit images (64 features, 10 classes) and a 70/10/20 split."""
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    a, b = int(0.7 * len(y)), int(0.8 * len(y))
    split = {"train": order[:a], "val": order[a:b], "test": order[b:]}
    return (X / 16.0).astype(np.float32), y.astype(np.int64), split


@pytest.fixture
def digits_files(digits, tmp_path):
    """The same data in the data layer's file format."""
    X, y, split = digits
    data = tmp_path / "digits.npz"
    np.savez(data, X=X, y=y, feature_names=np.array([f"pixel{i}" for i in range(64)]), meta=json.dumps({}))
    split_path = tmp_path / "digits" / "split-0.npz"
    split_path.parent.mkdir()
    np.savez(split_path, **split)
    return data, split_path


def test_stable_seed_is_pinned_and_depends_on_every_part():
    assert stable_seed("mice", "fisher", 0) == 2015426821  # sha256-based: the same in every process and version
    assert len({stable_seed("mice", "fisher", 0), stable_seed("mice", "fisher", 1), stable_seed("mice", "pfa", 0),
                stable_seed("mnist", "fisher", 0)}) == 4


def test_record_has_the_tidy_columns_and_exactly_k_features(digits):
    record = run_one_arrays(*digits, "fisher", 10, 0, "extra_trees", dataset="digits", n_threads=1)
    selected = [int(i) for i in record["selected"].split()]
    assert len(selected) == len(set(selected)) == record["n_features"] == record["k"] == 10
    assert (record["dataset"], record["method"], record["seed"], record["learner"]) == ("digits", "fisher", 0,
                                                                                        "extra_trees")
    assert 0.5 < record["accuracy"] <= 1
    assert record["torch_version"] == torch.__version__ and record["numpy_version"] == np.__version__
    assert record["sklearn_version"] == sklearn.__version__
    assert (record["selector_library"], record["selector_library_version"]) == ("skfeature-chappers", "1.2.1")
    assert record["device"] == "cpu" and record["git_commit"]
    assert record["peak_memory_mb"] > 0 and record["selection_seconds"] >= 0 and record["learner_seconds"] > 0
    for value in record.values():
        assert value is None or isinstance(value, (str, int, float)), value


def test_runs_are_deterministic(digits):
    first = run_one_arrays(*digits, "pfa", 8, 1, "decoder", dataset="digits", learner_params=QUICK_DECODER,
                           n_threads=1)
    second = run_one_arrays(*digits, "pfa", 8, 1, "decoder", dataset="digits", learner_params=QUICK_DECODER,
                            n_threads=1)
    without_timing = [{k: v for k, v in record.items() if k not in TIMING_COLUMNS} for record in (first, second)]
    assert without_timing[0] == without_timing[1]
    assert first["hidden_width"] in hidden_width_grid(8)


def test_all_features_uses_every_feature(digits):
    record = run_one_arrays(*digits, "all", None, 0, "extra_trees", dataset="digits", n_threads=1)
    assert record["n_features"] == record["k"] == 64
    assert record["selected"] == " ".join(str(i) for i in range(64))
    assert record["selector_library"] == ""


def test_files_and_arrays_give_the_same_record(digits, digits_files):
    from_files = run_one(*digits_files, "trace_ratio", 6, 0, "extra_trees", n_threads=1)
    from_arrays = run_one_arrays(*digits, "trace_ratio", 6, 0, "extra_trees", dataset="digits", n_threads=1)
    for key in ("selected", "accuracy", "selection_random_state", "learner_random_state"):
        assert from_files[key] == from_arrays[key]


def test_selection_then_evaluation_from_files(digits_files):
    selection = run_selection(*digits_files, "hsic", 5, 0, n_threads=1)
    assert len(selection["ranking"]) == 64 and selection["selected"] == selection["ranking"][:5]
    assert selection["selector_library"] == "pyHSICLasso"
    evaluation = run_evaluation(*digits_files, selection["selected"], "decoder", 0, learner_params=QUICK_DECODER)
    assert evaluation["hidden_width"] in hidden_width_grid(5)
    assert evaluation["n_train"] + evaluation["n_val"] + evaluation["n_test"] == 1797


def test_write_json_round_trips(digits, tmp_path):
    selection = run_selection_arrays(*digits, "fisher", 4, 0, dataset="digits")
    path = write_json(selection, tmp_path / "out" / "selection.json")
    assert json.loads(path.read_text())["selected"] == selection["selected"]
    assert [p.name for p in path.parent.iterdir()] == ["selection.json"]  # no temporary file left behind


def test_peak_memory_sees_a_short_lived_allocation():
    with PeakMemory() as memory:
        block = np.ones(200 * 2**20 // 8)  # 200 MB, freed at once
        del block
    assert memory.peak_mb - memory.start_mb > 180


def bad_cases(X, y, split):
    with_nan = X.copy()
    with_nan[2, 3] = np.nan
    single_class_in_train = y.copy()
    single_class_in_train[split["train"]] = 1
    return {
        "nan": ((with_nan, y, split, "fisher", 5), "NaN or infinite"),
        "k larger than d": ((X, y, split, "fisher", 65), "n_features_to_select=65"),
        "single class": ((X, np.ones_like(y), split, "fisher", 5), "single class"),
        "single class in train": ((X, single_class_in_train, split, "fisher", 5), r"y\[train\] holds a single"),
        "empty test part": ((X, y, {**split, "test": np.array([], dtype=np.int64)}, "fisher", 5),
                            r"split\['test'\] is empty"),
        "missing part": ((X, y, {"train": split["train"], "test": split["test"]}, "fisher", 5), "lacks the part"),
        "overlap": ((X, y, {**split, "val": split["train"][:5]}, "fisher", 5), "share 5 rows"),
        "out of range": ((X, y, {**split, "test": np.array([0, 5000])}, "fisher", 5), "outside"),
        "unknown method": ((X, y, split, "relief", 5), "method must be one of"),
    }


BAD_CASES = ["nan", "k larger than d", "single class", "single class in train", "empty test part", "missing part",
             "overlap", "out of range", "unknown method"]


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_fails_before_any_work(digits, case, monkeypatch):
    def no_work(*args, **kwargs):
        raise AssertionError("work started before the input was checked")

    monkeypatch.setattr(runner, "make_selector", no_work)
    monkeypatch.setattr(runner, "_fit_learner", no_work)
    arguments, message = bad_cases(*digits)[case]
    with pytest.raises(ValueError, match=message):
        run_one_arrays(*arguments, seed=0, learner="extra_trees")


def test_unknown_learner_and_bad_selection_are_rejected(digits, monkeypatch):
    monkeypatch.setattr(runner, "make_selector", lambda *a, **k: pytest.fail("selection ran"))
    with pytest.raises(ValueError, match="learner must be one of"):
        run_one_arrays(*digits, "fisher", 5, 0, "svm")
    with pytest.raises(ValueError, match="repeated feature indices"):
        runner.run_evaluation_arrays(*digits, [1, 1, 2], "extra_trees", 0)


def test_check_split_returns_int64_parts():
    parts = check_split({"train": [0, 1], "val": [2], "test": [3]}, 4)
    assert all(parts[p].dtype == np.int64 for p in ("train", "val", "test"))


def test_lassonet_selection_uses_the_validation_rows(digits, monkeypatch):
    lassonet = pytest.importorskip("lassonet_bench.selectors.lassonet")
    seen = {}
    real = lassonet.LassoNetSelector.fit

    def spy(self, X, y=None, X_val=None, y_val=None):
        seen.update(n_train=len(X), n_val=len(X_val))
        return real(self, X, y, X_val=X_val, y_val=y_val)

    monkeypatch.setattr(lassonet.LassoNetSelector, "fit", spy)
    X, y, split = digits
    selection = run_selection_arrays(
        X, y, split, "lassonet", 5, 0, dataset="digits", device="cpu", n_threads=1,
        method_params={"hidden_dims": "search", "width_fractions": (1 / 3,), "n_epochs": 3},
    )
    assert seen == {"n_train": len(split["train"]), "n_val": len(split["val"])}
    assert len(selection["selected"]) == 5 and len(selection["ranking"]) == 64
    details = selection["selection_details"]
    assert details["chance_score_"] == np.bincount(y[split["val"]]).max() / len(split["val"])
    assert details["at_chance_level_"] is (details["validation_score_"] <= details["chance_score_"] + 1e-6)
