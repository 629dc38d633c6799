"""Helpers shared by the figures' compute functions: settings from the config, splits, tidy writes."""

import numpy as np
import torch

from lassonet_bench.io import atomic_path
from lassonet_bench.core.settings import PathSettings
from lassonet_bench.core.settings import path_settings as parse_path_settings


def path_settings(options, name):
    """PathSettings from a figure's config section (`lassonet_bench.core.settings.path_settings` reads its
    `n_epochs` and `patience` pairs), naming the section when a key or a pair is wrong."""
    known = set(PathSettings.__dataclass_fields__) | {"n_epochs", "patience"}
    unknown = set(options) - known
    if unknown:
        raise ValueError(f"figures.{name}: unknown path setting(s) {sorted(unknown)}; known: {sorted(known)}")
    try:
        return parse_path_settings(**options)
    except (TypeError, ValueError) as error:
        raise ValueError(f"figures.{name}: {error}") from error


@torch.no_grad()
def predict(model, X):
    """The model's outputs for the rows of X (numpy in, numpy out), in evaluation mode."""
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    outputs = model(torch.as_tensor(X, dtype=torch.float32, device=device)).cpu().numpy()
    model.train(was_training)
    return outputs


def write_csv(frame, path):
    with atomic_path(path) as tmp:
        frame.to_csv(tmp, index=False)


def write_npz(path, **arrays):
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            np.savez_compressed(handle, **arrays)


def write_tables(tables, paths):
    """Write each table of a compute function ({role: table}) to its path ({role: path}): a DataFrame as CSV, a
    dict of arrays as compressed NPZ; the roles must be those declared."""
    if set(tables) != set(paths):
        raise ValueError(f"the compute function returned tables {sorted(tables)}, the figure declares {sorted(paths)}")
    for role, table in tables.items():
        if str(paths[role]).endswith(".npz"):
            write_npz(paths[role], **table)
        else:
            write_csv(table, paths[role])
