"""task="cox": the partial likelihood against a direct computation, target checks, feature recovery on a
non-linear hazard, and the survival comparison's tables, figure and report section."""

import numpy as np
import pytest
import torch
from sksurv.linear_model import CoxnetSurvivalAnalysis
from sksurv.util import Surv

from lassonet_bench.plots import draw_figure
from lassonet_bench.reporting.figures_section import figures_report_section
from lassonet_bench.experiments.survival import compute_survival_comparison, load_survival_dataset
from lassonet_bench.core.model import loss_function, n_outputs_of, score, target_tensor
from lassonet_bench.selectors.lassonet import LassoNetSelector
from lassonet_bench.core.survival import check_survival_targets, cox_partial_nll

# Tied event times at 3 (three events and a censored row) and 5 (two events), censored rows among them.
TIME = np.array([5.0, 3, 3, 3, 8, 1, 5, 3, 9])
EVENT = np.array([1, 1, 1, 0, 0, 1, 1, 1, 0])
ETA = np.array([0.3, -1.2, 0.5, 0.8, -0.1, 2.0, 0.0, 0.7, -0.4])


def direct_negative_log_likelihood(time, event, eta, ties):
    """The textbook formula, one distinct event time at a time, divided by the number of events."""
    log_likelihood = 0.0
    for t in np.unique(time[event == 1]):
        dying = (time == t) & (event == 1)
        at_risk = time >= t
        d = dying.sum()
        log_likelihood += eta[dying].sum()
        for l in range(d):
            share = l / d if ties == "efron" else 0.0
            log_likelihood -= np.log(np.exp(eta[at_risk]).sum() - share * np.exp(eta[dying]).sum())
    return -log_likelihood / event.sum()


@pytest.mark.parametrize("ties", ["efron", "breslow"])
def test_partial_likelihood_matches_the_direct_computation_with_ties(ties):
    targets = torch.tensor(np.column_stack([TIME, EVENT]), dtype=torch.float64)
    order = np.random.default_rng(0).permutation(len(TIME))  # row order must not matter
    eta = torch.tensor(ETA[order], requires_grad=True)
    loss = cox_partial_nll(eta, targets[order], ties)
    loss.backward()
    assert loss.item() == pytest.approx(direct_negative_log_likelihood(TIME, EVENT, ETA, ties), rel=1e-12)
    assert torch.isfinite(eta.grad).all()


def test_efron_and_breslow_agree_without_ties_and_differ_with_them():
    no_ties = torch.tensor(np.column_stack([np.arange(1.0, 10), EVENT]))
    eta = torch.tensor(ETA)
    breslow = cox_partial_nll(eta, no_ties, "breslow").item()
    assert cox_partial_nll(eta, no_ties, "efron").item() == pytest.approx(breslow)
    tied = torch.tensor(np.column_stack([TIME, EVENT]))
    assert cox_partial_nll(eta, tied, "efron").item() < cox_partial_nll(eta, tied, "breslow").item()


def test_model_hooks_for_cox_read_both_target_layouts():
    two_columns = np.column_stack([TIME, EVENT])
    structured = Surv.from_arrays(EVENT.astype(bool), TIME)
    for y in (two_columns, structured):
        targets = target_tensor("cox", y, None, "cpu")
        assert targets.shape == (len(TIME), 2) and n_outputs_of("cox", targets) == 1
    targets = target_tensor("cox", structured, None, "cpu")
    outputs = torch.tensor(ETA, dtype=torch.float32)[:, None]
    expected = direct_negative_log_likelihood(TIME, EVENT, ETA, "breslow")
    assert loss_function("cox_breslow")(outputs, targets).item() == pytest.approx(expected, rel=1e-6)
    distinct = torch.tensor(np.column_stack([np.arange(9.0), EVENT]))
    assert score("cox", -distinct[:, :1], distinct) == 1.0  # risk = −time orders every comparable pair rightly
    assert score("cox", distinct[:, :1], distinct) == 0.0


BAD_TARGETS = [
    (np.column_stack([[-1.0, 2, 3], [1, 0, 1]]), "negative, NaN or infinite survival times"),
    (np.column_stack([[np.nan, 2, 3], [1, 0, 1]]), "negative, NaN or infinite survival times"),
    (np.column_stack([[1.0, 2, 3], [1, 2, 0]]), "event indicator must be 0 or 1, got 2.0 at row 1"),
    (np.column_stack([[1.0, 2, 3], [0, 0, 0]]), "every row of y is censored"),
    (np.array([1.0, 2, 3]), r"two columns \(time, event\).*shape \(3,\)"),
    (np.ones((3, 3)), r"two columns \(time, event\).*shape \(3, 3\)"),
    (np.array([(1.0, True)] * 3, dtype=[("time", float), ("event", bool)]), "first field 'time' must be the boolean"),
]


@pytest.mark.parametrize("y, message", BAD_TARGETS)
def test_bad_survival_targets_are_named_before_training(y, message):
    X = np.random.default_rng(0).normal(size=(3, 4))
    with pytest.raises(ValueError, match=message):
        LassoNetSelector(n_features_to_select=2, task="cox", n_epochs=(10**6, 10**6)).fit(X, y)


def test_bad_validation_targets_are_named():
    X = np.random.default_rng(0).normal(size=(4, 2))
    y = np.column_stack([[1.0, 2, 3, 4], [1, 0, 1, 1]])
    with pytest.raises(ValueError, match="every row of y_val is censored"):
        LassoNetSelector(n_features_to_select=1, task="cox").fit(X, y, X_val=X, y_val=y * [1, 0])
    with pytest.raises(ValueError, match="X and y have different lengths"):
        check_survival_targets(y, n_samples=5)


def nonlinear_survival_problem(n=600, d=20, seed=0):
    """log hazard = x0 − x1 + 1.5 (x2² − 1): x2 acts through its square, which no linear term can express."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    log_hazard = X[:, 0] - X[:, 1] + 1.5 * (X[:, 2] ** 2 - 1)
    event_time = rng.exponential(size=n) / np.exp(log_hazard)
    censoring_time = rng.exponential(scale=2.0, size=n)
    return X, np.column_stack([np.minimum(event_time, censoring_time), event_time <= censoring_time])


def test_lassonet_cox_ranks_the_three_hazard_features_first_and_the_lasso_cox_misses_the_nonlinear_one():
    X, y = nonlinear_survival_problem()
    selector = LassoNetSelector(
        n_features_to_select=3, task="cox", hidden_dims=(16,), batch_size=None, n_epochs=(200, 10),
        patience=(10, 3), path_multiplier=1.1, lr=1e-2, random_state=0, device="cpu",
    ).fit(X, y)
    assert set(selector.ranking_[:3]) == {0, 1, 2}

    lasso_cox = CoxnetSurvivalAnalysis(l1_ratio=1.0).fit(X, Surv.from_arrays(y[:, 1].astype(bool), y[:, 0]))
    active = lasso_cox.coef_ != 0
    entry_step = np.where(active.any(axis=1), active.argmax(axis=1), active.shape[1])
    lasso_top3 = np.argsort(entry_step, kind="stable")[:3]
    assert set(lasso_top3) >= {0, 1} and 2 not in lasso_top3


def test_survival_comparison_writes_tables_figure_and_report(tmp_path):
    X, y, names = load_survival_dataset("breast_cancer")
    assert X.shape == (198, len(names)) and int(y[:, 1].sum()) == 51
    options = {"hidden_dims": [8], "path": {"path_multiplier": 1.5, "n_epochs": [10, 2], "patience": [5, 1],
                                            "batch_size": None}}
    tables = compute_survival_comparison(
        X, y, [0], ["lassonet", "lasso_cox", "lassonet_official"], options, {"n_alphas": 20}, [5, 20]
    )
    path, curve = tables["path"], tables["curve"]
    assert set(path["method"]) == {"lassonet", "lasso_cox", "lassonet_official"}
    assert path["test_cindex"].between(0, 1).all()
    assert (curve.loc[curve["k"] != "val_best", "n_selected"] <= curve.loc[curve["k"] != "val_best", "k"]
            .astype(int)).all()
    figures = tmp_path / "figures"
    (figures / "data").mkdir(parents=True)
    inputs = {role: figures / "data" / f"survival_{role}.csv" for role in tables}
    for role, frame in tables.items():
        frame.to_csv(inputs[role], index=False)
    draw_figure("survival", inputs, figures / "survival.png", figures / "survival.pdf")
    section = figures_report_section({"survival": (figures / "survival.png", inputs)}, tmp_path)
    assert "*Beyond the paper.*" in section and "*Who wins.*" in section
    assert "![Beyond the paper: LassoNet for survival data (Cox)](figures/survival.png)" in section
