"""Convolutional LassoNet: filter sparsity (the paper's Section 8 proposal, in the formulation of
`shared/paper/lassonet-for-convolutions.md`).

The network is a user's `nn.Sequential` body whose first layer is `nn.Conv2d` with F filters. The skip layer maps
the flattened output of that convolution, z = conv(x) of shape (F, H', W'), to the outputs:

    f(x) = Θ·vec(z) + body[1:](z),      θ_j = the block of Θ on filter j's output map (n_outputs × H'W' weights)

and filter j's weights γ_j (in_channels × kh × kw) obey ‖γ_j‖∞ ≤ M‖θ_j‖₂. The penalty is λ Σ_j ‖θ_j‖₂, so
Group-Hier-Prox applies with θ_j as the group and γ_j as the "first-layer" row. A filter is out of the model when
θ_j = 0, which forces γ_j = 0: its output map is then the constant bias, which carries no information about x.

`ConvLassoNetModel` offers the methods of `model.LassoNetModel`, so `path.fit_path(..., model=conv_model)` runs
the dense→sparse path over λ with filters in place of features: `feature_norms()` is ‖θ_j‖ per filter, the path's
`exit_lambda` and `path.feature_ranking` rank filters, and `top_filters` keeps exactly k of them.
"""

import numpy as np
import torch
from torch import nn

from lassonet_bench.core.model import check_body_output, first_layer_name
from lassonet_bench.core.path import feature_ranking
from lassonet_bench.core.prox import hier_prox


class ConvLassoNetModel(nn.Module):
    """LassoNet on the filters of the first convolution of `body` (see the module docstring).

    `image_shape` is (channels, height, width); the model takes images as (n, C, H, W) or flattened as (n, C·H·W),
    as the data sets store them. `body` must be an `nn.Sequential` whose first layer is `nn.Conv2d(C, F, ...)` and
    that maps (n, C, H, W) to (n, n_outputs).
    """

    def __init__(self, image_shape, n_outputs, body):
        super().__init__()
        self.image_shape = tuple(int(s) for s in image_shape)
        if len(self.image_shape) != 3 or min(self.image_shape) < 1:
            raise ValueError(f"image_shape must be (channels, height, width), got {image_shape!r}")
        if not isinstance(body, nn.Sequential):
            raise ValueError(f"the body must be an nn.Sequential starting with nn.Conv2d, got {type(body).__name__}")
        if first_layer_name(body, nn.Conv2d) != "0":
            raise ValueError("the body's first element must be the nn.Conv2d whose filters LassoNet selects")
        conv = body[0]
        if conv.in_channels != self.image_shape[0]:
            raise ValueError(f"the body's first layer takes {conv.in_channels} channels; the images have "
                             f"{self.image_shape[0]}: it must be nn.Conv2d({self.image_shape[0]}, F, ...)")
        check_body_output(body, torch.zeros(2, *self.image_shape), n_outputs)
        with torch.no_grad():
            self.map_shape = tuple(conv(torch.zeros(1, *self.image_shape)).shape[1:])  # (F, H', W')
        self.body = body
        self.skip = nn.Linear(int(np.prod(self.map_shape)), n_outputs, bias=False)

    @property
    def conv(self):
        return self.body[0]

    def forward(self, x):
        maps = self.conv(self._images(x))
        hidden = maps
        for layer in self.body[1:]:
            hidden = layer(hidden)
        return self.skip(maps.flatten(1)) + hidden

    def _images(self, x):
        if x.ndim == 2 and x.shape[1] == int(np.prod(self.image_shape)):
            return x.reshape(len(x), *self.image_shape)
        if tuple(x.shape[1:]) == self.image_shape:
            return x
        raise ValueError(f"the model takes images of shape (n, {', '.join(map(str, self.image_shape))}) or "
                         f"(n, {int(np.prod(self.image_shape))}), got {tuple(x.shape)}")

    def _theta_groups(self, weight):
        """(n_outputs, F·H'·W') skip weights → (F, n_outputs·H'·W'): row j is θ_j."""
        n_outputs, n_filters = weight.shape[0], self.map_shape[0]
        return weight.reshape(n_outputs, n_filters, -1).transpose(0, 1).reshape(n_filters, -1)

    def _theta_weight(self, groups):
        """The inverse of `_theta_groups`."""
        n_outputs, n_filters = self.skip.weight.shape[0], self.map_shape[0]
        return groups.reshape(n_filters, n_outputs, -1).transpose(0, 1).reshape(n_outputs, -1)

    @torch.no_grad()
    def prox_(self, lam, M):
        """Group-Hier-Prox on (θ_j, γ_j) for every filter j, in place; `lam` already includes the step size."""
        gamma = self.conv.weight.reshape(self.map_shape[0], -1)
        theta_new, gamma_new = hier_prox(self._theta_groups(self.skip.weight), gamma, lam, M)
        self.skip.weight.copy_(self._theta_weight(theta_new))
        self.conv.weight.copy_(gamma_new.reshape(self.conv.weight.shape))

    @torch.no_grad()
    def feature_norms(self):
        """‖θ_j‖₂ for every filter: zero exactly when filter j is out of the model."""
        return torch.linalg.vector_norm(self._theta_groups(self.skip.weight), dim=1)

    def penalty(self):
        return self.feature_norms().sum()

    def coefficients(self):
        return self.feature_norms()

    @torch.no_grad()
    def zero_input_weights_(self):
        """Θ = 0 and every filter's weights 0: the model with no filter."""
        self.skip.weight.zero_()
        self.conv.weight.zero_()

    def null_scores(self, M):
        """‖∂L/∂θ_j‖₂ + M‖∂L/∂γ_j‖₁ per filter from the gradients of the last backward pass (Appendix A)."""
        grad_theta = torch.linalg.vector_norm(self._theta_groups(self.skip.weight.grad), dim=1)
        grad_gamma = self.conv.weight.grad.reshape(self.map_shape[0], -1).abs().sum(1)
        return grad_theta + M * grad_gamma


def top_filters(result, k):
    """The k best filters of a path's PathResult (by the λ at which each left, later first; ties by ‖θ_j‖)."""
    n_filters = len(result.exit_lambda)
    if not 1 <= int(k) <= n_filters:
        raise ValueError(f"k must lie between 1 and the number of filters, {n_filters}; got {k!r}")
    return feature_ranking(result.exit_lambda, result.exit_norm)[: int(k)]
