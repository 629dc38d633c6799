"""Several LassoNet networks trained as one: the hidden-width search in one batched job.

The paper picks the hidden width K from [d/3, 2d/3, d, 4d/3]. The networks of such a grid read the same inputs, so
their first layers can be stacked into one (sum of widths × d) matrix and their skip layers into one (N, m, d)
tensor: one matrix product serves every network, and one Hier-Prox call treats every (network, feature) pair. The
output layers stay separate, so each network's loss depends on its own weights alone and its gradients are those it
would get on its own.

`NetworkStack` holds the networks of one hidden layer (the paper's, and the width search's), or one ReLU network of
several hidden layers (`LassoNetModel` with deeper `hidden_dims`) as a stack of one; `SingleNetwork` wraps any other
model with the LassoNet methods (a user's module) as a stack of one, so the path code has one interface. Only a
`NetworkStack` can hold a feature out of a network once it has left (`keep_out_`) and drop the features that have left
every network (`compact`): their columns are zero, and they cost matrix products and prox passes for nothing.
"""

import torch
from torch import nn
from torch.nn import functional as F

from lassonet_bench.core.model import LassoNetModel
from lassonet_bench.core.prox import checked_penalty, stacked_hier_prox_


class NetworkStack(nn.Module):
    """N one-hidden-layer LassoNet networks f_i(x) = θ_iᵀx + V_i·ReLU(W_i x + b_i) + c_i on the same d inputs, or
    one network with more hidden layers between W and V (`hidden1_weight`, `hidden1_bias`, ...: the deeper layers).

    Built from `LassoNetModel`s (so each network starts from exactly the initialisation it would have alone);
    `network(i)` gives network i back as a `LassoNetModel` over all the original features.
    """

    def __init__(self, networks, dropout=0.0, features=None):
        super().__init__()
        layers = [_linear_layers(net) for net in networks]
        if len(networks) > 1 and any(len(linears) > 2 for linears in layers):
            raise ValueError("a NetworkStack of several networks holds networks of one hidden layer only")
        firsts, outputs = [linears[0] for linears in layers], [linears[-1] for linears in layers]
        self.widths = [first.out_features for first in firsts]
        self.n_inputs = networks[0].skip.in_features
        self.features = torch.arange(self.n_inputs) if features is None else features
        self.theta = nn.Parameter(torch.stack([net.skip.weight.detach() for net in networks]))  # (N, m, d)
        self.first = nn.Parameter(torch.cat([first.weight.detach() for first in firsts]))  # (ΣK, d)
        self.first_bias = nn.Parameter(torch.cat([first.bias.detach() for first in firsts]))
        self.output = nn.Parameter(torch.cat([output.weight.detach().T for output in outputs]))  # (ΣK, m)
        self.output_bias = nn.Parameter(torch.stack([output.bias.detach() for output in outputs]))  # (N, m)
        self.dropout = dropout
        deeper = layers[0][1:-1]
        self.n_deeper = len(deeper)
        for name, layer in zip(self._deeper_names(), deeper):
            setattr(self, f"{name}_weight", nn.Parameter(layer.weight.detach().clone()))
            setattr(self, f"{name}_bias", nn.Parameter(layer.bias.detach().clone()))

    def _deeper_names(self):
        return [f"hidden{layer}" for layer in range(1, self.n_deeper + 1)]

    def _deeper(self):
        """(weight, bias) of each hidden layer after the first, as nn.Linear holds them; none for one hidden layer."""
        return [(getattr(self, f"{name}_weight"), getattr(self, f"{name}_bias")) for name in self._deeper_names()]

    @property
    def n_networks(self):
        return len(self.widths)

    def forward(self, x):
        """Outputs of shape (rows, N, m)."""
        if len(self.widths) == 1:
            return self.forward_one(x).unsqueeze(1)
        hidden = self._hidden(x)
        n, m = self.theta.shape[:2]
        skip = F.linear(x, self.theta.reshape(n * m, -1)).reshape(len(x), n, m)
        heads = [h @ v for h, v in zip(hidden.split(self.widths, 1), self.output.split(self.widths, 0))]
        return skip + torch.stack(heads, 1) + self.output_bias

    def backward_one(self, x, targets, loss_and_gradient):
        """A stack of one network: its loss on a batch (shape (1,), detached), with the parameters' gradients set.

        `loss_and_gradient(outputs, targets)` gives the loss and its gradient in the outputs (`model.loss_and_gradient`).
        Without dropout the layers are differentiated here rather than by autograd, whose bookkeeping per node cost
        more than the matrix products on a small network. The operations are those of torch's derivatives of addmm,
        mm and relu for these layouts (contiguous weights), so the gradients are the same bits (tested).
        """
        if self.dropout:
            return backward_from_outputs(self._outputs_one(x)[0], targets, loss_and_gradient)
        with torch.no_grad():
            outputs, hidden = self._outputs_one(x)
            loss, grad = loss_and_gradient(outputs, targets)
            grad_hidden = torch.ops.aten.threshold_backward(grad.mm(self.output.t()), hidden[-1], 0)
            self.theta.grad = grad.t().mm(x).unsqueeze(0)
            self.output.grad = hidden[-1].t().mm(grad)
            self.output_bias.grad = grad.sum(0).unsqueeze(0)
            for (weight, bias), below in zip(reversed(self._deeper()), reversed(hidden[:-1])):
                weight.grad = grad_hidden.t().mm(below)
                bias.grad = grad_hidden.sum(0)
                grad_hidden = torch.ops.aten.threshold_backward(grad_hidden.mm(weight), below, 0)
            self.first.grad = grad_hidden.t().mm(x)
            self.first_bias.grad = grad_hidden.sum(0)
        return loss.reshape(1)

    def forward_one(self, x):
        """The outputs (rows, m) of a stack of one network."""
        return self._outputs_one(x)[0]

    def _outputs_one(self, x):
        """The outputs of a stack of one network, and the activations of each of its hidden layers."""
        hidden = [self._hidden(x)]
        for weight, bias in self._deeper():
            hidden.append(self._relu_dropout(F.linear(hidden[-1], weight, bias)))
        return F.linear(x, self.theta[0]) + hidden[-1] @ self.output + self.output_bias[0], hidden

    def _hidden(self, x):
        return self._relu_dropout(F.linear(x, self.first, self.first_bias))

    def _relu_dropout(self, x):
        hidden = F.relu(x)
        return F.dropout(hidden, self.dropout, self.training) if self.dropout else hidden

    def step_penalty(self, lam, M):
        """The networks' λ times the step size (N,) and M, checked and on the device: what `prox_` takes."""
        return checked_penalty(lam, M, self.theta)

    @torch.no_grad()
    def prox_(self, penalty, M):
        """Hier-Prox on every network in place, with the `penalty` from `step_penalty` (which holds M)."""
        stacked_hier_prox_(self.theta, self.first, self.widths, penalty)

    @torch.no_grad()
    def keep_out_(self, alive):
        """Zero the weights of every feature that has left a network (alive: (N, d) bools)."""
        self.theta.mul_(alive.unsqueeze(1))
        for block, network_alive in zip(self.first.split(self.widths), alive):  # views: runs every mini-batch
            block.mul_(network_alive)

    @torch.no_grad()
    def feature_norms(self):
        """(N, d): ‖θ_j‖₂ of every network and (kept) feature."""
        return torch.linalg.vector_norm(self.theta, dim=1)

    def penalty(self):
        return torch.linalg.vector_norm(self.theta, dim=1).sum(1)

    @torch.no_grad()
    def zero_input_weights_(self):
        self.theta.zero_()
        self.first.zero_()

    def null_scores(self, M):
        """(N, d): ‖∂L/∂θ_j‖ + M‖∂L/∂W_j‖₁ per network from the last backward pass (Appendix A)."""
        grad_theta = torch.linalg.vector_norm(self.theta.grad, dim=1)
        grad_first = torch.stack([g.abs().sum(0) for g in self.first.grad.split(self.widths, 0)])
        return grad_theta + M * grad_first

    def coefficients(self):
        """(N, d): θ_j for one output, ‖θ_j‖ for several."""
        theta = self.theta.detach()
        return theta[:, 0] if theta.shape[1] == 1 else torch.linalg.vector_norm(theta, dim=1)

    def slices(self, keep_networks, keep_features):
        """How each parameter (by name) is cut down to the kept networks and features: a function of a tensor."""
        rows = torch.cat([torch.arange(sum(self.widths[:i]), sum(self.widths[: i + 1])) for i in keep_networks])
        nets = torch.as_tensor(keep_networks)
        whole = lambda t: t  # noqa: E731 (a network with deeper layers is alone in its stack: it is kept whole)
        cut = {
            "theta": lambda t: t[nets][:, :, keep_features],
            "first": lambda t: t[rows][:, keep_features],
            "first_bias": lambda t: t[rows],
            "output": whole if self.n_deeper else lambda t: t[rows],
            "output_bias": lambda t: t[nets],
        }
        return cut | {name: whole for name, _ in self.named_parameters() if name not in cut}

    def network_index(self, name, i):
        """Where network i's part of parameter `name` lies along its first axis."""
        if name in ("theta", "output_bias"):
            return i
        start = sum(self.widths[:i])
        return slice(start, start + self.widths[i])

    def compact(self, keep_networks, keep_features):
        """A stack of the kept networks over the kept features (indices into the current ones), sharing nothing."""
        cut = self.slices(keep_networks, keep_features)
        stack = NetworkStack.__new__(NetworkStack)
        nn.Module.__init__(stack)
        stack.widths = [self.widths[i] for i in keep_networks]
        stack.n_inputs, stack.dropout, stack.n_deeper = self.n_inputs, self.dropout, self.n_deeper
        stack.features = self.features[keep_features.cpu()]
        for name, param in self.named_parameters():
            setattr(stack, name, nn.Parameter(cut[name](param.detach()).clone()))
        return stack

    def network(self, i):
        """Network i as a `LassoNetModel` over all original inputs (zero weights on the features dropped)."""
        rows = self.network_index("first", i)
        m = self.theta.shape[1]
        deeper = self._deeper()
        hidden_dims = (self.widths[i], *(len(bias) for _, bias in deeper))
        with torch.random.fork_rng(devices=[]):  # building it must not move the random stream of the training
            net = LassoNetModel(self.n_inputs, m, hidden_dims, self.dropout).to(self.theta.device)
        columns = self.features.to(self.theta.device)
        first, *net_deeper, output = _linear_layers(net)
        with torch.no_grad():
            net.zero_input_weights_()
            net.skip.weight[:, columns] = self.theta[i]
            first.weight[:, columns] = self.first[rows]
            first.bias.copy_(self.first_bias[rows])
            for layer, (weight, bias) in zip(net_deeper, deeper):
                layer.weight.copy_(weight)
                layer.bias.copy_(bias)
            output.weight.copy_(self.output[rows].T if not deeper else self.output.T)
            output.bias.copy_(self.output_bias[i])
        return net


def backward_from_outputs(outputs, targets, loss_and_gradient):
    """The loss (shape (1,), detached) of one network's `outputs`, with autograd taking its gradient through them."""
    loss, grad = loss_and_gradient(outputs.detach(), targets)
    outputs.backward(grad)
    return loss.reshape(1)


def _linear_layers(net):
    """The linear layers of a `LassoNetModel`'s ReLU network, first to output."""
    return [module for module in net.body.modules() if isinstance(module, nn.Linear)]


class SingleNetwork(nn.Module):
    """Any model with the LassoNet methods, seen as a stack of one (outputs (rows, 1, m), norms (1, d))."""

    def __init__(self, model):
        super().__init__()
        self.model = model
        self.n_networks = 1

    def forward(self, x):
        return self.model(x).unsqueeze(1)

    def backward_one(self, x, targets, loss_and_gradient):
        return backward_from_outputs(self.model(x), targets, loss_and_gradient)

    def step_penalty(self, lam, M):
        return float(torch.as_tensor(lam).reshape(-1)[0])  # the model's prox checks it

    def prox_(self, lam, M):
        self.model.prox_(lam, M)

    def feature_norms(self):
        return self.model.feature_norms().unsqueeze(0)

    def penalty(self):
        return self.model.penalty().unsqueeze(0)

    def zero_input_weights_(self):
        self.model.zero_input_weights_()

    def null_scores(self, M):
        return self.model.null_scores(M).unsqueeze(0)

    def coefficients(self):
        return self.model.coefficients().unsqueeze(0)

    def network(self, i):
        return self.model
