"""The selectors beyond the paper's (issue 33): each finds the informative features of a small synthetic data set,
keeps exactly k, and gives the same ranking for the same random_state."""

import numpy as np
import pytest

from lassonet_bench.selectors import SELECTORS, make_selector
from lassonet_bench.selectors.mutual_info import MutualInfoSelector
from lassonet_bench.selectors.tree_importance import TreeImportanceSelector
from lassonet_bench.selectors.l1_logistic import L1LogisticSelector, PathEndWarning
from lassonet_bench.selectors.mrmr import MRMRSelector, import_mrmr_classif
from lassonet_bench.selectors.relieff import ReliefFSelector
from lassonet_bench.selectors.stg import STGSelector
from lassonet_bench.selectors.lassonet_official import LassoNetOfficialSelector
from test_baselines import INFORMATIVE, class_mean_data


def fit(method, k, random_state=0, data=None, **params):
    X, y = class_mean_data() if data is None else data
    return make_selector(method, k, random_state, **params).fit(X, y)


def check_finds_the_informative_features_and_keeps_exactly_k(method, **params):
    selector = fit(method, 3, **params)
    assert sorted(selector.ranking_[:3].tolist()) == sorted(INFORMATIVE)
    assert sorted(np.flatnonzero(selector.get_support()).tolist()) == sorted(INFORMATIVE)
    for k in (1, 5, 20):
        chosen = fit(method, k, **params)
        assert chosen.get_support().sum() == k and chosen.transform(class_mean_data()[0]).shape[1] == k
        assert sorted(chosen.ranking_.tolist()) == list(range(20))


def check_deterministic(method, **params):
    first, second = fit(method, 5, random_state=3, **params), fit(method, 5, random_state=3, **params)
    np.testing.assert_array_equal(first.ranking_, second.ranking_)


def check_nested(method, **params):
    """The workflow fits a nested method for the least k and reads larger k off its ranking."""
    assert SELECTORS[method].nested_selection
    small, large = fit(method, 2, **params), fit(method, 8, **params)
    assert set(small.ranking_[:8].tolist()) == set(np.flatnonzero(large.get_support()).tolist())


# --- mutual information ---------------------------------------------------------------------------------------------


def test_mutual_info_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("mutual_info")


def test_mutual_info_is_deterministic_and_nested():
    check_deterministic("mutual_info")
    check_nested("mutual_info")


def test_mutual_info_ranks_by_the_library_estimate():
    from sklearn.feature_selection import mutual_info_classif

    X, y = class_mean_data()
    selector = MutualInfoSelector(3, random_state=0, n_neighbors=5).fit(X, y)
    np.testing.assert_array_equal(selector.mi_, mutual_info_classif(X, y, n_neighbors=5, random_state=0))
    assert selector.mi_[INFORMATIVE].min() > np.delete(selector.mi_, INFORMATIVE).max()
    np.testing.assert_array_equal(selector.ranking_, np.argsort(-selector.mi_, kind="stable"))


def test_mutual_info_refuses_classes_of_one_row_and_a_bad_n_neighbors():
    X = np.arange(12.0).reshape(4, 3) ** 2
    with pytest.raises(ValueError, match="every class has a single row .* 4 classes in 4 rows"):
        MutualInfoSelector(1).fit(X, [0, 1, 2, 3])
    with pytest.raises(ValueError, match="n_neighbors"):
        MutualInfoSelector(1, n_neighbors=0).fit(*class_mean_data())


# --- tree importance ------------------------------------------------------------------------------------------------


def test_tree_importance_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("tree_importance", n_estimators=50)


def test_tree_importance_is_deterministic_nested_and_the_forest_seed_matters():
    check_deterministic("tree_importance", n_estimators=20)
    check_nested("tree_importance", n_estimators=20)
    X, y = class_mean_data()
    one, other = (TreeImportanceSelector(3, random_state=seed, n_estimators=5).fit(X, y) for seed in (0, 1))
    assert not np.array_equal(one.importances_, other.importances_)


def test_tree_importance_ranks_by_the_forest_impurity_importances():
    from sklearn.ensemble import ExtraTreesClassifier

    X, y = class_mean_data()
    selector = TreeImportanceSelector(3, random_state=4, n_estimators=30).fit(X, y)
    forest = ExtraTreesClassifier(n_estimators=30, random_state=4).fit(X, y)
    np.testing.assert_array_equal(selector.importances_, forest.feature_importances_)
    np.testing.assert_array_equal(selector.ranking_[:3], INFORMATIVE)  # decreasing strength


# --- L1 logistic regression -----------------------------------------------------------------------------------------


def test_l1_logistic_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("l1_logistic")


def test_l1_logistic_is_deterministic_and_its_path_stops_at_k():
    check_deterministic("l1_logistic")
    selector = fit("l1_logistic", 5)
    counts = [step["n_nonzero"] for step in selector.path_]
    assert counts[-1] >= 5 and all(c < 5 for c in counts[:-1]) and selector.C_ == selector.path_[-1]["C"]
    assert selector.selection_details_["n_selected_by_path"] == 5
    assert not SELECTORS["l1_logistic"].nested_selection


def test_l1_logistic_ranks_by_entry_on_the_path_and_standardizes():
    X, y = class_mean_data()
    # the strongest feature enters first even when it is the narrowest column: the path sees standardised columns
    scaled = X * np.where(np.arange(20) == INFORMATIVE[0], 1e-3, 1e3)
    selector = L1LogisticSelector(3, random_state=0).fit(scaled, y)
    assert selector.ranking_[0] == INFORMATIVE[0]
    np.testing.assert_array_equal(selector.ranking_, fit("l1_logistic", 3).ranking_)


def test_l1_logistic_a_short_path_warns_and_fills_up_by_index():
    X, y = class_mean_data()
    with pytest.warns(PathEndWarning, match="reached only .* fewer than n_features_to_select=20"):
        selector = L1LogisticSelector(20, random_state=0, n_decades=0.5).fit(X, y)
    entered = selector.selection_details_["n_selected_by_path"]
    assert entered < 20 and selector.get_support().sum() == 20
    rest = selector.ranking_[entered:]
    np.testing.assert_array_equal(rest, np.sort(rest))


def test_l1_logistic_refuses_bad_path_parameters():
    X, y = class_mean_data()
    with pytest.raises(ValueError, match="steps_per_decade must be a positive integer, got 0"):
        L1LogisticSelector(2, steps_per_decade=0).fit(X, y)
    with pytest.raises(ValueError, match="n_decades must be a positive number, got -1"):
        L1LogisticSelector(2, n_decades=-1).fit(X, y)


def test_a_selector_name_may_hold_digits_but_not_start_with_one():
    import re
    from pathlib import Path

    from lassonet_bench.selectors import register
    from lassonet_bench.selectors.base import BaselineSelector

    class Leading(BaselineSelector):
        name, title = "1st_choice", "First"

    with pytest.raises(ValueError, match="'1st_choice' must be lower-case letters, digits and '_', starting with"):
        register(Leading)
    assert "l1_logistic" in SELECTORS
    common = (Path(__file__).parents[1] / "workflow" / "rules" / "common.smk").read_text()
    pattern = re.search(r'method="([^"]+)"', common).group(1)  # the workflow's method wildcard
    assert all(re.fullmatch(pattern, name) for name in SELECTORS)


# --- mRMR -----------------------------------------------------------------------------------------------------------


def test_mrmr_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("mrmr")


def test_mrmr_is_deterministic_and_nested():
    check_deterministic("mrmr")
    check_nested("mrmr")


def test_the_library_greedy_order_of_k_is_the_first_k_of_its_order_of_more():
    import pandas as pd

    rng = np.random.default_rng(2)
    X = rng.normal(size=(200, 12))
    X[:, 5] = X[:, 2] + 0.3 * rng.normal(size=200)  # redundant with 2: the greedy order must weigh it
    y = (X[:, 2] + X[:, 7] + 0.5 * X[:, 9] > 0).astype(int)
    frame, labels = pd.DataFrame(X), pd.Series(y)
    mrmr_classif = import_mrmr_classif()
    full = mrmr_classif(frame, labels, K=12, n_jobs=1, show_progress=False)
    for K in (1, 3, 6):
        assert mrmr_classif(frame, labels, K=K, n_jobs=1, show_progress=False) == full[:K]
    np.testing.assert_array_equal(MRMRSelector(3).fit(X, y).ranking_[: len(full)], full)


def test_importing_mrmr_does_not_silence_the_process_warnings():
    import warnings

    import_mrmr_classif()
    MRMRSelector(2).fit(*class_mean_data())
    with pytest.warns(UserWarning, match="still heard"):
        warnings.warn("still heard", UserWarning)


# --- ReliefF --------------------------------------------------------------------------------------------------------


def test_relieff_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("relieff", n_neighbors=10)


def test_relieff_is_deterministic_and_nested():
    check_deterministic("relieff", n_neighbors=10, max_samples=150)
    check_nested("relieff", n_neighbors=10)


def test_relieff_ranks_by_the_library_scores_on_all_rows_below_the_cap():
    from skrebate import ReliefF

    X, y = class_mean_data(n=120)
    selector = ReliefFSelector(3, n_neighbors=10).fit(X, y)
    library = ReliefF(n_neighbors=10, label_type="multiclass").fit(X, y).feature_importances_
    np.testing.assert_allclose(selector.importances_, library)
    assert selector.selection_details_ == {"n_samples_used": 120, "n_samples_given": 120, "subsampled": False}


def test_relieff_above_the_cap_fits_a_stratified_seeded_subsample_and_says_so():
    X, y = class_mean_data(n=300)
    one = ReliefFSelector(3, random_state=5, n_neighbors=10, max_samples=90).fit(X, y)
    assert one.selection_details_ == {"n_samples_used": 90, "n_samples_given": 300, "subsampled": True}
    again = ReliefFSelector(3, random_state=5, n_neighbors=10, max_samples=90).fit(X, y)
    other = ReliefFSelector(3, random_state=6, n_neighbors=10, max_samples=90).fit(X, y)
    np.testing.assert_array_equal(one.importances_, again.importances_)
    assert not np.array_equal(one.importances_, other.importances_)
    assert sorted(one.ranking_[:3]) == sorted(INFORMATIVE)


def test_relieff_takes_more_than_ten_classes_as_classes():
    rng = np.random.default_rng(0)
    y = np.arange(240) % 12
    X = rng.normal(size=(240, 6))
    X[:, 4] += 2.0 * (y % 2)  # only feature 4 tells the classes apart (in part)
    assert ReliefFSelector(1, n_neighbors=5).fit(X, y).ranking_[0] == 4


def test_relieff_a_run_row_records_the_subsample():
    from lassonet_bench.runs.runner import run_selection_arrays

    X, y = class_mean_data(n=300)
    split = {"train": np.arange(200), "val": np.arange(200, 250), "test": np.arange(250, 300)}
    record = run_selection_arrays(X, y, split, "relieff", 3, 0, method_params={"n_neighbors": 10, "max_samples": 100})
    assert record["selection_details"] == {"n_samples_used": 100, "n_samples_given": 200, "subsampled": True}
    assert record["selector_library"] == "skrebate" and record["selector_library_version"] == "0.8.4"


@pytest.mark.parametrize("params, message", [
    ({"n_neighbors": 0}, "n_neighbors must be a positive integer, got 0"),
    ({"max_samples": 1}, "max_samples must be an integer of at least 2, or None, got 1"),
    ({"max_samples": 0.5}, "max_samples must be an integer of at least 2, or None, got 0.5"),
])
def test_relieff_refuses_bad_parameters(params, message):
    with pytest.raises(ValueError, match=message):
        ReliefFSelector(2, **params).fit(*class_mean_data())


# --- Stochastic Gates -----------------------------------------------------------------------------------------------

TINY_STG = dict(n_epochs=40, batch_size=100, device="cpu")


def test_stg_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("stg", **TINY_STG)


def test_stg_is_deterministic_nested_and_leaves_the_global_torch_rng_alone():
    import torch

    torch.manual_seed(123)
    before = torch.get_rng_state()
    check_deterministic("stg", n_epochs=3, device="cpu")
    assert torch.equal(torch.get_rng_state(), before)
    check_nested("stg", n_epochs=3, device="cpu")
    one, other = (fit("stg", 3, random_state=seed, n_epochs=3, device="cpu") for seed in (0, 1))
    assert not np.array_equal(one.mu_, other.mu_)


def test_stg_trains_a_network_and_the_penalty_closes_the_uninformative_gates():
    from lassonet_bench.selectors import trains_a_network

    assert trains_a_network("stg")
    selector = fit("stg", 3, **TINY_STG)
    np.testing.assert_array_equal(selector.ranking_, np.argsort(-selector.mu_, kind="stable"))
    assert selector.mu_[INFORMATIVE].min() > np.delete(selector.mu_, INFORMATIVE).max()
    assert np.delete(selector.mu_, INFORMATIVE).max() < 0.5  # they started at 0.5
    no_penalty = fit("stg", 3, lam=0.0, **TINY_STG)
    assert np.delete(no_penalty.mu_, INFORMATIVE).mean() > np.delete(selector.mu_, INFORMATIVE).mean()


@pytest.mark.parametrize("params, message", [
    ({"hidden_dim": 0}, "hidden_dim must be a positive integer, got 0"),
    ({"n_epochs": 2.5}, "n_epochs must be a positive integer, got 2.5"),
    ({"lr": 0}, "lr must be a positive number, got 0"),
    ({"lam": -1}, "lam must be a non-negative number, got -1"),
    ({"sigma": float("nan")}, "sigma must be a positive number, got nan"),
    ({"device": "cuda:7"} , "CUDA is not available|invalid device ordinal"),
])
def test_stg_refuses_bad_parameters(params, message):
    import torch

    if "device" in params and torch.cuda.is_available():
        pytest.skip("a CUDA device exists here")
    with pytest.raises(ValueError, match=message):
        STGSelector(2, **{"n_epochs": 1, **params}).fit(*class_mean_data())


# --- the official LassoNet package ----------------------------------------------------------------------------------

TINY_OFFICIAL = dict(hidden_dims=(10,), n_iters=(100, 10), patience=(10, 3), path_multiplier=1.2, lambda_start=1.0,
                     device="cpu")


def test_lassonet_official_finds_the_informative_features_and_keeps_exactly_k():
    check_finds_the_informative_features_and_keeps_exactly_k("lassonet_official", **TINY_OFFICIAL)


def test_lassonet_official_is_deterministic_and_nested():
    check_deterministic("lassonet_official", **TINY_OFFICIAL)
    check_nested("lassonet_official", **TINY_OFFICIAL)


def test_lassonet_official_stops_at_the_first_step_with_at_most_k_and_ranks_as_the_package():
    from lassonet import LassoNetClassifier

    X, y = class_mean_data()
    X_train, y_train, X_val, y_val = X[:240], y[:240], X[240:], y[240:]
    selector = LassoNetOfficialSelector(5, random_state=0, **TINY_OFFICIAL).fit(X_train, y_train, X_val, y_val)
    params = {key: value for key, value in TINY_OFFICIAL.items() if key != "device"}
    model = LassoNetClassifier(**params, random_state=0, torch_seed=0, verbose=0, device="cpu")
    path = model.path(X_train, y_train, X_val=X_val, y_val=y_val)  # the whole path, to zero features
    counts = [int(step.selected.sum()) for step in path]
    stop = next(i for i in range(1, len(path)) if counts[i] <= 5)
    assert selector.path_steps_ == stop + 1 and selector.n_selected_at_step_ == counts[stop]
    importances = model._compute_feature_importances(path[: stop + 1]).numpy()
    np.testing.assert_array_equal(selector.feature_importances_, importances)
    at_step = set(np.flatnonzero(path[stop].selected.numpy()).tolist())
    assert at_step <= set(np.flatnonzero(selector.get_support()).tolist())
    # the package's own importances of the whole path order the features as ours do, up to the stop
    full = model.feature_importances_.numpy()
    left = selector.ranking_[len(at_step):]
    assert all(full[a] >= full[b] for a, b in zip(left[:-1], left[1:]) if np.isfinite(importances[b]))
    assert selector.validation_score_ > 0.6


def test_lassonet_official_keeps_the_width_that_scores_best_on_the_validation_rows():
    X, y = class_mean_data()
    params = {**TINY_OFFICIAL, "width_fractions": (0.25, 0.5)}
    selector = LassoNetOfficialSelector(3, random_state=0, **params).fit(X[:240], y[:240], X[240:], y[240:])
    scores = {tuple(row["hidden_dims"]): row["validation_score"] for row in selector.width_search_}
    assert set(scores) == {(5,), (10,)}
    assert scores[selector.hidden_dims_] == max(scores.values()) == selector.validation_score_


def test_lassonet_official_refuses_bad_input_before_training():
    X, y = class_mean_data()
    with pytest.raises(ValueError, match="X_val and y_val must be given together"):
        LassoNetOfficialSelector(2, **TINY_OFFICIAL).fit(X, y, X_val=X)
    with pytest.raises(ValueError, match=r"y_val holds classes that are not in y: \[7\]"):
        LassoNetOfficialSelector(2, **TINY_OFFICIAL).fit(X, y, X_val=X[:3], y_val=[0, 1, 7])
    with pytest.raises(ValueError, match=r"hidden_dims must be positive ints, e.g. \(100,\), got \(0,\)"):
        LassoNetOfficialSelector(2, **{**TINY_OFFICIAL, "hidden_dims": (0,)}).fit(X, y)


def test_the_new_network_selectors_and_the_registry_do_not_load_torch_on_import():
    import subprocess
    import sys

    code = ("import sys\nfrom lassonet_bench.selectors import SELECTORS, trains_a_network\n"
            "assert {'stg', 'lassonet_official'} <= {m for m in SELECTORS if trains_a_network(m)}\n"
            "assert 'torch' not in sys.modules and 'lassonet' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lassonet_official_with_max_samples_fits_on_a_seeded_subsample_of_the_training_rows_and_says_so():
    X, y = class_mean_data()
    capped = LassoNetOfficialSelector(3, random_state=0, max_samples=150, **TINY_OFFICIAL).fit(X[:240], y[:240],
                                                                                               X[240:], y[240:])
    assert capped.selection_details_["n_samples_used"] == 150 and capped.selection_details_["subsampled"]
    assert capped.selection_details_["n_samples_given"] == 240
    whole = LassoNetOfficialSelector(3, random_state=0, **TINY_OFFICIAL).fit(X[:240], y[:240], X[240:], y[240:])
    assert not whole.selection_details_["subsampled"]
    with pytest.raises(ValueError, match="max_samples must be an integer of at least 2, or None, got 1"):
        LassoNetOfficialSelector(3, max_samples=1, **TINY_OFFICIAL).fit(X, y)
