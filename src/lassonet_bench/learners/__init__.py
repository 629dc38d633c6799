"""Downstream learners that score a feature set (Section 5, Appendix B), and their registry: the one place the
runner, the workflow and the report learn which learners exist.

Each learner is trained from scratch on the selected columns only, by one function of its module,
`evaluate(X_train, y_train, X_val, y_val, X_test, y_test, *, random_state, device, **params)` -> {"accuracy", ...};
its keyword parameters are the learner's `learner_params`. A new learner is its module and one `register` line
below. Modules are imported on first use: the decoder needs torch, and a job that never imports torch (ExtraTrees,
the baselines) starts about 2 s sooner, most of such a job's time in the smoke run.
"""

import dataclasses
import importlib


@dataclasses.dataclass(frozen=True)
class Learner:
    name: str  # in the configuration and the result files
    title: str  # the report's
    evaluate: str  # "module:function", imported when first called
    trains_a_network: bool = False  # its jobs ask for a GPU and measure CUDA memory


LEARNERS = {}


def register(learner):
    """Add a learner to the registry under its name."""
    if not learner.name.replace("_", "").isalpha() or not learner.name.islower():
        raise ValueError(f"learner name {learner.name!r} must be lower-case letters and '_'")
    if LEARNERS.get(learner.name, learner) != learner:
        raise ValueError(f"learner name {learner.name!r} is taken")
    LEARNERS[learner.name] = learner
    return learner


register(Learner("decoder", "decoder network", "lassonet_bench.learners.decoder:evaluate_decoder", True))
register(Learner("extra_trees", "ExtraTrees classifier", "lassonet_bench.learners.extra_trees:evaluate_extra_trees"))


def learner(name):
    """The registered learner of a name."""
    if name not in LEARNERS:
        raise ValueError(f"learner must be one of {tuple(LEARNERS)}, got {name!r}")
    return LEARNERS[name]


def evaluate_function(name):
    """The learner's evaluate function (its module imported now)."""
    module, _, function = learner(name).evaluate.partition(":")
    return getattr(importlib.import_module(module), function)


def learner_titles():
    return {name: spec.title for name, spec in LEARNERS.items()}
