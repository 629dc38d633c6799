"""The data sets' sources, one module each: its readers (each checks what it read and names the file at fault, since
fake copies of these files circulate), the authors' preprocessing (`experiments/data_utils.py` of their code and
../shared/replication-notes.md) and `build(raw_dir, **options) -> (X, y, feature_names, info)`: X float32, y int64
labels 0..K-1 (float32 for regression), feature names, and facts worth keeping in the output's metadata.

`datasets.yaml` names a data set's build as `<module>.<function>` of this package; a keyword argument with a
default is a preprocessing option the workflow can set (the entry's `options`). A new source is its module here
plus its entry in datasets.yaml.
"""

import importlib

MODULES = ("mice", "idx", "isolet", "coil20", "activity", "boston")


def resolve(reference, what="build"):
    """The function `<module>.<function>` of this package that datasets.yaml names."""
    module, _, function = reference.partition(".")
    if module not in MODULES or not function:
        raise ValueError(f"datasets.yaml: {what} {reference!r} must be <module>.<function> of datasets.sources "
                         f"(modules: {', '.join(MODULES)})")
    found = getattr(importlib.import_module(f"lassonet_bench.datasets.sources.{module}"), function, None)
    if not callable(found):
        raise ValueError(f"datasets.yaml: {what} {reference!r}: datasets.sources.{module} has no function {function!r}")
    return found


def constants():
    """The upper-case constants of every source module, which a preprocessing text may name in braces."""
    found = {}
    for module in MODULES:
        found.update({k: v for k, v in vars(importlib.import_module(f"lassonet_bench.datasets.sources.{module}")).items()
                      if k.isupper()})
    return found
