"""The path's optimisers, SGD with momentum and Adam, written out so that their buffers follow the parameters
that leave the stack (`Optimizer` says why torch.optim's do not do)."""


import torch



class Optimizer:
    """An optimiser whose buffers are kept by parameter name: `buffers[name]` lists a parameter's buffers.

    torch.optim's optimisers are not used, because the path cuts the buffers with the parameters when networks or
    features leave the stack, and restores a network's buffers when it stopped a step early; torch's keep stepping
    the parameters they were made with (so its Adam, as the path optimizer, stopped training once the stack was
    cut). Not using them also spares the import of torch._dynamo that torch.optim's first optimizer makes (about
    1 CPU s per process). The updates run as `torch._foreach_*` calls over all parameters, with their constants as
    tensors: on the CPU these run each parameter's operation as torch.optim's single-tensor version does (the same
    bits), without a Python call per parameter or a tensor made of a Python number per operation.
    """

    def __init__(self, module, lr):
        self.module, self.lr = module, lr
        self.buffers = {}

    @property
    def module(self):
        return self._module

    @module.setter
    def module(self, module):
        """The module to train; the path sets a new one when it cuts the stack."""
        self._module = module
        self.parameters_by_name = list(module.named_parameters())  # listed once, not walked every step

    def zero_grad(self):
        for _, param in self.parameters_by_name:
            param.grad = None

    def _with_gradients(self):
        """Names, parameters and gradients of the parameters that have a gradient."""
        listed = [(name, param, param.grad) for name, param in self.parameters_by_name if param.grad is not None]
        return tuple(map(list, zip(*listed))) if listed else ([], [], [])

    def _number(self, value, like):
        """`value` as a tensor of the parameters' dtype and device (made by a kernel: no copy from the host)."""
        return torch.full((), value, dtype=like.dtype, device=like.device)



class SGD(Optimizer):
    """torch.optim.SGD's update with momentum (no dampening)."""

    def __init__(self, module, lr, momentum):
        super().__init__(module, lr)
        self.momentum = momentum

    @torch.no_grad()
    def step(self):
        names, params, grads = self._with_gradients()
        if not names:
            return
        updates = grads
        if self.momentum:
            kept = [(self.buffers[name][0], grad) for name, grad in zip(names, grads) if name in self.buffers]
            if kept:
                buffers, kept_grads = map(list, zip(*kept))
                torch._foreach_mul_(buffers, self._number(self.momentum, params[0]))
                torch._foreach_add_(buffers, kept_grads)
            for name, grad in zip(names, grads):
                if name not in self.buffers:
                    self.buffers[name] = [grad.clone()]
            updates = [self.buffers[name][0] for name in names]
        torch._foreach_add_(params, updates, alpha=-self.lr)



class Adam(Optimizer):
    """torch.optim.Adam's update at its defaults (β = 0.9, 0.999; ε = 1e-8).

    The operations are those of torch's Adam without foreach, which on the CPU is what its foreach version runs
    (tested).
    """

    betas, eps = (0.9, 0.999), 1e-8

    def __init__(self, module, lr):
        super().__init__(module, lr)
        self.steps = 0

    @torch.no_grad()
    def step(self):
        names, params, grads = self._with_gradients()
        beta1, beta2 = self.betas
        self.steps += 1
        if not names:
            return
        step_size = (self.lr / (1 - beta1**self.steps)) * -1
        bias_correction2_sqrt = (1 - beta2**self.steps) ** 0.5
        for name, param in zip(names, params):
            if name not in self.buffers:
                self.buffers[name] = [torch.zeros_like(param), torch.zeros_like(param)]
        means = [self.buffers[name][0] for name in names]
        squares = [self.buffers[name][1] for name in names]
        torch._foreach_lerp_(means, grads, 1 - beta1)
        torch._foreach_mul_(squares, self._number(beta2, params[0]))
        torch._foreach_addcmul_(squares, grads, grads, value=1 - beta2)
        denominators = torch._foreach_sqrt(squares)
        torch._foreach_div_(denominators, self._number(bias_correction2_sqrt, params[0]))
        torch._foreach_add_(denominators, self._number(self.eps, params[0]))
        torch._foreach_addcdiv_(params, means, denominators, value=step_size)

