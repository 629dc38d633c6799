"""The LassoNet network: a linear skip layer plus a feed-forward ReLU network, and its task-specific losses."""

import torch
from torch import nn
from torch.nn import functional as F

from .prox import hier_prox
from .survival import concordance_index, cox_loss, is_cox, survival_tensor


class LassoNetModel(nn.Module):
    """f(x) = θᵀx + f_W(x) (Section 3.1); θ is `skip.weight`, W⁽⁰⁾ is `layers[0].weight`.

    The ℓ1 penalty is on the columns of θ (one group of `n_outputs` weights per feature), so classification with
    C classes and reconstruction with d outputs use Group-Hier-Prox, a single output plain Hier-Prox.
    """

    def __init__(self, n_features, n_outputs, hidden_dims, dropout=0.0):
        super().__init__()
        if not hidden_dims or any(int(h) < 1 for h in hidden_dims):
            raise ValueError(f"hidden_dims must be a non-empty list of positive widths, got {hidden_dims!r}")
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
        """Apply (Group-)Hier-Prox to (θ, W⁽⁰⁾) in place; `lam` already includes the step size."""
        theta = self.skip.weight.T  # (d, n_outputs)
        first = self.layers[0].weight.T  # (d, K)
        theta_new, first_new = hier_prox(theta, first, lam, M)
        self.skip.weight.copy_(theta_new.T)
        self.layers[0].weight.copy_(first_new.T)

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
        self.layers[0].weight.zero_()

    def null_scores(self, M):
        """‖∂L/∂θ_j‖ + M‖∂L/∂W⁽⁰⁾_j‖₁ per feature from the gradients of the last backward pass (Appendix A)."""
        grad_theta = torch.linalg.vector_norm(self.skip.weight.grad, dim=0)
        grad_first = self.layers[0].weight.grad.abs().sum(0)
        return grad_theta + M * grad_first


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
