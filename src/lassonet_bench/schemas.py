"""The workflow's JSON schemas completed from the registries, so that a method or a data set is declared once.

`workflow/schemas/*.yaml` hold everything but the names the registries own: the selector registry
(`lassonet_bench.selectors`) gives the method names and each method's `method_params` entry, the data registry
(`lassonet_bench.datasets`) the data set names and their options in the `data` section, and the selectors' default
k the default of `n_features_to_select`. `schema_file` puts a completed schema where Snakemake's validator
(`snakemake.utils.validate`, which fills in the defaults and names the key at fault) can read it.
"""

import contextlib
import json
import tempfile
from pathlib import Path

import yaml

from lassonet_bench.datasets import REGISTRY
from lassonet_bench.learners import LEARNERS
from lassonet_bench.selectors import ALL_FEATURES, SELECTORS
from lassonet_bench.validation import N_FEATURES_TO_SELECT


def _load(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def config_schema(path):
    """The config schema at `path` with the registries' method and data set names, parameters and options."""
    schema = _load(path)
    schema["$defs"]["selection_method"]["enum"] = list(SELECTORS)
    schema["$defs"]["dataset_name"]["enum"] = list(REGISTRY)
    properties = schema["properties"]
    properties["n_features_to_select"]["default"] = N_FEATURES_TO_SELECT
    properties["method_params"]["properties"] = {
        name: {
            "allOf": [{"$ref": "#/$defs/params"}, {"type": "object", "properties": cls.param_schema}],
            "default": {},
        }
        for name, cls in SELECTORS.items()
    }
    for spec in REGISTRY.values():
        properties["data"]["properties"].update(spec.options_schema())
    properties["learners"]["items"]["enum"] = list(LEARNERS)
    for name in LEARNERS:  # a learner without a schema of its own is checked against its signature only
        properties["learner_params"]["properties"].setdefault(name, {"type": "object", "default": {}})
    return schema


def runs_schema(path):
    """The schema of a results/runs.csv row at `path` with the registries' data set and method names."""
    schema = _load(path)
    schema["properties"]["dataset"]["enum"] = list(REGISTRY)
    schema["properties"]["method"]["enum"] = [ALL_FEATURES, *SELECTORS]
    schema["properties"]["learner"]["enum"] = list(LEARNERS)
    return schema


@contextlib.contextmanager
def schema_file(schema):
    """A temporary JSON file holding `schema`, for validators that read a schema from a path."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "schema.json"
        path.write_text(json.dumps(schema))
        yield str(path)
