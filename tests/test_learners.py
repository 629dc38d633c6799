"""Downstream learners on small real data: scikit-learn's bundled digits, and Mice Protein from the shared mirror."""

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from threadpoolctl import threadpool_limits

from lassonet_bench.learners import decoder
from lassonet_bench.core.devices import resolve_device, torch_threads
from lassonet_bench.learners.decoder import (
    DecoderTraining, derive_seed, evaluate_decoder, fit_decoder, fit_decoders, hidden_width_grid, make_decoder,
)
from lassonet_bench.learners.extra_trees import evaluate_extra_trees

SHARED_DATASETS = Path(__file__).resolve().parents[2] / "shared" / "datasets"


@pytest.fixture(autouse=True)
def one_thread():
    with torch_threads(1), threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def digits():
    """1797 real 8x8 digit images (ships with scikit-learn), scaled to [0, 1], split 70/10/20."""
    X, y = load_digits(return_X_y=True)
    order = np.random.default_rng(0).permutation(len(y))
    X, y = (X[order] / 16.0).astype(np.float32), y[order]
    a, b = int(0.7 * len(y)), int(0.8 * len(y))
    return X[:a], y[:a], X[a:b], y[a:b], X[b:], y[b:]


def test_hidden_width_grid_is_k_thirds_rounded_and_at_least_one():
    assert hidden_width_grid(50) == [17, 33, 50, 67]
    assert hidden_width_grid(784) == [261, 523, 784, 1045]
    assert hidden_width_grid(2) == [1, 2, 3]  # 2/3 and 4/3 both round to 1: duplicates dropped
    assert hidden_width_grid(1) == [1]  # 1/3 rounds to 0: at least 1


def test_decoder_keeps_the_width_with_the_best_validation_accuracy(digits):
    result = evaluate_decoder(*digits, max_epochs=15, patience=3, random_state=0, device="cpu")
    search = result["width_search"]
    assert list(search) == hidden_width_grid(64)
    best = max(search.values())
    assert result["hidden_width"] == next(width for width, acc in search.items() if acc == best)
    assert result["validation_accuracy"] == best
    assert result["accuracy"] > 0.85


def test_decoder_is_deterministic_under_a_fixed_seed(digits):
    first = evaluate_decoder(*digits, hidden_widths=[20], max_epochs=5, random_state=3, device="cpu")
    second = evaluate_decoder(*digits, hidden_widths=[20], max_epochs=5, random_state=3, device="cpu")
    other = evaluate_decoder(*digits, hidden_widths=[20], max_epochs=5, random_state=4, device="cpu")
    assert first == second
    assert other["validation_accuracy"] != first["validation_accuracy"] or other["accuracy"] != first["accuracy"]


def as_tensors(*arrays):
    return [torch.as_tensor(a, dtype=torch.float32 if i % 2 == 0 else torch.int64) for i, a in enumerate(arrays)]


def test_early_stopping_stops_after_patience_and_restores_the_best_epoch(digits):
    X_train, y_train, X_val, y_val = as_tensors(digits[0][:300], digits[1][:300], digits[2], digits[3])
    training = DecoderTraining(max_epochs=300, patience=4, lr=0.03)
    fit = fit_decoder(X_train, y_train, X_val, y_val, 64, 10, training, random_state=0)
    assert fit.epochs_trained < 300
    assert fit.epochs_trained == fit.best_epoch + 4
    assert fit.validation_loss == pytest.approx(min(fit.validation_losses), rel=1e-5)
    assert min(fit.validation_losses) < fit.validation_losses[-1]


def test_training_ends_at_max_epochs_when_the_loss_keeps_falling(digits):
    X_train, y_train, X_val, y_val = as_tensors(*digits[:4])
    training = DecoderTraining(max_epochs=3, patience=50)
    fit = fit_decoder(X_train, y_train, X_val, y_val, 30, 10, training, random_state=0)
    assert fit.epochs_trained == 3 and len(fit.validation_losses) == 3


def _fit_one(X_train, y_train, X_val, y_val, hidden_width, n_classes, training, random_state):
    """The decoder as it trained before the width search was batched (commit 2876723): one network, its own loop.
    Kept here only as the reference the batched search is checked against; src has one implementation."""
    generator = torch.Generator().manual_seed(random_state)
    model = make_decoder(X_train.shape[1], hidden_width, n_classes, generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=training.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    best, losses, epoch = (math.inf, 0, None), [], 0
    for epoch in range(1, training.max_epochs + 1):
        for batch in torch.randperm(len(X_train), generator=generator).split(training.batch_size):
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(X_train[batch]), y_train[batch]).backward()
            optimizer.step()
        with torch.no_grad():
            val_loss = float(loss_fn(model(X_val), y_val))
        losses.append(val_loss)
        if val_loss < best[0]:
            best = (val_loss, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
        elif epoch - best[1] >= training.patience:
            break
    model.load_state_dict(best[2])
    with torch.no_grad():
        logits = model(X_val)
    return dict(validation_accuracy=float((logits.argmax(dim=1) == y_val).float().mean()),
                validation_loss=float(loss_fn(logits, y_val)), best_epoch=best[1], epochs_trained=epoch,
                validation_losses=losses)


def test_batched_width_search_trains_each_width_as_it_trains_alone(digits):
    tensors = as_tensors(*digits[:4])
    training = DecoderTraining(max_epochs=200, patience=5, lr=0.01)
    widths = hidden_width_grid(64)
    fits = fit_decoders(*tensors, widths, 10, training, random_state=0)
    assert [fit.hidden_width for fit in fits] == widths
    assert len({fit.epochs_trained for fit in fits}) == len(widths)  # they stop apart: each leaves the stack alone
    alone = fit_decoder(*tensors, widths[0], 10, training, random_state=derive_seed(0, widths[0]))
    for fit in fits + [alone]:
        reference = _fit_one(*tensors, fit.hidden_width, 10, training, derive_seed(0, fit.hidden_width))
        assert (fit.best_epoch, fit.epochs_trained) == (reference["best_epoch"], reference["epochs_trained"])
        assert fit.validation_accuracy == reference["validation_accuracy"]
        assert fit.validation_loss == pytest.approx(reference["validation_loss"], abs=1e-5)  # the restored weights
        assert fit.validation_losses == pytest.approx(reference["validation_losses"], abs=1e-5)


def test_the_width_grid_is_cut_into_chunks_of_about_k_thirds():
    for k, chunk in ((50, 17), (784, 262), (10, 4), (1, 1)):
        widths = hidden_width_grid(k)
        assert decoder.chunk_width(widths) == chunk
        assert [math.ceil(width / chunk) for width in widths] == [1, 2, 3, 4][: len(widths)]
    assert decoder.chunk_width([1, 1000]) == 125  # at most 8 chunks per network


def test_padded_weights_and_their_adam_moments_stay_zero(digits):
    X_train, y_train = as_tensors(*digits[:2])
    widths = [5, 29, 11]  # chunks of 6 units: 1, 5 and 2 chunks, each network's last one with one padded unit
    generators = [torch.Generator().manual_seed(width) for width in widths]
    stack = decoder._DecoderStack([make_decoder(64, w, 10, g) for w, g in zip(widths, generators)], generators,
                                  0.01, "cpu")
    assert stack.chunk == 6 and stack.spans == [(0, 1), (1, 5), (6, 2)]
    for _ in range(3):
        stack.train_epoch(X_train, y_train, 256)

    def padding(tensors):
        parts = [stack.network(tensors, i) for i in range(len(widths))]
        return [t for (weight, bias, out_weight, _), w in zip(parts, widths) for t in (weight[w:], bias[w:],
                                                                                        out_weight[:, w:])]

    def all_zero(tensors):
        return all(bool((t == 0).all()) for t in tensors)

    state = [stack.optimizer.state[p] for p in stack.parameters]
    for tensors in (stack.parameters, [p.grad for p in stack.parameters], [s["exp_avg"] for s in state],
                    [s["exp_avg_sq"] for s in state]):
        assert all_zero(padding(tensors))
    assert not all_zero([p.grad for p in stack.parameters])
    before = [p.detach()[[0, 6, 7]] for p in stack.parameters[:3]]  # the chunks of networks 0 and 2
    stack.keep([0, 2])  # the widest leaves the stack
    assert stack.networks == [0, 2] and stack.owner.tolist() == [0, 1, 1]
    assert all(torch.equal(p, b) for p, b in zip(stack.parameters[:3], before))
    assert all(stack.optimizer.state[p]["step"] == 15 for p in stack.parameters)  # 3 epochs of 5 mini-batches
    stack.train_epoch(X_train, y_train, 256)
    weight, bias, out_weight, _ = stack.parameters
    assert all_zero([weight[[0, 2], 5:], bias[[0, 2], 5:], out_weight[[0, 2], :, 5:]])
    assert not torch.equal(weight[[0, 1, 2], :5], before[0][:, :5])  # and the kept networks trained on


def test_extra_trees_fifty_trees_deterministic_and_accurate(digits):
    X_train, y_train, _, _, X_test, y_test = digits
    first = evaluate_extra_trees(X_train, y_train, None, None, X_test, y_test, random_state=0)
    assert first == evaluate_extra_trees(X_train, y_train, None, None, X_test, y_test, random_state=0)
    assert first["accuracy"] > 0.9


def test_learners_reject_bad_input_before_training(digits):
    X_train, y_train, X_val, y_val, X_test, y_test = digits
    with_nan = X_train.copy()
    with_nan[3, 5] = np.nan
    with pytest.raises(ValueError, match="X_train holds 1 NaN"):
        evaluate_decoder(with_nan, y_train, X_val, y_val, X_test, y_test, max_epochs=1)
    with pytest.raises(ValueError, match="y_train holds a single class"):
        evaluate_extra_trees(X_train, np.zeros_like(y_train), None, None, X_test, y_test)
    with pytest.raises(ValueError, match="X_test has 10 features, X_train has 64"):
        evaluate_extra_trees(X_train, y_train, None, None, X_test[:, :10], y_test)
    with pytest.raises(ValueError, match="patience must be a positive integer"):
        evaluate_decoder(*digits, patience=0)
    with pytest.raises(ValueError, match="X_val is empty"):
        evaluate_decoder(X_train, y_train, X_val[:0], y_val[:0], X_test, y_test)
    with pytest.raises(ValueError, match="hidden_widths holds 0: every width must be a positive integer"):
        evaluate_decoder(*digits, hidden_widths=[10, 0])
    with pytest.raises(ValueError, match="hidden_widths holds -3"):
        evaluate_decoder(*digits, hidden_widths=[-3])
    with pytest.raises(ValueError, match=r"hidden_widths holds the width 10 twice: \[10, 20, 10\]"):
        evaluate_decoder(*digits, hidden_widths=[10, 20, 10])
    with pytest.raises(ValueError, match="hidden_widths is empty"):
        evaluate_decoder(*digits, hidden_widths=[])


def test_auto_device_is_cpu_without_cuda():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert resolve_device("auto").type == expected
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            resolve_device("cuda")


def mice_protein():
    """Mice Protein as the authors prepare it: class-mean imputation, min-max scaling."""
    path = SHARED_DATASETS / "mice-protein" / "Data_Cortex_Nuclear.csv"
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but the shared data set is missing: {path}")
        pytest.skip(f"shared data set not found: {path}")
    import pandas as pd

    frame = pd.read_csv(path)
    proteins = frame.columns[1:78]
    filled = frame.groupby("class")[list(proteins)].transform(lambda column: column.fillna(column.mean()))
    X = filled.to_numpy(dtype=np.float64)
    X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    y = pd.factorize(frame["class"], sort=True)[0]
    return X.astype(np.float32), y


def test_decoder_width_search_on_mice_protein():
    X, y = mice_protein()
    assert X.shape == (1080, 77) and len(np.unique(y)) == 8
    order = np.random.default_rng(0).permutation(len(y))
    train, val, test = order[:756], order[756:864], order[864:]
    result = evaluate_decoder(
        X[train], y[train], X[val], y[val], X[test], y[test], max_epochs=60, patience=5, random_state=0, device="cpu"
    )
    assert result["hidden_width"] in hidden_width_grid(77)
    assert result["accuracy"] > 0.5  # 8 classes: chance is 1/8


def test_extra_trees_and_the_baselines_never_import_torch():
    """The decoder is loaded from learners on first use only: jobs that train no network skip torch's import."""
    code = (
        "import sys\n"
        "from lassonet_bench import learners, selectors\n"
        "from lassonet_bench.runs import runner\n"
        "assert 'torch' not in sys.modules, 'imported torch'\n"
        "learners.evaluate_function('decoder')\n"
        "assert 'torch' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
