"""LassoNet on any body with a linear first layer, and convolutional LassoNet (filter sparsity): the one-hidden-layer
model is unchanged, a deeper body runs the path, the conv path keeps the filters that can matter, bad bodies fail."""

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from lassonet_bench.variants.conv import ConvLassoNetModel, top_filters
from lassonet_bench.core.model import LassoNetModel
from lassonet_bench.core.path import PathSettings, fit_path
from lassonet_bench.core.prox import hier_prox


class OneHiddenLayerModel(nn.Module):
    """LassoNetModel as it was before bodies (commit ac5eb9c), kept verbatim as the reference for equality."""

    def __init__(self, n_features, n_outputs, hidden_dims, dropout=0.0):
        super().__init__()
        self.skip = nn.Linear(n_features, n_outputs, bias=False)
        widths = [n_features, *map(int, hidden_dims)]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(widths[:-1], widths[1:]))
        self.output = nn.Linear(widths[-1], n_outputs)
        self.dropout = nn.Dropout(dropout) if dropout else None

    def forward(self, x):
        hidden = x
        for layer in self.layers:
            hidden = F.relu(layer(hidden))
            if self.dropout is not None:
                hidden = self.dropout(hidden)
        return self.skip(x) + self.output(hidden)

    @torch.no_grad()
    def prox_(self, lam, M):
        theta_new, first_new = hier_prox(self.skip.weight.T, self.layers[0].weight.T, lam, M)
        self.skip.weight.copy_(theta_new.T)
        self.layers[0].weight.copy_(first_new.T)

    @torch.no_grad()
    def feature_norms(self):
        return torch.linalg.vector_norm(self.skip.weight, dim=0)

    def penalty(self):
        return self.feature_norms().sum()

    def coefficients(self):
        weights = self.skip.weight.detach()
        return weights[0] if weights.shape[0] == 1 else self.feature_norms()

    @torch.no_grad()
    def zero_input_weights_(self):
        self.skip.weight.zero_()
        self.layers[0].weight.zero_()

    def null_scores(self, M):
        grad_theta = torch.linalg.vector_norm(self.skip.weight.grad, dim=0)
        grad_first = self.layers[0].weight.grad.abs().sum(0)
        return grad_theta + M * grad_first


def classification_data(n=300, d=12, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    y = (X[:, 0] * X[:, 1] + X[:, 2] > 0).astype(int) + (X[:, 3] > 1)
    return X, y


SHORT = PathSettings(dense_epochs=10, step_epochs=2, path_multiplier=1.3, batch_size=64, dropout=0.2, max_steps=40)


def path_of(model, X, y, seed=3):
    return fit_path(X, y, X[:100], y[:100], task="classification", hidden_dims=None, settings=SHORT, model=model,
                    seed=seed)


def assert_same_path(a, b):
    np.testing.assert_array_equal(a.exit_lambda, b.exit_lambda)
    np.testing.assert_array_equal(a.coefficients, b.coefficients)
    assert [s["val_loss"] for s in a.steps] == [s["val_loss"] for s in b.steps]


def test_the_default_model_is_todays_one_hidden_layer_model_bit_for_bit():
    """Same seed: same initialisation (skip layer first, then the network) and the same path, with dropout."""
    X, y = classification_data()
    torch.manual_seed(5)
    reference = OneHiddenLayerModel(12, 3, [8], dropout=0.2)
    torch.manual_seed(5)
    model = LassoNetModel(12, 3, [8], dropout=0.2)
    for old, new in zip(reference.parameters(), model.parameters(), strict=True):
        assert torch.equal(old, new)
    assert_same_path(path_of(reference, X, y), path_of(model, X, y))


def test_a_user_body_of_one_hidden_layer_gives_todays_path():
    X, y = classification_data()
    reference = OneHiddenLayerModel(12, 3, [8], dropout=0.2)
    body = nn.Sequential(nn.Linear(12, 8), nn.ReLU(), nn.Dropout(0.2), nn.Linear(8, 3))
    model = LassoNetModel(12, 3, body=body)
    old = reference.state_dict()
    model.load_state_dict({"skip.weight": old["skip.weight"], "body.0.weight": old["layers.0.weight"],
                           "body.0.bias": old["layers.0.bias"], "body.3.weight": old["output.weight"],
                           "body.3.bias": old["output.bias"]})
    assert_same_path(path_of(reference, X, y), path_of(model, X, y))


def test_a_deep_body_with_batch_norm_runs_the_path_and_keeps_the_hierarchy():
    X, y = classification_data()
    torch.manual_seed(0)
    body = nn.Sequential(nn.Linear(12, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 3))
    result = path_of(LassoNetModel(12, 3, body=body), X, y)
    assert result.steps[-1]["n_selected"] == 0
    first = result.model.first_layer.weight
    assert torch.equal(first, body[0].weight) and not first.any()  # every feature out: W⁽⁰⁾ = 0
    assert set(np.argsort(-result.exit_lambda)[:2]) <= {0, 1, 2, 3}


def signal_images(n, seed):
    """Six channels of noise; channels 0 and 3 also carry a ±1 offset, and the class is the pair of signs.

    The convolution has groups=6, so filter j sees channel j only: only filters 0 and 3 can matter.
    """
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 6, 8, 8)).astype(np.float32)
    signs = rng.integers(0, 2, size=(n, 2))
    X[:, 0] += (2 * signs[:, :1] - 1)[:, :, None] * 0.8
    X[:, 3] += (2 * signs[:, 1:] - 1)[:, :, None] * 0.8
    return X.reshape(n, -1), 2 * signs[:, 0] + signs[:, 1]


def grouped_cnn(n_outputs=4):
    return nn.Sequential(nn.Conv2d(6, 6, 3, groups=6), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, n_outputs))


def test_the_conv_path_keeps_the_filters_that_can_matter():
    X, y = signal_images(600, seed=0)
    X_val, y_val = signal_images(200, seed=1)
    torch.manual_seed(0)
    model = ConvLassoNetModel((6, 8, 8), 4, grouped_cnn())
    settings = PathSettings(dense_epochs=30, step_epochs=3, path_multiplier=1.2, batch_size=64, lr=3e-3)
    result = fit_path(X, y, X_val, y_val, task="classification", hidden_dims=None, settings=settings, model=model)
    counts = [step["n_selected"] for step in result.steps]
    assert counts[0] == 6 and counts[-1] == 0
    assert sorted(top_filters(result, 2)) == [0, 3]
    assert result.steps[counts.index(2)]["val_score"] > 0.9  # once the noise filters are out, the two classify


def test_the_conv_prox_groups_each_filters_skip_block_with_its_weights():
    """θ_j is the block of skip weights on filter j's output map; a filter out of the model has γ_j = 0."""
    torch.manual_seed(0)
    model = ConvLassoNetModel((6, 8, 8), 4, grouped_cnn())
    blocks = model.skip.weight.detach().reshape(4, 6, 36)
    np.testing.assert_allclose(model.feature_norms(), blocks.norm(dim=(0, 2)), rtol=1e-6)
    with torch.no_grad():
        model.conv.weight.mul_(1e-3)  # small filters: the prox is then close to soft-thresholding ‖θ_j‖ at λ
    model.prox_(float(np.median(model.feature_norms())), 10.0)
    out = model.feature_norms() == 0
    assert 0 < out.sum() < 6
    assert not model.conv.weight[out].any() and model.conv.weight[~out].any()
    assert not model.skip.weight.reshape(4, 6, 36)[:, out].any()


def test_bad_bodies_and_inputs_fail_before_training():
    linear_body = nn.Sequential(nn.Linear(10, 4), nn.ReLU(), nn.Linear(4, 2))
    with pytest.raises(ValueError, match="first layer must be nn.Linear"):
        LassoNetModel(64, 2, body=nn.Sequential(nn.Conv2d(1, 2, 3), nn.Flatten(), nn.Linear(72, 2)))
    with pytest.raises(ValueError, match=r"takes 10 inputs; the data have 12 features"):
        LassoNetModel(12, 2, body=linear_body)
    with pytest.raises(ValueError, match=r"must map a batch to \(n, 3\)"):
        LassoNetModel(10, 3, body=linear_body)
    with pytest.raises(ValueError, match="first layer must be nn.Conv2d"):
        ConvLassoNetModel((1, 8, 8), 2, nn.Sequential(nn.Flatten(), linear_body))
    with pytest.raises(ValueError, match=r"takes 6 channels; the images have 1"):
        ConvLassoNetModel((1, 8, 8), 4, grouped_cnn())

    X, y = classification_data(d=12)
    for model, data in [(LassoNetModel(10, 3, [4]), X), (ConvLassoNetModel((6, 8, 8), 3, grouped_cnn(3)), X)]:
        before = [p.clone() for p in model.parameters()]
        with pytest.raises(ValueError, match="the model takes"):
            fit_path(data, y, data, y, task="classification", hidden_dims=None, settings=SHORT, model=model)
        assert all(torch.equal(a, b) for a, b in zip(before, model.parameters()))
