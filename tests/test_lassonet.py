"""The LassoNet path and selector: the Lasso limit, feature recovery, exact k, determinism and bad input."""

import numpy as np
import pytest
from sklearn.linear_model import Lasso

from lassonet_bench.core.path import PathSettings, feature_ranking, fit_path, fit_paths
from lassonet_bench.selectors.lassonet import ChanceLevelWarning, LassoNetSelector, ScaleWarning


def test_with_M_zero_the_path_is_the_lasso_path():
    """M = 0 forces W⁽⁰⁾ = 0, leaving a linear model θᵀx + c with an ℓ1 penalty.

    Our loss is the mean squared error (no ½), so λ here is 2α in scikit-learn's Lasso. Full-batch proximal gradient
    descent without momentum is ISTA, which converges to the Lasso solution linearly on this well-conditioned design
    (standardised, n = 25 d, so XᵀX/n has condition number below 3); with step 1/L and 500 warm-started iterations
    per λ the optimisation error is far below the 2e-3 tolerance, which allows for float32 rounding.
    """
    rng = np.random.default_rng(0)
    n, d = 200, 8
    X = rng.normal(size=(n, d))
    X = (X - X.mean(0)) / X.std(0)
    y = X @ np.array([3.0, -2.0, 1.5, 0, 0, 0.5, 0, 0]) + rng.normal(scale=0.5, size=n)
    lipschitz = 2 * np.linalg.eigvalsh(X.T @ X / n).max() + 2  # + 2 for the intercept direction
    settings = PathSettings(
        M=0.0,
        lambda_start=0.05,
        path_multiplier=3.0,
        dense_epochs=0,
        step_epochs=500,
        step_patience=None,
        batch_size=None,
        lr=1 / lipschitz,
        momentum=0.0,
        max_steps=3,
    )
    result = fit_path(X, y, X, y, task="regression", hidden_dims=(4,), settings=settings, seed=0)
    assert len(result.steps) == 4  # the dense record, then three λ
    for record, theta in zip(result.steps[1:], result.coefficients[1:]):
        lasso = Lasso(alpha=record["lambda_"] / 2, tol=1e-12, max_iter=100_000).fit(X, y)
        np.testing.assert_allclose(theta, lasso.coef_, atol=2e-3)
        assert record["n_selected"] == np.count_nonzero(lasso.coef_)


def nonlinear_data(n, seed):
    """y depends non-linearly on the first 5 of 40 features; the other 35 are noise."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1, 1, size=(n, 40))
    y = np.sin(3 * X[:, 0]) + 2 * X[:, 1] ** 2 + X[:, 2] * X[:, 3] * 3 + np.abs(X[:, 4]) * 2
    return X.astype(np.float32), (y - y.mean()) / y.std()


FAST = dict(n_epochs=(40, 10), patience=(5, 2), batch_size=128, path_multiplier=1.05)


def test_the_default_path_still_predicts_when_k_features_are_left():
    """Features must leave one by one from a trained network, not all at once from a collapsed one.

    sklearn's digits (10 classes, 64 pixels), k = 10, default path settings. Measured: 0.64 validation accuracy at
    k and 67 steps from the first exit with the defaults (69 with λ_start = λ_null / 10; 0.67 and 79 with 5 epochs
    per step); 0.10 (chance) when λ jumps through the dense stretch (`dense_phase_multiplier=2`, a former default),
    where every pixel then left within a few steps and ExtraTrees on the 10 fell from 0.92 to 0.68. 0.4 sits well
    between the two.
    """
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X / 16).astype(np.float32)
    rows = np.random.default_rng(0).permutation(len(X))
    train, val = rows[:1200], rows[1200:1500]
    selector = LassoNetSelector(n_features_to_select=10, hidden_dims=(21,), random_state=0, device="cpu")
    selector.fit(X[train], y[train], X_val=X[val], y_val=y[val])
    assert selector.validation_score_ > 0.4
    exits = selector.path_[selector.path_.n_selected < selector.path_.n_selected.max()]
    assert len(exits) >= 50, f"{len(exits)} path steps from the first exit to k: features left all at once"


def test_selector_finds_the_five_true_features():
    X, y = nonlinear_data(1500, seed=0)
    selector = LassoNetSelector(n_features_to_select=5, task="regression", random_state=0, device="cpu", **FAST)
    selector.fit(X[:1200], y[:1200], X_val=X[1200:], y_val=y[1200:])
    assert set(np.flatnonzero(selector.get_support())) == {0, 1, 2, 3, 4}
    assert set(selector.ranking_[:5]) == {0, 1, 2, 3, 4}
    assert sorted(selector.ranking_) == list(range(40))
    assert selector.path_["n_selected"].iloc[-1] <= 5
    assert selector.transform(X).shape == (1500, 5)


COARSE = {**FAST, "path_multiplier": 1.5}  # each step drops several features at once


def classification_data(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 30)).astype(np.float32)
    logits = np.stack([X[:, 0] * 2, X[:, 1] ** 2 - 1, X[:, 2] - X[:, 3]], axis=1)
    return X, np.argmax(logits + rng.gumbel(size=logits.shape) * 0.3, axis=1) + 10  # labels 10, 11, 12


@pytest.mark.parametrize("k", [1, 7, 13])
def test_exactly_k_features_even_when_a_step_drops_several(k):
    X, y = classification_data(600, seed=1)
    selector = LassoNetSelector(
        n_features_to_select=k, random_state=0, device="cpu", **COARSE).fit(X, y)
    assert selector.get_support().sum() == k
    assert selector.transform(X).shape == (600, k)
    np.testing.assert_array_equal(np.flatnonzero(selector.get_support()), np.sort(selector.ranking_[:k]))
    assert list(selector.classes_) == [10, 11, 12]


def test_a_coarse_step_overshoots_k_and_the_ranking_still_gives_k():
    X, y = classification_data(600, seed=1)
    selector = LassoNetSelector(
        n_features_to_select=8, random_state=0, device="cpu", **COARSE).fit(X, y)
    counts = selector.path_["n_selected"].to_numpy()
    assert counts[-1] < 8 < counts[-2], "this setting should overshoot; if the path changed, pick one that does"
    assert selector.get_support().sum() == 8


def test_constant_columns_stay_out_and_are_ranked_last():
    X, y = classification_data(400, seed=5)
    X[:, [4, 9]] = 0.0
    X[:, 17] = 3.0
    selector = LassoNetSelector(n_features_to_select=5, random_state=0, device="cpu", **FAST).fit(X, y)
    assert selector.ranking_[-3:].tolist() == [4, 9, 17]  # in column order
    assert not selector.get_support()[[4, 9, 17]].any()
    assert sorted(selector.ranking_) == list(range(30))
    assert selector.model_.skip.weight.shape[1] == 27
    assert (selector.feature_importances_[[4, 9, 17]] == 0).all()


@pytest.mark.parametrize("task", ["classification", "reconstruction"])
def test_all_constant_x_is_refused_before_training(task):
    X = np.full((60, 5), 0.5, dtype=np.float32)
    y = np.repeat([0, 1], 30) if task == "classification" else None
    with pytest.raises(ValueError, match="every column of X is constant over its 60 rows"):
        LassoNetSelector(n_features_to_select=2, task=task, random_state=0, device="cpu", **FAST).fit(X, y)


def test_x_constant_on_the_training_rows_alone_is_refused():
    from sklearn.utils import check_random_state

    X = np.zeros((20, 4), dtype=np.float32)
    X[0] = 1.0  # only row 0 varies: pick a random_state whose hold-out takes it
    y = np.repeat([0, 1], 10)
    probe = LassoNetSelector(n_features_to_select=2, device="cpu", **FAST)
    random_state = next(
        rs for rs in range(100)
        if (probe._hold_out(X, y, int(check_random_state(rs).randint(2**31 - 1)))[1] == 1).any()
    )
    with pytest.raises(ValueError, match="constant on the 18 training rows"):
        probe.set_params(random_state=random_state).fit(X, y)


def test_a_selection_at_chance_level_is_flagged_and_warned_about():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(300, 10)).astype(np.float32)
    y = (rng.random(300) < 0.25).astype(int)  # labels independent of X: 3 in 4 rows are class 0
    with pytest.warns(ChanceLevelWarning, match=r"no better than predicting the majority class \(0\.\d+ of the 30"):
        selector = LassoNetSelector(n_features_to_select=2, random_state=0, device="cpu", **FAST).fit(X, y)
    assert selector.at_chance_level_ and selector.validation_score_ <= selector.chance_score_ + 1e-6


def test_a_selection_above_chance_level_is_not_flagged():
    import warnings

    X, y = classification_data(400, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ChanceLevelWarning)
        selector = LassoNetSelector(n_features_to_select=5, random_state=0, device="cpu", **FAST).fit(X, y)
    assert not selector.at_chance_level_ and selector.validation_score_ > selector.chance_score_


def badly_scaled_data(scales, n=300, seed=0):
    """y depends on columns 0 and 1; column j is multiplied by scales[j]."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(scales)))
    return (X * scales).astype(np.float32), (X[:, 0] + X[:, 1] > 0).astype(int)


SMALL_INFORMATIVE = np.logspace(-6, 3, 10)  # the informative columns are the narrowest


def test_columns_of_very_different_scales_are_named_in_a_warning_that_suggests_standardize():
    import pandas as pd

    X, y = badly_scaled_data(SMALL_INFORMATIVE)
    X = pd.DataFrame(X, columns=[f"x{j}" for j in range(10)])
    with pytest.warns(ScaleWarning, match=r"factor of 1\.\d+e\+09 .*column 9 \('x9'\).*column 0 \('x0'\).*standardize=True"):
        selector = LassoNetSelector(n_features_to_select=2, random_state=0, device="cpu", **FAST).fit(X, y)
    assert selector.scaler_ is None


def test_standardize_selects_the_informative_columns_whatever_their_scale():
    import warnings

    X, y = badly_scaled_data(SMALL_INFORMATIVE)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScaleWarning)
        selector = LassoNetSelector(
            n_features_to_select=2, standardize=True, random_state=0, device="cpu", **FAST).fit(X, y)
    assert sorted(selector.ranking_[:2]) == [0, 1]
    assert selector.scaler_.n_samples_seen_ == 270  # fitted on the training rows alone, 30 are held out
    np.testing.assert_allclose(selector.scaler_.scale_, X.std(0), rtol=0.2)


def test_min_max_scaled_columns_with_rare_values_do_not_warn():
    import warnings

    rng = np.random.default_rng(0)
    X = rng.random((200, 6)).astype(np.float32)
    X[:, 5] = np.where(rng.random(200) < 0.03, 4 / 255, 0.0)  # an MNIST pixel with rare, faint ink: range 1/64
    y = (X[:, 0] > 0.5).astype(int)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ScaleWarning)
        LassoNetSelector(n_features_to_select=2, random_state=0, device="cpu", **FAST).fit(X, y)


@pytest.mark.parametrize("scales", [np.logspace(6, -6, 10), np.logspace(30, 15, 10)], ids=["1e-6..1e6", "1e15..1e30"])
def test_a_diverging_path_names_the_scale_of_x(scales):
    X, y = badly_scaled_data(scales)
    with pytest.warns(ScaleWarning), pytest.raises(ValueError, match=r"diverged .*scale of X.*column 0.*standardize X"):
        LassoNetSelector(n_features_to_select=2, random_state=0, device="cpu", n_epochs=(20, 2)).fit(X, y)


def test_ranking_orders_by_exit_lambda_then_norm():
    exit_lambda = np.array([1.0, np.inf, 2.0, 2.0, np.inf])
    exit_norm = np.array([0.5, 0.1, 0.2, 0.9, 0.3])
    assert list(feature_ranking(exit_lambda, exit_norm)) == [4, 1, 3, 2, 0]


def test_same_random_state_same_selection_on_cpu():
    X, y = classification_data(400, seed=2)
    fits = [
        LassoNetSelector(n_features_to_select=5, random_state=7, device="cpu", **FAST).fit(X, y) for _ in range(2)
    ]
    np.testing.assert_array_equal(fits[0].ranking_, fits[1].ranking_)
    np.testing.assert_array_equal(fits[0].path_["val_loss"], fits[1].path_["val_loss"])


def test_width_search_keeps_the_best_validation_score():
    X, y = classification_data(500, seed=3)
    best = LassoNetSelector(
        5, hidden_dims="search", width_fractions=(0.1, 0.5), random_state=0, device="cpu", **FAST
    ).fit(X[:400], y[:400], X_val=X[400:], y_val=y[400:])
    assert list(best.width_search_["hidden_dims"]) == [(3,), (15,)]
    assert best.validation_score_ == best.width_search_["validation_score"].max()
    assert best.hidden_dims_ in [(3,), (15,)]


def test_stacked_width_search_is_the_separate_paths():
    """The batched search gives each width the ranking and validation scores of its own path (same seed, batches)."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X = (X[:, X.std(0) > 0] / 16).astype(np.float32)
    rows = np.random.default_rng(0).permutation(len(X))
    train, val = rows[:1000], rows[1000:1300]
    settings = PathSettings(dense_epochs=20, path_multiplier=1.1)
    grid = [(7,), (14,), (21,)]
    data = (X[train], y[train], X[val], y[val])
    stacked = fit_paths(*data, task="classification", hidden_dims_grid=grid, settings=settings,
                        stop_at_n_features=10, seed=0)
    for dims, together in zip(grid, stacked):
        alone = fit_path(*data, task="classification", hidden_dims=dims, settings=settings, stop_at_n_features=10,
                         seed=0)
        np.testing.assert_array_equal(feature_ranking(together.exit_lambda, together.exit_norm),
                                      feature_ranking(alone.exit_lambda, alone.exit_norm))
        for key in ("val_score", "val_loss", "lambda_", "n_selected", "epochs"):
            np.testing.assert_allclose([s[key] for s in together.steps], [s[key] for s in alone.steps], rtol=1e-5)


@pytest.mark.parametrize("name", ["adam", "sgd"])
def test_the_path_optimizers_are_torchs_operation_for_operation(name):
    """The path's Adam and SGD (written out to keep their buffers by parameter name) give torch's numbers on the CPU."""
    import torch

    from lassonet_bench.core.optimizers import SGD, Adam

    torch.manual_seed(0)
    ours, theirs = torch.nn.Linear(9, 4), torch.nn.Linear(9, 4)
    theirs.load_state_dict(ours.state_dict())
    if name == "adam":
        optimizers = [Adam(ours, lr=1e-3), torch.optim.Adam(theirs.parameters(), lr=1e-3, foreach=True)]
    else:
        optimizers = [SGD(ours, lr=1e-3, momentum=0.9), torch.optim.SGD(theirs.parameters(), lr=1e-3, momentum=0.9)]
    x, y = torch.randn(32, 9), torch.randn(32, 4)
    for _ in range(25):
        for model, optimizer in zip((ours, theirs), optimizers):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
    for a, b in zip(ours.parameters(), theirs.parameters()):
        assert torch.equal(a, b)


@pytest.mark.parametrize("task, n_outputs, width", [("classification", 5, 7), ("classification", 3, 1),
                                                    ("regression", 1, 6), ("reconstruction", 6, 3), ("cox", 1, 5)])
def test_a_network_differentiated_by_hand_has_autograds_gradients(task, n_outputs, width):
    """A stack of one network differentiates its layers itself (and cross-entropy without autograd): the loss and
    every gradient are autograd's, bit for bit."""
    import torch

    from lassonet_bench.core.model import LassoNetModel, loss_and_gradient, loss_function, target_tensor
    from lassonet_bench.core.stack import NetworkStack

    torch.manual_seed(0)
    X = torch.randn(40, 6)
    y = {"classification": torch.randint(0, n_outputs, (40,)).numpy(), "regression": torch.randn(40).numpy(),
         "reconstruction": None, "cox": np.stack([np.arange(1, 41) % 7 + 1.0, np.arange(40) % 3 > 0], 1)}[task]
    targets = target_tensor(task, y, X.numpy(), "cpu")
    stack = NetworkStack([LassoNetModel(6, n_outputs, (width,))])
    expected_loss = loss_function(task)(stack.forward_one(X), targets)
    expected_loss.backward()
    expected = {name: param.grad.clone() for name, param in stack.named_parameters()}
    stack.zero_grad(set_to_none=True)
    loss = stack.backward_one(X, targets, loss_and_gradient(task))
    assert torch.equal(loss, expected_loss.detach().reshape(1))
    for name, param in stack.named_parameters():
        assert torch.equal(param.grad, expected[name]), name


@pytest.mark.parametrize("task, n_outputs", [("classification", 4), ("regression", 1), ("reconstruction", 6)])
@pytest.mark.parametrize("hidden_dims", [(7, 5), (9, 4, 3), (12, 1, 6, 5)])
def test_a_deep_network_differentiated_by_hand_has_autograds_gradients(task, n_outputs, hidden_dims):
    """A network of several hidden layers in a stack of one is differentiated by hand too: its loss and gradients
    are autograd's, both through the stack's forward pass and through the `LassoNetModel` it was built from."""
    import torch

    from lassonet_bench.core.model import LassoNetModel, loss_and_gradient, loss_function, target_tensor
    from lassonet_bench.core.stack import NetworkStack

    torch.manual_seed(0)
    X = torch.randn(40, 6)
    y = {"classification": torch.randint(0, n_outputs, (40,)).numpy(), "regression": torch.randn(40).numpy(),
         "reconstruction": None}[task]
    targets = target_tensor(task, y, X.numpy(), "cpu")
    model = LassoNetModel(6, n_outputs, hidden_dims)
    stack = NetworkStack([model])
    loss = stack.backward_one(X, targets, loss_and_gradient(task))
    by_hand = {name: param.grad.clone() for name, param in stack.named_parameters()}
    assert set(by_hand) == {"theta", "first", "first_bias", "output", "output_bias",
                            *(f"hidden{i}_{part}" for i in range(1, len(hidden_dims)) for part in ("weight", "bias"))}

    stack.zero_grad(set_to_none=True)
    loss_function(task)(stack.forward_one(X), targets).backward()
    for name, param in stack.named_parameters():
        torch.testing.assert_close(by_hand[name], param.grad, rtol=0, atol=1e-6, msg=name)

    model_loss = loss_function(task)(model(X), targets)
    model_loss.backward()
    torch.testing.assert_close(loss, model_loss.detach().reshape(1), rtol=0, atol=1e-6)
    linears = [module for module in model.body if isinstance(module, torch.nn.Linear)]
    model_grads = {"theta": model.skip.weight.grad.unsqueeze(0), "first": linears[0].weight.grad,
                   "first_bias": linears[0].bias.grad, "output": linears[-1].weight.grad.T,
                   "output_bias": linears[-1].bias.grad.unsqueeze(0)}
    for i, layer in enumerate(linears[1:-1], start=1):
        model_grads[f"hidden{i}_weight"], model_grads[f"hidden{i}_bias"] = layer.weight.grad, layer.bias.grad
    for name, grad in model_grads.items():
        torch.testing.assert_close(by_hand[name], grad, rtol=0, atol=1e-6, msg=name)


def test_a_deep_stack_gives_its_network_back_over_all_features():
    """`network(0)` of a deep stack cut to some features is a `LassoNetModel` of the same hidden dims that computes
    the stack's function, with zero weights on the features dropped."""
    import torch

    from lassonet_bench.core.model import LassoNetModel
    from lassonet_bench.core.stack import NetworkStack

    torch.manual_seed(0)
    stack = NetworkStack([LassoNetModel(8, 3, (6, 5, 4))])
    kept = torch.tensor([0, 2, 3, 7])
    cut = stack.compact([0], kept)
    X = torch.randn(20, 8)
    network = cut.network(0)
    assert [m.out_features for m in network.body if isinstance(m, torch.nn.Linear)] == [6, 5, 4, 3]
    assert torch.equal(network.feature_norms()[[1, 4, 5, 6]], torch.zeros(4))
    torch.testing.assert_close(network(X), cut.forward_one(X[:, kept]), rtol=0, atol=1e-6)


def test_a_deep_networks_dense_fit_waits_at_least_deep_dense_patience_epochs():
    X, y = nonlinear_data(400, seed=0)
    epochs = {}
    for deep_patience in (20, None):
        settings = PathSettings(dense_epochs=40, dense_patience=1, deep_dense_patience=deep_patience, max_steps=0)
        result = fit_path(X[:300], y[:300], X[300:], y[300:], task="regression", hidden_dims=(8, 4),
                          settings=settings, seed=0)
        epochs[deep_patience] = result.steps[0]["epochs"]
    assert epochs[20] > 20 > epochs[None]
    with pytest.raises(ValueError, match="deep_dense_patience"):
        PathSettings(deep_dense_patience=-1)


def test_a_deep_path_selects_the_true_features_and_drops_the_others():
    X, y = nonlinear_data(1500, seed=0)
    selector = LassoNetSelector(n_features_to_select=5, task="regression", hidden_dims=(16, 8), random_state=0,
                                device="cpu", **FAST)
    selector.fit(X[:1200], y[:1200], X_val=X[1200:], y_val=y[1200:])
    assert set(np.flatnonzero(selector.get_support())) == {0, 1, 2, 3, 4}
    assert selector.path_["n_selected"].iloc[-1] <= 5
    assert [m.out_features for m in selector.model_.body if hasattr(m, "out_features")] == [16, 8, 1]
    assert int((selector.model_.feature_norms() > 0).sum()) <= 5


@pytest.mark.parametrize("path_optimizer", ["adam", "sgd"])
def test_the_path_optimizer_trains_on_after_features_leave(path_optimizer):
    """Once features leave, the stack is cut to the features still in; its optimizer must step the new weights."""
    import torch

    X, y = nonlinear_data(600, seed=1)
    outputs = []

    def keep_output_layer(step, model):
        outputs.append((step["n_selected"], model.body[-1].weight.detach().clone()))

    settings = PathSettings(path_optimizer=path_optimizer, dense_epochs=10, path_multiplier=1.1, max_steps=60)
    fit_path(X[:500], y[:500], X[500:], y[500:], task="regression", hidden_dims=(8,), settings=settings,
             stop_at_n_features=20, seed=0, callback=keep_output_layer)
    after_exits = [weights for n_selected, weights in outputs if n_selected < 40]
    assert len(after_exits) >= 3
    assert all(not torch.equal(a, b) for a, b in zip(after_exits, after_exits[1:]))


@pytest.mark.parametrize(
    "fractions, message",
    [((0.5, 0.0), "positive"), ((0.5, -1), "positive"), ((0.5, 0.5), "same width twice"), ((), "at least one")],
)
def test_width_search_refuses_a_bad_grid(fractions, message):
    X, y = classification_data(100, seed=0)
    with pytest.raises(ValueError, match=message):
        LassoNetSelector(5, hidden_dims="search", width_fractions=fractions, device="cpu").fit(X, y)


def test_fit_paths_refuses_duplicate_and_empty_widths():
    X, y = classification_data(100, seed=0)
    for grid, message in [([(5,), (5,)], "duplicate"), ([(0,)], "positive"), ([], "at least one")]:
        with pytest.raises(ValueError, match=message):
            fit_paths(X, y, X, y, task="classification", hidden_dims_grid=grid)


def test_reconstruction_task_selects_without_labels():
    rng = np.random.default_rng(4)
    latent = rng.normal(size=(500, 3))
    X = np.concatenate([latent, latent @ rng.normal(size=(3, 9)), rng.normal(size=(500, 4)) * 0.1], axis=1)
    selector = LassoNetSelector(
        n_features_to_select=3, task="reconstruction", random_state=0, device="cpu", **FAST
    ).fit(X.astype(np.float32))
    assert selector.get_support().sum() == 3
    # the 4 low-variance noise columns cannot reconstruct the rest and are not chosen
    assert not set(np.flatnonzero(selector.get_support())) & {12, 13, 14, 15}


@pytest.mark.parametrize(
    "change, message",
    [
        (dict(X=np.array([[np.nan, 1.0], [0.0, 1.0], [1.0, 0.0]])), "NaN or infinite"),
        (dict(X=np.array([[np.inf, 1.0], [0.0, 1.0], [1.0, 0.0]])), "NaN or infinite"),
        (dict(n_features_to_select=3), r"n_features_to_select=3 is out of range: .*\[1, 2\]"),
        (dict(n_features_to_select=0), r"n_features_to_select=0 is out of range"),
        (dict(y=np.array([0, 1])), "different lengths: 3 rows in X, 2 in y"),
        (dict(task="ranking"), "task must be one of"),
        (dict(y=np.array([0.5, 1.0, 0.0])), r"Unknown label type for y: continuous \(e.g. 0.5\)"),
        (dict(y=np.array([0, "a", 1], dtype=object)), "Unknown label type for y: unknown"),
        (dict(hidden_dims=5.5), r"hidden_dims must be None, a positive int .* got 5.5"),
        (dict(hidden_dims=(8, 0)), r"hidden_dims must be .* got \(8, 0\)"),
        (dict(validation_fraction=1.0), r"validation_fraction must lie in \(0, 1\)"),
        (dict(y=np.array([1, 1, 1])), "single class"),
    ],
)
def test_bad_input_is_refused_before_training(change, message):
    args = dict(X=np.array([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0]]), y=np.array([0, 1, 0]), n_features_to_select=1)
    args.update(change)
    params = {name: args.pop(name) for name in ("task", "hidden_dims", "validation_fraction") if name in args}
    selector = LassoNetSelector(n_features_to_select=args.pop("n_features_to_select"), device="cpu", **params)
    with pytest.raises(ValueError, match=message):
        selector.fit(args["X"], args["y"])
    assert not hasattr(selector, "ranking_")
