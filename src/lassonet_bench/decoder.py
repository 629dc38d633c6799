"""The decoder network that scores a feature set (Section 5, Appendix B).

A one-hidden-layer ReLU network trained from scratch on the selected columns with minibatch Adam (learning rate
1e-3) and early stopping on the validation split; its hidden width is chosen from [k/3, 2k/3, k, 4k/3] by
validation accuracy, and the test accuracy of that width is reported.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from lassonet_bench.devices import resolve_device
from lassonet_bench.validation import check_learner_input, check_positive

# Defaults. The paper gives only Adam and lr 1e-3; the authors' run.py trains with batches of 256. max_epochs is an
# upper bound that early stopping normally never reaches; patience counts epochs without a new best validation loss
# (the authors' evaluate.py used 50 full-batch steps; one epoch here is n/256 steps).
DECODER_MAX_EPOCHS = 1000
DECODER_PATIENCE = 20
DECODER_BATCH_SIZE = 256
DECODER_LEARNING_RATE = 1e-3
HIDDEN_WIDTH_FRACTIONS = (1 / 3, 2 / 3, 1, 4 / 3)


def hidden_width_grid(n_features, fractions=HIDDEN_WIDTH_FRACTIONS):
    """The decoder's candidate widths: round(f * n_features) for each fraction, at least 1, duplicates dropped."""
    widths = [max(1, int(round(f * n_features))) for f in fractions]
    return list(dict.fromkeys(widths))


def derive_seed(random_state, *labels):
    """A 32-bit seed from a base seed and labels, independent of call order (None stays None)."""
    if random_state is None:
        return None
    words = [int(random_state)] + [int(x) for x in labels]
    return int(np.random.SeedSequence(words).generate_state(1)[0])


@dataclass
class DecoderFit:
    """One trained decoder: the width, how training went, and its validation scores at the restored best epoch."""

    hidden_width: int
    model: torch.nn.Module
    validation_accuracy: float
    validation_loss: float
    best_epoch: int
    epochs_trained: int
    validation_losses: list = field(default_factory=list)


def make_decoder(n_features, hidden_width, n_classes, generator):
    """Linear -> ReLU -> Linear, initialised as torch.nn.Linear does but from `generator` (no global RNG)."""
    model = torch.nn.Sequential(
        torch.nn.Linear(n_features, hidden_width), torch.nn.ReLU(), torch.nn.Linear(hidden_width, n_classes)
    )
    with torch.no_grad():
        for layer in (model[0], model[2]):
            torch.nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(layer.in_features)
            torch.nn.init.uniform_(layer.bias, -bound, bound, generator=generator)
    return model


def fit_decoder(
    X_train,
    y_train,
    X_val,
    y_val,
    hidden_width,
    n_classes,
    max_epochs=DECODER_MAX_EPOCHS,
    patience=DECODER_PATIENCE,
    batch_size=DECODER_BATCH_SIZE,
    lr=DECODER_LEARNING_RATE,
    random_state=None,
    device="cpu",
):
    """Train one decoder with minibatch Adam; stop after `patience` epochs without a lower validation loss and
    restore the weights of the best epoch. Inputs are tensors already on `device`."""
    generator = torch.Generator()
    if random_state is None:
        generator.seed()
    else:
        generator.manual_seed(int(random_state))
    model = make_decoder(X_train.shape[1], hidden_width, n_classes, generator).to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    best = (math.inf, 0, None)
    losses = []
    epoch = 0
    for epoch in range(1, max_epochs + 1):
        model.train()
        for batch in torch.randperm(len(X_train), generator=generator).to(device).split(batch_size):
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(X_train[batch]), y_train[batch]).backward()
            optimizer.step()
        val_loss, _ = _loss_and_accuracy(model, loss_fn, X_val, y_val)
        losses.append(val_loss)
        if val_loss < best[0]:
            best = (val_loss, epoch, {k: v.detach().clone() for k, v in model.state_dict().items()})
        elif epoch - best[1] >= patience:
            break
    model.load_state_dict(best[2])
    val_loss, val_accuracy = _loss_and_accuracy(model, loss_fn, X_val, y_val)
    return DecoderFit(hidden_width, model, val_accuracy, val_loss, best[1], epoch, losses)


def _loss_and_accuracy(model, loss_fn, X, y):
    model.eval()
    with torch.no_grad():
        logits = model(X)
        return float(loss_fn(logits, y)), float((logits.argmax(dim=1) == y).float().mean())


def evaluate_decoder(
    X_train,
    y_train,
    X_val,
    y_val,
    X_test,
    y_test,
    hidden_widths=None,
    max_epochs=DECODER_MAX_EPOCHS,
    patience=DECODER_PATIENCE,
    batch_size=DECODER_BATCH_SIZE,
    lr=DECODER_LEARNING_RATE,
    random_state=None,
    device="auto",
):
    """Train one decoder per width (default `hidden_width_grid(n_features)`), keep the one with the best validation
    accuracy (ties: the narrower), and return its test accuracy and the search's record."""
    parts = check_learner_input(X_train, y_train, X_val, y_val, X_test, y_test)
    check_positive("max_epochs", max_epochs)
    check_positive("patience", patience)
    check_positive("batch_size", batch_size)
    device = resolve_device(device)
    n_classes = int(max(parts[1].max(), parts[3].max(), parts[5].max())) + 1
    tensors = _to_tensors(parts, device)
    widths = hidden_width_grid(parts[0].shape[1]) if hidden_widths is None else [int(w) for w in hidden_widths]
    fits = [
        fit_decoder(
            *tensors[:4], width, n_classes, max_epochs, patience, batch_size, lr,
            derive_seed(random_state, width), device,
        )
        for width in widths
    ]
    chosen = max(fits, key=lambda fit: fit.validation_accuracy)  # max keeps the first (narrowest) of ties
    _, test_accuracy = _loss_and_accuracy(chosen.model, torch.nn.CrossEntropyLoss(), *tensors[4:])
    return {
        "accuracy": test_accuracy,
        "hidden_width": chosen.hidden_width,
        "validation_accuracy": chosen.validation_accuracy,
        "best_epoch": chosen.best_epoch,
        "epochs_trained": chosen.epochs_trained,
        "width_search": {fit.hidden_width: fit.validation_accuracy for fit in fits},
        "device": str(device),
    }


def _to_tensors(parts, device):
    return [
        torch.as_tensor(np.asarray(a, dtype=np.float32 if i % 2 == 0 else np.int64), device=device)
        for i, a in enumerate(parts)
    ]
