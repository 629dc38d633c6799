"""The decoder network that scores a feature set (Section 5, Appendix B).

A one-hidden-layer ReLU network trained from scratch on the selected columns with minibatch Adam (learning rate
1e-3) and early stopping on the validation split; its hidden width is chosen from [k/3, 2k/3, k, 4k/3] by
validation accuracy, and the test accuracy of that width is reported.

The widths of the search train together in one stack (`_DecoderStack`): the hidden units of every network, cut
into chunks of equal size (about k/3) and padded with zeros to whole chunks, are stacked, so one batched matrix
product per layer, one backward pass and one Adam step per mini-batch serve all the networks. Each network keeps
what it would have alone: its initialisation (`make_decoder` from its own generator), its own order of the
training rows in every epoch, its own early stopping and restored best epoch. A padded weight has a zero gradient
(a padded hidden unit's input is exactly 0 and ReLU's derivative there is 0; its outgoing weights multiply an
activation of exactly 0), and Adam is elementwise, so padded weights and their Adam moments stay exactly 0. A
network that stops leaves the stack with its chunks. Nothing inside the mini-batch loop waits for the device:
once per epoch the rows' orders (drawn from each network's CPU generator) go to the device and one small vector
comes back for the stopping test.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from lassonet_bench.core.devices import resolve_device
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


@dataclass(frozen=True)
class DecoderTraining:
    """How each decoder is trained: minibatch Adam with learning rate `lr` for at most `max_epochs` epochs, stopped
    after `patience` epochs without a lower validation loss."""

    max_epochs: int = DECODER_MAX_EPOCHS
    patience: int = DECODER_PATIENCE
    batch_size: int = DECODER_BATCH_SIZE
    lr: float = DECODER_LEARNING_RATE

    def __post_init__(self):
        for name in ("max_epochs", "patience", "batch_size"):
            check_positive(name, getattr(self, name))


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
    X_train, y_train, X_val, y_val, hidden_width, n_classes, training=DecoderTraining(), random_state=None,
    device="cpu",
):
    """Train one decoder (`training`: a DecoderTraining) with minibatch Adam; stop after `patience` epochs without a
    lower validation loss and restore the weights of the best epoch. `random_state` seeds its generator as it is.
    Inputs are tensors already on `device`."""
    check_positive("hidden_width", hidden_width)
    return _fit_stack(X_train, y_train, X_val, y_val, [hidden_width], [random_state], n_classes, training, device)[0]


def fit_decoders(
    X_train, y_train, X_val, y_val, hidden_widths, n_classes, training=DecoderTraining(), random_state=None,
    device="cpu",
):
    """The width search: one decoder per width, trained together in one stack, each as `fit_decoder` trains it
    alone with the seed `derive_seed(random_state, width)`. One DecoderFit per width, in the order given."""
    widths = check_hidden_widths(hidden_widths)
    seeds = [derive_seed(random_state, width) for width in widths]
    return _fit_stack(X_train, y_train, X_val, y_val, widths, seeds, n_classes, training, device)


def check_hidden_widths(hidden_widths):
    """The widths as a list of ints; a ValueError names an empty grid, a width below 1 or one given twice."""
    widths = list(hidden_widths)
    if not widths:
        raise ValueError("hidden_widths is empty")
    for width in widths:
        if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
            raise ValueError(f"hidden_widths holds {width!r}: every width must be a positive integer")
        if widths.count(width) > 1:
            raise ValueError(f"hidden_widths holds the width {width} twice: {widths}")
    return [int(width) for width in widths]


def _fit_stack(X_train, y_train, X_val, y_val, widths, seeds, n_classes, training, device):
    """Train one decoder per (width, seed) in one `_DecoderStack`; a DecoderFit for each, in order."""
    device = torch.device(device)
    generators = [_generator(seed) for seed in seeds]
    models = [make_decoder(X_train.shape[1], width, n_classes, g) for width, g in zip(widths, generators)]
    stack = _DecoderStack(models, generators, training.lr, device)
    n_networks = len(widths)
    losses = torch.full((training.max_epochs, n_networks), math.nan, device=device)
    best_loss = torch.full((n_networks,), math.inf, device=device)
    best_epoch = torch.zeros(n_networks, dtype=torch.long, device=device)
    epochs_trained = [training.max_epochs] * n_networks
    X_val_rows_last = X_val.T
    for epoch in range(1, training.max_epochs + 1):
        stack.train_epoch(X_train, y_train, training.batch_size)
        rows = stack.rows
        with torch.no_grad():
            val_loss = _cross_entropy(stack.logits(X_val_rows_last), y_val)
            losses[epoch - 1, rows] = val_loss
            improved = val_loss < best_loss[rows]
            best_loss[rows] = torch.where(improved, val_loss, best_loss[rows])
            best_epoch[rows] = torch.where(improved, epoch, best_epoch[rows])
            stack.save_best(improved)
            stopped = (~improved & (epoch - best_epoch[rows] >= training.patience)).tolist()  # once per epoch
        if any(stopped):
            for i, stop in zip(stack.networks, stopped):
                if stop:
                    epochs_trained[i] = epoch
            if all(stopped):
                break
            stack.keep([position for position, stop in enumerate(stopped) if not stop])
    best_epoch, losses = best_epoch.tolist(), losses.T.tolist()
    fits = []
    for i, width in enumerate(widths):
        if best_epoch[i] == 0:
            raise FloatingPointError(f"the decoder of width {width} never had a finite validation loss")
        model = stack.best_model(i)
        val_loss, val_accuracy = _loss_and_accuracy(model, torch.nn.CrossEntropyLoss(), X_val, y_val)
        fits.append(DecoderFit(width, model, val_accuracy, val_loss, best_epoch[i], epochs_trained[i],
                               losses[i][: epochs_trained[i]]))
    return fits


def chunk_width(widths, most_chunks=8):
    """How many hidden units a chunk of the stack holds: each width is cut into ceil(width / chunk) chunks, the last
    one padded with zeros. For the grid k·[1/3, 2/3, 1, 4/3] it is about k/3 (chunks 1, 2, 3, 4, next to no
    padding); at most `most_chunks` chunks per network."""
    narrowest = min(widths)
    chunk = max(math.ceil(width / max(1, round(width / narrowest))) for width in widths)
    return max(chunk, math.ceil(max(widths) / most_chunks))


class _DecoderStack:
    """Decoders of several widths trained as one: their hidden units in equal chunks, stacked, and one Adam.

    Network i's hidden layer is cut into chunks of `chunk` hidden units (`chunk_width`), the last one padded with
    zeros; the chunks of all networks are stacked into weight (chunks, chunk, features) and bias (chunks, chunk, 1),
    the matching columns of the output layers into out_weight (chunks, classes, chunk), and out_bias is
    (networks, classes, 1). Each chunk reads its network's mini-batch, and a network's logits are the sum of its
    chunks' outputs, so one batched matrix product per layer serves every network with almost no padding (padding
    every network to the widest, for k·[1/3 … 4/3], multiplies 1.6 times the weights; on one CPU thread that made
    the search on 784 synthetic features 1.6 times slower than four separate networks). Weights are
    laid out as torch.nn.Linear's (out x in) and the rows of a mini-batch run along the last dimension, so the
    logits (networks, classes, rows) are in the layout cross_entropy reduces fastest (on one CPU thread a forward
    and backward pass took 0.75 ms instead of 1.3 ms with rows before classes).

    `networks` lists the networks still in the stack by their first position, `rows` the same on the device,
    `owner` the position in the stack of each chunk's network; `best` holds every network's weights at its best
    epoch (the first layout, all networks).
    """

    def __init__(self, models, generators, lr, device):
        self.widths = [model[0].out_features for model in models]
        self.generators = list(generators)
        self.chunk = chunk_width(self.widths)
        counts = [math.ceil(width / self.chunk) for width in self.widths]
        self.spans = [(sum(counts[:i]), count) for i, count in enumerate(counts)]  # (first chunk, chunks) of each
        n_features, n_classes = models[0][0].in_features, models[0][2].out_features
        layers = [[], [], [], []]
        for model, width, count in zip(models, self.widths, counts):
            padded = [torch.zeros(count * self.chunk, n_features), torch.zeros(count * self.chunk, 1),
                      torch.zeros(n_classes, count * self.chunk)]
            padded[0][:width] = model[0].weight.detach()
            padded[1][:width, 0] = model[0].bias.detach()
            padded[2][:, :width] = model[2].weight.detach()
            layers[0].append(padded[0].view(count, self.chunk, n_features))
            layers[1].append(padded[1].view(count, self.chunk, 1))
            layers[2].append(padded[2].view(n_classes, count, self.chunk).transpose(0, 1))
            layers[3].append(model[2].bias.detach().view(1, n_classes, 1))
        tensors = [torch.cat(layer) for layer in layers]
        self.parameters = [t.to(device).requires_grad_() for t in tensors]
        self.best = [t.detach().clone() for t in self.parameters]
        self.networks = list(range(len(models)))
        self.rows = torch.arange(len(models), device=device)
        self.owner = torch.repeat_interleave(self.rows, torch.tensor(counts, device=device))
        self.chunk_rows = torch.arange(sum(counts), device=device)  # each chunk's row in `best`
        # foreach: the same elementwise arithmetic as Adam's default loop over tensors (on the CPU bitwise the same
        # results, tried on these shapes), in fewer calls
        self.optimizer = torch.optim.Adam(self.parameters, lr=lr, foreach=True)

    def network(self, tensors, i):
        """Network i's weights in `tensors` laid out as at the start (the parameters before any network left, or
        `best`): (units, features), (units, 1), (classes, units) and (classes, 1), units = its chunks' units."""
        first, count = self.spans[i]
        weight, bias, out_weight = (t[first : first + count] for t in tensors[:3])
        n_classes = out_weight.shape[1]
        return (weight.flatten(0, 1), bias.flatten(0, 1), out_weight.transpose(0, 1).reshape(n_classes, -1),
                tensors[3][i])

    def logits(self, X):
        """(networks, classes, rows) from X: (chunks, features, rows), each chunk its network's rows, or (features,
        rows) shared by all."""
        weight, bias, out_weight, out_bias = self.parameters
        X = X.expand(len(weight), -1, -1) if X.dim() == 2 else X
        parts = torch.bmm(out_weight, torch.baddbmm(bias, weight, X).relu())
        if len(parts) == len(out_bias):  # one chunk per network
            return parts + out_bias
        return out_bias.expand(-1, -1, parts.shape[2]).index_add(0, self.owner, parts)

    def train_epoch(self, X_train, y_train, batch_size):
        """One epoch of minibatch Adam, each network over the training rows in its own order from its generator:
        one forward pass, one backward pass and one optimiser step per mini-batch for the whole stack."""
        orders = [torch.randperm(len(X_train), generator=self.generators[i]) for i in self.networks]
        for batch in torch.stack(orders).to(X_train.device).split(batch_size, dim=1):
            self.optimizer.zero_grad(set_to_none=True)
            # each network's loss depends on its own weights only, so the sum's gradient is each one's own
            logits = self.logits(X_train[batch[self.owner]].transpose(1, 2))
            _cross_entropy(logits, y_train[batch]).sum().backward()
            self.optimizer.step()

    def save_best(self, improved):
        """Copy the weights of the networks that `improved` (one flag per network in the stack) into `best`."""
        masks = [improved[self.owner]] * 3 + [improved]
        indices = [self.chunk_rows] * 3 + [self.rows]
        for parameter, saved, mask, index in zip(self.parameters, self.best, masks, indices):
            mask = mask.view(-1, 1, 1)
            saved.index_copy_(0, index, torch.where(mask, parameter.detach(), saved[index]))

    def keep(self, kept):
        """Keep only the networks at positions `kept`, with their Adam moments and step count; the others leave."""
        chunks = [c for c, owner in enumerate(self.owner.tolist()) if owner in kept]
        self.networks = [self.networks[position] for position in kept]
        indices = [torch.tensor(chunks, device=self.rows.device)] * 3 + [torch.tensor(kept, device=self.rows.device)]
        self.rows = self.rows[indices[3]]
        self.chunk_rows = self.chunk_rows[indices[0]]
        self.owner = torch.searchsorted(indices[3], self.owner[indices[0]])  # positions among the kept

        parameters, states = [], []
        for parameter, index in zip(self.parameters, indices):
            state = self.optimizer.state[parameter]
            parameters.append(parameter.detach().index_select(0, index).requires_grad_())
            states.append({"step": state["step"].clone(), "exp_avg": state["exp_avg"].index_select(0, index),
                           "exp_avg_sq": state["exp_avg_sq"].index_select(0, index)})
        self.parameters = parameters
        self.optimizer = torch.optim.Adam(parameters, **self.optimizer.defaults)
        for parameter, state in zip(parameters, states):
            self.optimizer.state[parameter] = state

    def best_model(self, i):
        """Network i at its best epoch as a Linear -> ReLU -> Linear module of its own width."""
        return _linear_relu_linear(*self.network(self.best, i), self.widths[i])


def _linear_relu_linear(weight, bias, out_weight, out_bias, width):
    """A Linear -> ReLU -> Linear module of `width` hidden units from the first `width` of these weights."""
    n_classes, n_features = out_weight.shape[0], weight.shape[1]
    model = torch.nn.Sequential(
        torch.nn.utils.skip_init(torch.nn.Linear, n_features, width, device=weight.device), torch.nn.ReLU(),
        torch.nn.utils.skip_init(torch.nn.Linear, width, n_classes, device=weight.device),
    )
    with torch.no_grad():
        model[0].weight.copy_(weight[:width])
        model[0].bias.copy_(bias[:width, 0])
        model[2].weight.copy_(out_weight[:, :width])
        model[2].bias.copy_(out_bias[:, 0])
    return model


def _cross_entropy(logits, y):
    """The mean cross-entropy of each network: logits (networks, classes, rows), y (networks, rows) or (rows,)."""
    return torch.nn.functional.cross_entropy(logits, y.expand(len(logits), -1), reduction="none").mean(dim=1)


def _generator(seed):
    generator = torch.Generator()
    if seed is None:
        generator.seed()
    else:
        generator.manual_seed(int(seed))
    return generator


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
    """Train one decoder per width (default `hidden_width_grid(n_features)`), all in one stack (`fit_decoders`),
    keep the one with the best validation accuracy (ties: the narrower), and return its test accuracy and the
    search's record."""
    parts = check_learner_input(X_train, y_train, X_val, y_val, X_test, y_test)
    training = DecoderTraining(max_epochs, patience, batch_size, lr)
    widths = hidden_width_grid(parts[0].shape[1]) if hidden_widths is None else check_hidden_widths(hidden_widths)
    device = resolve_device(device)
    n_classes = int(max(parts[1].max(), parts[3].max(), parts[5].max())) + 1
    tensors = _to_tensors(parts, device)
    fits = fit_decoders(*tensors[:4], widths, n_classes, training, random_state, device)
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
