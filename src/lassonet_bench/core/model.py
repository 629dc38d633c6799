"""The LassoNet network: a linear skip layer beside any network whose first layer is linear, and its losses."""

import torch
from torch import nn
from torch.nn import functional as F

from lassonet_bench.core.prox import hier_prox
from lassonet_bench.core.survival import concordance_index, cox_loss, is_cox, survival_tensor


class LassoNetModel(nn.Module):
    """f(x) = θᵀx + g(x) (Section 3.1); θ is `skip.weight`, W⁽⁰⁾ is `first_layer.weight`.

    g is `body`: any module whose first layer (the first submodule, in registration order, that holds parameters)
    is `nn.Linear(n_features, K)` and that maps (n, n_features) to (n, n_outputs): deeper networks, dropout, batch
    norm. Without a body, g is the ReLU network of `hidden_dims` (dropout after every hidden layer), built after the
    skip layer so that a seed gives the same initialisation as ever.

    The ℓ1 penalty is on the columns of θ (one group of `n_outputs` weights per feature), so classification with
    C classes and reconstruction with d outputs use Group-Hier-Prox, a single output plain Hier-Prox.
    """

    def __init__(self, n_features, n_outputs, hidden_dims=None, dropout=0.0, *, body=None):
        super().__init__()
        if body is None and (not hidden_dims or any(int(h) < 1 for h in hidden_dims)):
            raise ValueError(f"hidden_dims must be a non-empty list of positive widths, got {hidden_dims!r}")
        if body is not None and (hidden_dims is not None or dropout):
            raise ValueError("give either hidden_dims (and dropout) or a body, not both: a body holds its own layers")
        self.skip = nn.Linear(n_features, n_outputs, bias=False)
        self.body = feed_forward_body(n_features, n_outputs, hidden_dims, dropout) if body is None else body
        self._first_name = first_layer_name(self.body, nn.Linear)
        first = self.first_layer
        if first.in_features != n_features:
            raise ValueError(f"the body's first layer takes {first.in_features} inputs; the data have {n_features}"
                             f" features: it must be nn.Linear({n_features}, K)")
        check_body_output(self.body, torch.zeros(2, n_features), n_outputs)

    @property
    def first_layer(self):
        """The body's first linear layer: W⁽⁰⁾, the weights the hierarchy constraint ties to θ."""
        return self.body.get_submodule(self._first_name)

    def forward(self, x):
        if x.ndim != 2 or x.shape[1] != self.skip.in_features:
            raise ValueError(f"the model takes inputs of shape (n, {self.skip.in_features}), got {tuple(x.shape)}")
        return self.skip(x) + self.body(x)

    @torch.no_grad()
    def prox_(self, lam, M):
        """Apply (Group-)Hier-Prox to (θ, W⁽⁰⁾) in place; `lam` already includes the step size."""
        theta = self.skip.weight.T  # (d, n_outputs)
        first = self.first_layer.weight.T  # (d, K)
        theta_new, first_new = hier_prox(theta, first, lam, M)
        self.skip.weight.copy_(theta_new.T)
        self.first_layer.weight.copy_(first_new.T)

    @torch.no_grad()
    def feature_norms(self):
        """‖θ_j‖₂ for every feature: zero exactly when feature j is out of the model."""
        return torch.linalg.vector_norm(self.skip.weight, dim=0)

    def penalty(self):
        return self.feature_norms().sum()

    def coefficients(self):
        """What a path records per step and feature: θ_j for one output, ‖θ_j‖ for several."""
        weights = self.skip.weight.detach()
        return weights[0] if weights.shape[0] == 1 else self.feature_norms()

    @torch.no_grad()
    def zero_input_weights_(self):
        """θ = 0 and W⁽⁰⁾ = 0: the model with no input feature."""
        self.skip.weight.zero_()
        self.first_layer.weight.zero_()

    def null_scores(self, M):
        """‖∂L/∂θ_j‖ + M‖∂L/∂W⁽⁰⁾_j‖₁ per feature from the gradients of the last backward pass (Appendix A)."""
        grad_theta = torch.linalg.vector_norm(self.skip.weight.grad, dim=0)
        grad_first = self.first_layer.weight.grad.abs().sum(0)
        return grad_theta + M * grad_first


def feed_forward_body(n_features, n_outputs, hidden_dims, dropout=0.0):
    """Linear → ReLU (→ Dropout) for each width in `hidden_dims`, then a linear output layer."""
    widths = [n_features, *map(int, hidden_dims)]
    layers = []
    for a, b in zip(widths[:-1], widths[1:]):
        layers += [nn.Linear(a, b), nn.ReLU()] + ([nn.Dropout(dropout)] if dropout else [])
    return nn.Sequential(*layers, nn.Linear(widths[-1], n_outputs))


def first_layer_name(body, layer_type):
    """The name in `body` of its first submodule that holds parameters, which must be a `layer_type`."""
    if not isinstance(body, nn.Module):
        raise ValueError(f"the body must be a torch.nn.Module, got {type(body).__name__}")
    for name, module in body.named_modules():
        if next(module.parameters(recurse=False), None) is not None:
            if not isinstance(module, layer_type):
                raise ValueError(f"the body's first layer must be nn.{layer_type.__name__}, "
                                 f"got {type(module).__name__} ({name or 'the body itself'})")
            return name
    raise ValueError(f"the body has no parameters; its first layer must be {layer_type.__name__}")


@torch.no_grad()
def check_body_output(body, x, n_outputs):
    """Run `body` once on a dummy batch (in evaluation mode: no dropout draw, no batch-norm update)."""
    was_training = body.training
    body.eval()
    try:
        out = body(x)
    except RuntimeError as error:
        raise ValueError(f"the body fails on inputs of shape {tuple(x.shape[1:])}: {error}") from error
    finally:
        body.train(was_training)
    if out.ndim != 2 or out.shape[1] != n_outputs:
        raise ValueError(f"the body must map a batch to (n, {n_outputs}) outputs, got shape {tuple(out.shape)}")


def loss_function(task):
    """The training loss of each task: cross-entropy, mean squared error (reconstruction targets are the inputs), or
    the negative Cox partial log-likelihood (task "cox": Efron's ties, "cox_breslow": Breslow's)."""
    if is_cox(task):
        return cox_loss(task)
    if task == "classification":
        return F.cross_entropy
    if task in ("regression", "reconstruction"):
        return F.mse_loss
    raise ValueError(f"task must be classification, regression, reconstruction, cox or cox_breslow, got {task!r}")


def loss_and_gradient(task):
    """The training loss of `task` as a function (outputs, targets) -> (loss, ∂loss/∂outputs), both detached: where
    a network differentiated by hand (`NetworkStack.backward_one`) starts.

    Cross-entropy runs the ATen operations that autograd runs for `F.cross_entropy` and its derivative (the same
    bits, tested) without autograd's bookkeeping, which on Mice Protein's batches costs a third of the loss's time;
    the other losses are differentiated by autograd.
    """
    if task == "classification":
        return _cross_entropy_and_gradient
    return autograd_loss_and_gradient(loss_function(task))


def autograd_loss_and_gradient(loss_of):
    """(loss, gradient with respect to the outputs) of `loss_of`, by autograd on detached outputs."""

    def loss_and_gradient(outputs, targets):
        with torch.enable_grad():
            outputs = outputs.detach().requires_grad_()
            loss = loss_of(outputs, targets)
            (gradient,) = torch.autograd.grad(loss, outputs)
        return loss.detach(), gradient

    return loss_and_gradient


def weighted_cross_entropy(task, class_weight, device):
    """The class-weighted cross-entropy and its (loss, gradient) function, as `loss_function` and
    `loss_and_gradient` give them unweighted."""
    if task != "classification":
        raise ValueError(f"class_weight is for task='classification', got task={task!r}")
    weight = torch.as_tensor(class_weight, dtype=torch.float32, device=device)
    if weight.ndim != 1 or not bool(torch.isfinite(weight).all()) or bool((weight < 0).any()):
        raise ValueError(f"class_weight must be a list of finite weights >= 0, one per class, got {class_weight!r}")

    def losses(outputs, targets):
        if outputs.shape[1] != len(weight):
            raise ValueError(f"class_weight holds {len(weight)} weights for {outputs.shape[1]} classes")
        return F.cross_entropy(outputs, targets, weight=weight)

    return losses, autograd_loss_and_gradient(losses)


_MEAN, _NO_IGNORED_CLASS = 1, -100  # F.cross_entropy's defaults, as ATen's nll_loss takes them


def _cross_entropy_and_gradient(outputs, targets):
    log_p = torch.log_softmax(outputs, 1)
    loss, total_weight = torch.ops.aten.nll_loss_forward(log_p, targets, None, _MEAN, _NO_IGNORED_CLASS)
    seed = torch.ones((), dtype=loss.dtype, device=loss.device)
    grad_log_p = torch.ops.aten.nll_loss_backward(seed, log_p, targets, None, _MEAN, _NO_IGNORED_CLASS, total_weight)
    return loss, torch.ops.aten._log_softmax_backward_data(grad_log_p, log_p, 1, outputs.dtype)


def target_tensor(task, y, X, device):
    """The training target of each task as a tensor: class indices, regression outputs (n, m), the inputs, or
    (time, event) pairs (n, 2) for Cox."""
    if is_cox(task):
        return survival_tensor(y, device)
    if task == "reconstruction":
        return torch.as_tensor(X, dtype=torch.float32, device=device)
    if task == "classification":
        return torch.as_tensor(y, dtype=torch.long, device=device)
    return torch.as_tensor(y, dtype=torch.float32, device=device).reshape(len(y), -1)


def n_outputs_of(task, targets):
    """The network's number of outputs for a target tensor of `task` (one log hazard for Cox)."""
    if is_cox(task):
        return 1
    return int(targets.max()) + 1 if task == "classification" else targets.shape[1]


@torch.no_grad()
def score(task, outputs, targets):
    """Higher is better: accuracy for classification, Harrell's C-index for Cox, R² (over all outputs) otherwise."""
    if is_cox(task):
        return concordance_index(outputs, targets)
    if task == "classification":
        return (outputs.argmax(1) == targets).float().mean().item()
    residual = ((outputs - targets) ** 2).sum()
    total = ((targets - targets.mean(0)) ** 2).sum()
    return (1 - residual / total).item() if total > 0 else float("nan")
