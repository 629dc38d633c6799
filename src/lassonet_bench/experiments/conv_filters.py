"""Beyond the paper: convolutional LassoNet (filter sparsity) on MNIST against magnitude pruning.

One small CNN (conv with `n_filters` filters → ReLU → max-pool → dense ReLU layer → classes), three ways:

- `lassonet`: `conv.ConvLassoNetModel` on that CNN, the dense→sparse path; every step's test accuracy and
  number of active filters (filters whose skip block θ_j is non-zero, so their weights may be too).
- `cnn`: the same CNN without skip layer or constraint, trained with Adam and early stopping (all filters).
- `magnitude_pruning`: that trained CNN keeping its k filters of largest ‖γ_j‖₂ (the others' weights and biases
  zeroed and kept at zero), fine-tuned, for every filter count the LassoNet path visited.
- `lassonet_fine_tuned`: the path's network at each count (its best validated step), fine-tuned as the pruned CNN
  is, without penalty, the filters out of the path held out. The path's own networks are shrunk by the penalty; this
  compares the filters LassoNet selects with those magnitude pruning keeps on an equal footing.

The path stops at the first step with at most one filter (the steps after it only shrink that filter).

Tidy outputs: `accuracy` (one row per path step or baseline model) and `filters` (the surviving filters of the path
at the first step with at most each of `filter_levels` filters, with their λ).
"""

import copy

import numpy as np
import pandas as pd
import torch
from torch import nn

from lassonet_bench.variants.conv import ConvLassoNetModel
from lassonet_bench.core.devices import resolve_device
from lassonet_bench.experiments.tables import best_per_count
from lassonet_bench.core.path import fit_path
from lassonet_bench.experiments.common import path_settings, predict

METHODS = ("lassonet", "lassonet_fine_tuned", "cnn", "magnitude_pruning")


def small_cnn(image_shape, n_classes, n_filters, kernel_size, hidden_width, pool=2):
    """Conv2d(C, n_filters, kernel_size) → ReLU → MaxPool2d(pool) → Linear(·, hidden_width) → ReLU → Linear."""
    channels, height, width = image_shape
    if kernel_size > min(height, width):
        raise ValueError(f"kernel_size {kernel_size} is larger than the {height}×{width} images")
    flat = n_filters * ((height - kernel_size + 1) // pool) * ((width - kernel_size + 1) // pool)
    return nn.Sequential(
        nn.Conv2d(channels, n_filters, kernel_size), nn.ReLU(), nn.MaxPool2d(pool), nn.Flatten(),
        nn.Linear(flat, hidden_width), nn.ReLU(), nn.Linear(hidden_width, n_classes),
    )


def compute_conv_filters(X, y, split, image_shape, n_filters, kernel_size, hidden_width, filter_levels, settings,
                         baseline_epochs, baseline_patience, fine_tune_epochs, seed=0, device="cpu"):
    """Every method's accuracy by number of filters, and the path's surviving filters (see the module)."""
    X = np.asarray(X, dtype=np.float32)
    if X.shape[1] != int(np.prod(image_shape)):
        raise ValueError(f"image_shape {tuple(image_shape)} does not match the data's {X.shape[1]} features")
    device = resolve_device(device)
    classes, codes = np.unique(y, return_inverse=True)
    parts = {name: (X[rows].reshape(len(rows), *image_shape), codes[rows]) for name, rows in split.items()}

    def network():
        return small_cnn(image_shape, len(classes), n_filters, kernel_size, hidden_width)

    path, snapshots, model = _lassonet_path(parts, image_shape, len(classes), network, settings, seed, device)
    cnn = _train_cnn(network, parts, baseline_epochs, baseline_patience, settings, seed, device)
    counts = sorted(c for c in path["n_filters"].unique() if 0 < c < n_filters)
    fine_tune = dict(parts=parts, epochs=fine_tune_epochs, patience=baseline_patience, settings=settings, seed=seed,
                     device=device)
    pruned = [_prune_and_fine_tune(cnn, k, **fine_tune) for k in counts]
    best_steps = best_per_count(path, "lassonet").set_index("n_filters")["step"]
    refit = [_fine_tune_path_network(model, snapshots[int(best_steps[k])][2], k, **fine_tune) for k in counts]
    rows = [*path.to_dict("records"), *refit, _accuracy_row("cnn", n_filters, cnn, parts), *pruned]
    accuracy = pd.DataFrame(rows, columns=["method", "n_filters", "step", "lambda", "val_accuracy", "test_accuracy"])
    return {"accuracy": accuracy, "filters": _filters_at_levels(path, snapshots, filter_levels)}


def _lassonet_path(parts, image_shape, n_classes, network, settings, seed, device):
    test_accuracy, snapshots = [], []
    X_test, y_test = parts["test"]

    def record(step, model):
        test_accuracy.append(float(np.mean(predict(model, X_test).argmax(1) == y_test)))
        state = {name: value.detach().cpu().clone() for name, value in model.state_dict().items()}
        snapshots.append((model.conv.weight.detach().cpu().numpy().copy(), model.feature_norms().cpu().numpy() > 0,
                          state))

    with torch.random.fork_rng():  # the same seed builds the same CNN for the path and the baseline
        torch.manual_seed(seed)
        model = ConvLassoNetModel(image_shape, n_classes, network())
    result = fit_path(*parts["train"], *parts["val"], task="classification", hidden_dims=None, settings=settings,
                      model=model, device=device, seed=seed, callback=record, stop_at_n_features=1)
    steps = pd.DataFrame(result.steps)
    path = pd.DataFrame(dict(method="lassonet", n_filters=steps["n_selected"], step=steps["step"],
                             **{"lambda": steps["lambda_"]}, val_accuracy=steps["val_score"],
                             test_accuracy=test_accuracy))
    return path, snapshots, result.model


def _train_cnn(network, parts, epochs, patience, settings, seed, device):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = network().to(device)
    return _train(model, parts, epochs, patience, settings, seed, device)


def _prune_and_fine_tune(cnn, k, parts, epochs, patience, settings, seed, device):
    """Keep the k filters of largest ‖γ_j‖₂ of the trained CNN, fine-tune with the others held at zero."""
    model = copy.deepcopy(cnn)
    conv = model[0]
    norms = torch.linalg.vector_norm(conv.weight.detach().flatten(1), dim=1)
    keep = torch.zeros(len(norms), dtype=torch.bool, device=norms.device)
    keep[torch.argsort(norms, descending=True)[:k]] = True

    @torch.no_grad()
    def remove_filters():
        conv.weight[~keep] = 0
        conv.bias[~keep] = 0

    remove_filters()
    model = _train(model, parts, epochs, patience, settings, seed, device, after_step=remove_filters)
    return _accuracy_row("magnitude_pruning", k, model, parts)


def _fine_tune_path_network(model, state, k, parts, epochs, patience, settings, seed, device):
    """The path's network at a step with k filters, trained on without penalty; its other filters stay out."""
    model = copy.deepcopy(model)
    model.load_state_dict(state)
    out = model.feature_norms() == 0

    @torch.no_grad()
    def keep_out():
        model.conv.weight[out] = 0
        model.skip.weight.view(model.skip.weight.shape[0], len(out), -1)[:, out] = 0  # θ_j, the block of filter j

    model = _train(model, parts, epochs, patience, settings, seed, device, after_step=keep_out)
    return _accuracy_row("lassonet_fine_tuned", k, model, parts)


def _train(model, parts, epochs, patience, settings, seed, device, after_step=None):
    """Adam at the path's learning rate and batch size; keep the weights of the epoch with the best validation loss."""
    X_train, y_train = (torch.as_tensor(a, device=device) for a in parts["train"])
    X_val, y_val = (torch.as_tensor(a, device=device) for a in parts["val"])
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=settings.lr)
    loss = nn.functional.cross_entropy
    batch = len(X_train) if settings.batch_size is None else settings.batch_size
    best, best_state, stalled = np.inf, copy.deepcopy(model.state_dict()), 0
    for _ in range(int(epochs)):
        model.train()
        for rows in torch.randperm(len(X_train), generator=generator).to(device).split(batch):
            optimizer.zero_grad(set_to_none=True)
            loss(model(X_train[rows]), y_train[rows]).backward()
            optimizer.step()
            if after_step is not None:
                after_step()
        model.eval()
        with torch.no_grad():
            val_loss = loss(model(X_val), y_val).item()
        if val_loss < best:
            best, best_state, stalled = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            stalled += 1
            if stalled >= patience:
                break
    model.load_state_dict(best_state)
    model.eval()
    return model


def _accuracy_row(method, n_filters, model, parts):
    accuracy = {f"{part}_accuracy": float(np.mean(predict(model, parts[part][0]).argmax(1) == parts[part][1]))
                for part in ("val", "test")}
    return dict(method=method, n_filters=int(n_filters), step=np.nan, **{"lambda": np.nan}, **accuracy)


def _filters_at_levels(path, snapshots, filter_levels):
    """The filters of the first path step with at most each level of filters (levels the path never reached
    are left out), first input channel only."""
    levels, steps = [], []
    for level in sorted({int(level) for level in filter_levels}, reverse=True):
        reached = path.index[(path["n_filters"] <= level) & (path["n_filters"] > 0)]
        if len(reached):
            levels.append(level)
            steps.append(int(reached[0]))
    first_channel, active = snapshots[0][0][:, 0], snapshots[0][1]
    return dict(levels=np.asarray(levels, dtype=np.int64), lambdas=path["lambda"].to_numpy()[steps],
                n_filters=path["n_filters"].to_numpy()[steps],
                weights=np.array([snapshots[i][0][:, 0] for i in steps]).reshape(len(steps), *first_channel.shape),
                active=np.array([snapshots[i][1] for i in steps]).reshape(len(steps), len(active)))


def conv_filters(figure, options, data, device):
    """The conv_filters tables from its settings, on MNIST and its split."""
    return compute_conv_filters(
        data.dataset.X, data.dataset.y, data.split, [int(s) for s in options["image_shape"]],
        int(options["n_filters"]), int(options["kernel_size"]), int(options["hidden_width"]),
        [int(k) for k in options["filter_levels"]], path_settings(options["path"], f"{figure.settings}.path"),
        int(options["baseline_epochs"]), int(options["baseline_patience"]), int(options["fine_tune_epochs"]),
        seed=int(options["seed"]), device=device,
    )
