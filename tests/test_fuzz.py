"""Property-based tests (hypothesis): on any input a user can give, every selector and the configuration's checks
end in bounded time with a result that keeps the selectors' promises, or with a clear error; never a hang, never a
silently wrong answer.

CI runs a few examples per property (the "ci" profile); LASSONET_BENCH_FUZZ_EXAMPLES=<n> runs n instead, as
`python benchmarks/fuzz.py` does. Deadlines are off: a first call pays for imports, and the hang guard is an alarm.
"""

import contextlib
import copy
import os
import signal
import warnings
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lassonet_bench.datasets import REGISTRY, Dataset, get_spec, make_split, subsample
from lassonet_bench.runs.checks import check_config_against_datasets
from lassonet_bench.schemas import config_schema, schema_file
from lassonet_bench.selectors import (
    FisherScoreSelector,
    HSICLassoSelector,
    LassoNetSelector,
    PFASelector,
    TraceRatioSelector,
    make_selector,
)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = int(os.environ.get("LASSONET_BENCH_FUZZ_EXAMPLES", 0))


def fuzz(max_examples):
    """Settings for one property: `max_examples` (or LASSONET_BENCH_FUZZ_EXAMPLES), fixed examples in CI."""
    return settings(
        max_examples=EXAMPLES or max_examples, deadline=None, derandomize=not EXAMPLES, print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


SECONDS_PER_FIT = 30  # far above any case here (milliseconds to a second); reaching it is a hang


@contextlib.contextmanager
def time_limit(seconds):
    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@st.composite
def selection_problems(draw, max_rows=30, max_features=8):
    """(X, y, k): shapes down to 2 rows and 1 feature, four dtypes, column scales over 12 orders of magnitude,
    constant columns, perfect separators, and classes of a single row."""
    n_classes = draw(st.integers(1, 4))
    n = draw(st.integers(max(2, n_classes), max_rows))
    d = draw(st.integers(1, max_features))
    y = np.concatenate([np.arange(n_classes), draw(hnp.arrays(np.int64, n - n_classes, elements=st.integers(0, n_classes - 1)))])
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.bool_]))
    if dtype == np.bool_:
        X = draw(hnp.arrays(np.bool_, (n, d)))
    else:
        X = draw(hnp.arrays(np.float64, (n, d), elements=st.floats(-1, 1, width=32)))
        X = X * 10.0 ** draw(hnp.arrays(np.float64, d, elements=st.integers(-6, 6).map(float)))
        constant = draw(hnp.arrays(np.bool_, d))
        X[:, constant] = draw(st.floats(-5, 5, width=32))
        if draw(st.booleans()):
            X[:, draw(st.integers(0, d - 1))] = 3.0 * y  # separates the classes perfectly
        X = X.astype(dtype) if dtype != np.int64 else np.round(X).astype(np.int64)
    k = draw(st.integers(1, d + 1))
    return X, y, k


def check_outcome(selector, X, y, k):
    """Fit; a refusal must be a ValueError with a message. A result must keep the selector's promises."""
    try:
        with time_limit(SECONDS_PER_FIT), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # warnings are allowed; what is checked is the outcome
            selector.fit(X, y)
    except ValueError as error:
        assert str(error), f"{type(selector).__name__} refused the input without saying why"
        return None
    d = X.shape[1]
    ranking = selector.ranking_
    assert sorted(ranking.tolist()) == list(range(d))
    support = np.flatnonzero(selector.get_support())
    assert len(support) == k and set(support) == set(ranking[:k].tolist())
    constant = np.flatnonzero(np.ptp(np.asarray(X, dtype=np.float64), axis=0) == 0)
    assert len(constant) < d, "an all-constant X must be refused"
    if isinstance(selector, LassoNetSelector):  # constant on its training rows, after the hold-out
        last = np.setdiff1d(np.arange(d), selector.informative_features_)
        assert set(constant) <= set(last)
        constant = last
    assert ranking[d - len(constant):].tolist() == constant.tolist(), "constant columns must come last, in order"
    return selector


BASELINES = {
    "fisher": lambda k: FisherScoreSelector(k, backend="closed_form"),
    "fisher_skfeature": lambda k: FisherScoreSelector(k, backend="skfeature"),
    "trace_ratio": lambda k: TraceRatioSelector(k, backend="closed_form"),
    "trace_ratio_skfeature": lambda k: TraceRatioSelector(k, backend="skfeature"),
    "pfa": lambda k: PFASelector(k, random_state=0, n_init=2),
    "hsic": lambda k: HSICLassoSelector(k, random_state=0, block_size=2, n_permutations=1),
    # the selectors beyond the paper, small budgets
    "mutual_info": lambda k: make_selector("mutual_info", k, 0),
    "tree_importance": lambda k: make_selector("tree_importance", k, 0, n_estimators=10),
    "l1_logistic": lambda k: make_selector("l1_logistic", k, 0, steps_per_decade=4, max_iter=200),
    "mrmr": lambda k: make_selector("mrmr", k, 0),
    "relieff": lambda k: make_selector("relieff", k, 0, n_neighbors=3),
    "stg": lambda k: make_selector("stg", k, 0, hidden_dim=8, n_epochs=5, device="cpu"),
}


@pytest.mark.parametrize("method", BASELINES)
@fuzz(40)
@given(problem=selection_problems())
def test_a_baseline_ends_with_a_sound_result_or_a_clear_error(method, problem):
    X, y, k = problem
    if check_outcome(BASELINES[method](k), X, y, k) is None:
        return
    assert k <= X.shape[1], "k above the number of features must be refused"


@fuzz(40)
@given(problem=selection_problems())
def test_fisher_and_trace_ratio_rank_a_perfect_separator_first(problem):
    X, y, _ = problem
    X = np.asarray(X, dtype=np.float64)
    assume(len(np.unique(y)) >= 2 and np.bincount(y).max() >= 2)
    X = np.column_stack([X, 7.0 * y + 1.0])
    separators = [j for j in range(X.shape[1]) if all(np.ptp(X[y == c, j]) == 0 for c in np.unique(y))
                  and np.ptp(X[:, j]) > 0]
    assume(separators == [X.shape[1] - 1])  # the only feature constant inside every class
    for selector in (FisherScoreSelector(1, backend="closed_form"), TraceRatioSelector(1, backend="closed_form"),
                     TraceRatioSelector(1, backend="skfeature")):
        with time_limit(SECONDS_PER_FIT), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert selector.fit(X, y).ranking_[0] == X.shape[1] - 1, type(selector).__name__


@fuzz(8)
@given(problem=selection_problems(max_rows=40, max_features=5), standardize=st.booleans())
def test_lassonet_ends_with_a_sound_result_or_a_clear_error(problem, standardize):
    X, y, k = problem
    selector = LassoNetSelector(
        k, hidden_dims=(3,), n_epochs=(3, 1), patience=(1, 1), path_multiplier=2.0, batch_size=16, device="cpu",
        random_state=0, standardize=standardize,
    )
    if check_outcome(selector, X, y, k) is not None:
        assert np.isfinite(selector.feature_importances_).all()


# --- the configuration ---------------------------------------------------------------------------------------------

with open(REPO / "config.yaml") as _handle:
    BASE_CONFIG = yaml.safe_load(_handle)
CONFIG_SCHEMA = config_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
PAPER_CLASSIFICATION = sorted(name for name, spec in REGISTRY.items() if spec.task == "classification")


def validated(config):
    from snakemake.exceptions import WorkflowError
    from snakemake.utils import validate

    with schema_file(CONFIG_SCHEMA) as path:
        try:
            validate(config, path)
        except WorkflowError:
            return None
    return config


def splits_for_real(name, max_samples):
    """Whether a subsample and split of balanced labels of the declared shape work (the jobs' own code)."""
    spec = get_spec(name)
    y = np.arange(spec.n_samples) % spec.n_classes
    dataset = Dataset(np.zeros((spec.n_samples, 1)), y, np.array(["x"]), {"name": name, "task": spec.task})
    try:
        make_split(subsample(dataset, max_samples).y, seed=0, stratify=True)
        return True
    except ValueError:
        return False


@fuzz(40)
@given(
    datasets=st.lists(st.sampled_from(PAPER_CLASSIFICATION), min_size=1, max_size=3, unique=True),
    k=st.one_of(st.integers(-2, 900), st.sampled_from(["fifty", 2.5, True])),
    grid=st.lists(st.integers(1, 900), min_size=1, max_size=3, unique=True),
    max_samples=st.one_of(st.none(), st.integers(-1, 8000), st.sampled_from(["300", 2.5, True])),
)
def test_the_configuration_is_refused_at_start_or_its_data_sets_fit(datasets, k, grid, max_samples):
    config = copy.deepcopy(BASE_CONFIG)
    config.update(datasets=datasets, extra_datasets=[], n_features_to_select=k)
    config["figure5"].update(dataset=datasets[0], fallback_dataset=None, n_features_grid=grid)
    config["data"]["max_samples"] = max_samples
    config = validated(config)
    well_typed = (isinstance(k, int) and not isinstance(k, bool) and k >= 1 and (max_samples is None or (
        isinstance(max_samples, int) and not isinstance(max_samples, bool) and max_samples >= 1)))
    assert (config is not None) == well_typed, "the schema must refuse exactly the ill-typed values"
    if config is None:
        return
    with time_limit(SECONDS_PER_FIT):
        try:
            check_config_against_datasets(config)
            refused = None
        except ValueError as error:
            refused = str(error)
    fits = all(k <= get_spec(d).n_features for d in datasets) and max(grid) <= get_spec(datasets[0]).n_features
    if max_samples is not None:
        fits = fits and all(splits_for_real(d, max_samples) for d in datasets)
    assert (refused is None) == fits, refused
    if refused:
        assert "config key" in refused and any(f"data set {d!r}" in refused for d in datasets), refused
