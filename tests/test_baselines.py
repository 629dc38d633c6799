"""Baseline selectors: known answers on synthetic data, exact k, determinism, bad input, library quirks."""

import contextlib
import signal
import warnings

import numpy as np
import pyHSICLasso.nlars
import pytest

from lassonet_bench.selectors import (
    FisherScoreSelector,
    HSICLassoSelector,
    PFASelector,
    TraceRatioSelector,
    make_selector,
)
from lassonet_bench.selectors import hsic
from lassonet_bench.selectors.fisher import fisher_scores

SELECTORS = [FisherScoreSelector, HSICLassoSelector, PFASelector, TraceRatioSelector]
INFORMATIVE = [17, 4, 11]  # not the first columns, so ranks mistaken for indices would show


def class_mean_data(seed=0, n=300, d=20):
    """Three classes; only the INFORMATIVE features have class-dependent means, of decreasing strength."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    X = rng.normal(size=(n, d))
    for strength, feature in zip((3.0, 2.0, 1.0), INFORMATIVE):
        X[:, feature] += strength * y
    return X, y


def squared_dependence_data(seed=0, n=400, d=15):
    """y depends on x3^2 + x9^2: no linear correlation with any feature."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = (X[:, 3] ** 2 + X[:, 9] ** 2 > 1.4).astype(np.int64)
    return X, y


def duplicate_pairs_data(seed=0, n=500, n_pairs=6):
    """Features 2i and 2i+1 are near-copies of the same latent signal; signals differ in scale."""
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=(n, n_pairs)) * np.linspace(1.0, 3.0, n_pairs)
    X = np.repeat(latent, 2, axis=1) + 0.01 * rng.normal(size=(n, 2 * n_pairs))
    return X, rng.integers(0, 2, n)


# --- Fisher score --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_fisher_ranks_the_features_whose_class_means_differ_first(backend):
    X, y = class_mean_data()
    selector = FisherScoreSelector(3, backend=backend).fit(X, y)
    assert selector.ranking_[:3].tolist() == INFORMATIVE
    assert sorted(np.flatnonzero(selector.get_support())) == sorted(INFORMATIVE)


def test_fisher_closed_form_ranks_exactly_as_skfeature():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(120, 40)) + rng.integers(0, 4, 120)[:, None] * rng.normal(size=40)
    y = np.argmax(X[:, :4], axis=1)
    library = FisherScoreSelector(5, backend="skfeature").fit(X, y).ranking_
    closed_form = FisherScoreSelector(5, backend="closed_form").fit(X, y).ranking_
    np.testing.assert_array_equal(library, closed_form)


def test_fisher_score_is_between_over_within_class_scatter():
    X = np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0], [6.0, 1.0]])
    y = np.array([0, 0, 1, 1])
    # feature 0: class means 1 and 5, overall mean 3: S_b = 2*4 + 2*4 = 16, S_w = 4*1 = 4; feature 1 is constant
    np.testing.assert_allclose(fisher_scores(X, y), [4.0, 0.0])


def test_fisher_is_nested_one_fit_serves_every_k():
    X, y = class_mean_data()
    assert FisherScoreSelector.nested_selection
    np.testing.assert_array_equal(
        FisherScoreSelector(2).fit(X, y).ranking_, FisherScoreSelector(9).fit(X, y).ranking_
    )


def test_fisher_rejects_an_unknown_backend():
    X, y = class_mean_data()
    with pytest.raises(ValueError, match="backend"):
        FisherScoreSelector(3, backend="fast").fit(X, y)


# --- Trace ratio ---------------------------------------------------------------------------------------------------


def test_trace_ratio_finds_the_informative_features():
    X, y = class_mean_data()
    selector = TraceRatioSelector(3).fit(X, y)
    assert sorted(np.flatnonzero(selector.get_support())) == sorted(INFORMATIVE)


def test_trace_ratio_selects_the_same_set_as_fisher_score_in_skfeature():
    """skfeature's iteration only reorders the top k by S_b/S_w, so its set is Fisher score's top k."""
    rng = np.random.default_rng(2)
    X = rng.normal(size=(150, 30)) + rng.integers(0, 3, 150)[:, None] * rng.random(30)
    y = rng.integers(0, 3, 150)
    X[:, :10] += y[:, None] * rng.random(10)
    for k in (3, 7, 12):
        trace = TraceRatioSelector(k).fit(X, y).get_support()
        fisher = FisherScoreSelector(k).fit(X, y).get_support()
        np.testing.assert_array_equal(trace, fisher)


def test_trace_ratio_closed_form_ranks_exactly_as_skfeature():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(150, 30))
    y = rng.integers(0, 3, 150)
    X[:, :10] += y[:, None] * rng.random(10)
    for k in (3, 7, 12, 30):
        library = TraceRatioSelector(k, backend="skfeature").fit(X, y).ranking_
        closed_form = TraceRatioSelector(k, backend="closed_form").fit(X, y).ranking_
        np.testing.assert_array_equal(library, closed_form)


@contextlib.contextmanager
def time_limit(seconds):
    """Fail instead of hanging: the unpatched library loops forever on the data below."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_trace_ratio_terminates_with_k_or_more_constant_features_and_ranks_them_last(backend):
    X, y = class_mean_data(d=30)
    X[:, 18:] = 0.0  # 12 blank columns, like MNIST's border pixels
    with time_limit(20):
        selector = TraceRatioSelector(5, backend=backend).fit(X, y)
    assert set(selector.ranking_[-12:]) == set(range(18, 30))
    assert set(INFORMATIVE) <= set(np.flatnonzero(selector.get_support()))


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_trace_ratio_refuses_one_row_per_class_within_seconds(backend):
    """The library's loop never ends here: every S_w is zero, lambda is inf and |inf - inf| is NaN."""
    with time_limit(20), pytest.raises(ValueError, match="every class has a single row"):
        TraceRatioSelector(n_features_to_select=2, backend=backend).fit(np.random.rand(4, 8), [0, 1, 2, 3])


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
@pytest.mark.parametrize("k", [1, 2])
def test_trace_ratio_selects_a_feature_that_separates_the_classes_perfectly(backend, k):
    X, y = class_mean_data(n=90)
    X[:, 6] = 10.0 * y  # constant inside each class: S_w = 0, S_b > 0
    with time_limit(20):
        selector = TraceRatioSelector(k, backend=backend).fit(X, y)
    assert selector.ranking_[0] == 6


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_trace_ratio_with_k_perfect_separators_takes_those_of_largest_between_class_scatter(backend):
    X, y = class_mean_data(n=90)
    X[:, 9], X[:, 2], X[:, 5] = 1.0 * y, 3.0 * y, 3.0 * y  # S_b grows with the square of the step; 2 and 5 tie
    with time_limit(20):
        selector = TraceRatioSelector(2, backend=backend).fit(X, y)
    assert selector.ranking_[:3].tolist() == [2, 5, 9]


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_trace_ratio_refuses_a_within_class_scatter_that_underflows(backend):
    X, y = class_mean_data(n=60)
    with time_limit(20), pytest.raises(ValueError, match="underflows to zero.*scale X"):
        TraceRatioSelector(2, backend=backend).fit(X * 1e-170, y)


@pytest.mark.parametrize("backend", ["skfeature", "closed_form"])
def test_fisher_refuses_one_row_per_class(backend):
    with pytest.raises(ValueError, match="Fisher score is undefined when every class has a single row"):
        FisherScoreSelector(2, backend=backend).fit(np.random.rand(4, 8), [0, 1, 2, 3])


def test_trace_ratio_rejects_an_unknown_backend_and_too_few_varying_features():
    X, y = class_mean_data()
    with pytest.raises(ValueError, match="backend"):
        TraceRatioSelector(3, backend="fast").fit(X, y)
    X[:, 3:] = 1.0
    with pytest.raises(ValueError, match="exceeds the 3 non-constant features"):
        TraceRatioSelector(4).fit(X, y)


# --- HSIC-Lasso ----------------------------------------------------------------------------------------------------


def test_hsic_lasso_finds_a_dependence_that_correlation_misses():
    X, y = squared_dependence_data()
    correlations = np.abs([np.corrcoef(X[:, j], y)[0, 1] for j in range(X.shape[1])])
    assert correlations[[3, 9]].max() < 0.15  # invisible to a linear filter
    selector = HSICLassoSelector(2, random_state=0).fit(X, y)
    assert sorted(selector.ranking_[:2]) == [3, 9]


def singular_branch_data():
    """Exact duplicate columns: pyHSICLasso's LARS meets a singular Gram matrix on this data (k = 4)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 6))
    X[:, 3], X[:, 4] = X[:, 0], X[:, 1]
    return X, (X[:, 0] ** 2 + X[:, 1] ** 2 > 1.5).astype(np.int64)


def counting_solve(monkeypatch):
    """Wrap numpy.linalg.solve to count the LinAlgErrors it raises (undone after the test)."""
    real_solve, raised = np.linalg.solve, []

    def solve(a, b):
        try:
            return real_solve(a, b)
        except np.linalg.LinAlgError:
            raised.append(a.shape)
            raise

    monkeypatch.setattr(np.linalg, "solve", solve)
    return raised


def test_hsic_lasso_survives_the_singular_branch_on_numpy_2(monkeypatch):
    raised = counting_solve(monkeypatch)
    X, y = singular_branch_data()
    selector = HSICLassoSelector(4, random_state=0).fit(X, y)
    assert raised, "the data no longer reaches pyHSICLasso's singular-matrix branch"
    assert selector.get_support().sum() == 4


def test_without_the_patch_pyhsiclasso_fails_on_the_same_data(monkeypatch):
    if hasattr(np.linalg, "linalg"):
        pytest.skip("this NumPy still has np.linalg.linalg; the bug does not arise")
    monkeypatch.setattr(hsic, "patch_pyhsiclasso_for_numpy2", lambda: None)
    monkeypatch.setattr(pyHSICLasso.nlars, "np", np)
    with pytest.raises(AttributeError, match="linalg"):
        HSICLassoSelector(4, random_state=0).fit(*singular_branch_data())


def test_hsic_lasso_fills_to_exactly_k_when_lars_stops_early():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 8))
    X[:, 3:] = 1.0  # constant features: no HSIC with y, LARS stops before reaching them all
    y = (X[:, 0] ** 2 + X[:, 1] ** 2 > 1.5).astype(np.int64)
    selector = HSICLassoSelector(6, random_state=0).fit(X, y)
    assert selector.n_selected_by_lars_ < 6
    assert selector.get_support().sum() == 6
    assert sorted(selector.ranking_) == list(range(8))


def test_hsic_lasso_leaves_the_global_numpy_rng_as_it_found_it():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    HSICLassoSelector(2, random_state=0).fit(*squared_dependence_data(n=100))
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_hsic_lasso_can_be_asked_for_every_feature():
    X, y = squared_dependence_data(n=100, d=10)
    assert HSICLassoSelector(10, random_state=0).fit(X, y).get_support().all()


# --- PFA -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n_components", [0.5, 6])
def test_pfa_keeps_one_feature_of_each_near_duplicate_pair(n_components):
    X, y = duplicate_pairs_data()
    selector = PFASelector(6, random_state=0, n_components=n_components).fit(X, y)
    pairs = sorted(np.flatnonzero(selector.get_support()) // 2)
    assert pairs == list(range(6))


def test_pfa_reports_the_components_it_kept_and_needs_no_labels():
    X, _ = duplicate_pairs_data()
    selector = PFASelector(4, random_state=0, n_components=0.5).fit(X)
    assert 1 <= selector.n_components_ < 12
    assert selector.get_support().sum() == 4


def test_pfa_never_picks_a_constant_feature():
    X, y = duplicate_pairs_data()
    X = np.hstack([np.zeros((len(X), 3)), X])
    selector = PFASelector(6, random_state=0, n_components=6).fit(X, y)
    assert not selector.get_support()[:3].any()
    assert set(selector.ranking_[-3:]) == {0, 1, 2}


# --- every selector ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", SELECTORS)
def test_exact_k_and_a_full_ranking(cls):
    X, y = class_mean_data(n=120)
    for k in (1, 5, 20):
        selector = cls(k, random_state=0).fit(X, y)
        assert selector.get_support().sum() == k
        assert sorted(selector.ranking_) == list(range(20))
        np.testing.assert_array_equal(np.flatnonzero(selector.get_support()), np.sort(selector.ranking_[:k]))
        assert selector.transform(X).shape == (120, k)


@pytest.mark.parametrize("cls", SELECTORS)
def test_deterministic_under_a_fixed_seed(cls):
    X, y = squared_dependence_data(n=200)
    first = cls(4, random_state=7).fit(X, y).ranking_
    second = cls(4, random_state=7).fit(X, y).ranking_
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("cls", SELECTORS)
def test_constant_columns_rank_last_in_column_order(cls):
    X, y = class_mean_data(n=120)
    X[:, [13, 0, 8]] = [2.5, 0.0, -1.0]
    selector = cls(5, random_state=0).fit(X, y)
    assert selector.ranking_[-3:].tolist() == [0, 8, 13]


@pytest.mark.parametrize("cls", SELECTORS)
def test_all_constant_x_is_refused(cls):
    X = np.full((40, 6), 3.0)
    y = np.repeat([0, 1], 20)
    with pytest.raises(ValueError, match="every column of X is constant over its 40 rows"):
        cls(2, random_state=0).fit(X, y)


def bad_inputs():
    X, y = class_mean_data(n=60)
    with_nan, with_inf = X.copy(), X.copy()
    with_nan[5, 2] = np.nan
    with_inf[7, 1] = np.inf
    return {
        "nan": (with_nan, y, 3, "NaN or infinite"),
        "inf": (with_inf, y, 3, "NaN or infinite"),
        "k too large": (X, y, 21, "n_features_to_select=21"),
        "k zero": (X, y, 0, "n_features_to_select=0"),
        "single class": (X, np.zeros(60, dtype=int), 3, "single class"),
        "length mismatch": (X, y[:-1], 3, "different lengths"),
    }


LABEL_CASES = ("single class", "length mismatch")  # PFA is unsupervised: y is not used, so not checked
BAD_INPUT_RUNS = [
    (cls, case) for cls in SELECTORS for case in bad_inputs() if not (cls is PFASelector and case in LABEL_CASES)
]


@pytest.mark.parametrize(("cls", "case"), BAD_INPUT_RUNS)
def test_bad_input_raises_a_value_error_naming_the_problem(cls, case):
    X, y, k, message = bad_inputs()[case]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the check must come before any library work
        with pytest.raises(ValueError, match=message):
            cls(k, random_state=0).fit(X, y)


def test_make_selector_builds_each_baseline_and_rejects_unknowns():
    X, y = class_mean_data(n=100)
    for method, cls in [("fisher", FisherScoreSelector), ("hsic", HSICLassoSelector), ("pfa", PFASelector),
                        ("trace_ratio", TraceRatioSelector)]:
        selector = make_selector(method, 3, 0)
        assert isinstance(selector, cls) and selector.n_features_to_select == 3
    assert make_selector("pfa", 3, 0, n_components=5).n_components == 5
    with pytest.raises(ValueError, match="method must be one of"):
        make_selector("relief", 3, 0)
    with pytest.raises(ValueError, match="unknown parameters for method 'fisher'"):
        make_selector("fisher", 3, 0, block_size=10)


def test_nested_selection_flags():
    assert FisherScoreSelector.nested_selection is True
    for cls in (HSICLassoSelector, PFASelector, TraceRatioSelector):
        assert cls.nested_selection is False
