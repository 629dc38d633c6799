"""LassoNet replication: our own LassoNet, the paper's baselines, and the pieces of the benchmark pipeline."""

__version__ = "0.1.0"
