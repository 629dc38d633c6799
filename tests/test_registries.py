"""The registries are the one place a method or a data set is declared: a toy selector (its module plus one
registration) and a toy data set (a spec in the data registry, with an option) are planned by the workflow's dry
run of the smoke configuration, without touching the schemas, the rules or the report."""

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pytest

from lassonet_bench import schemas
from lassonet_bench.datasets import REGISTRY, DatasetOption, prepare_options
from lassonet_bench.datasets import register as register_dataset
from lassonet_bench.plots.style import SELECTOR_PALETTE, method_colour, method_style
from lassonet_bench.selectors import BUILT_IN, SELECTORS, make_selector, method_titles, methods, register
from lassonet_bench.selectors.base import BaselineSelector
from workflow_helpers import REPO, SMOKE_CONFIG, SNAKEFILE, job_counts

TOY_SELECTOR = '''
import numpy as np

from lassonet_bench.selectors import register
from lassonet_bench.selectors.base import BaselineSelector


@register
class VarianceSelector(BaselineSelector):
    """Rank features by their variance on the training rows."""

    name = "toy_variance"
    title = "Toy variance"
    nested_selection = True
    requires_labels = False

    def _rank_features(self, X, y=None):
        return np.argsort(-X.var(axis=0), kind="stable")
'''

TOY_DATASET = '''
from pathlib import Path

import numpy as np

from lassonet_bench.datasets import DatasetOption, DatasetSpec, RawFile, register


def build(raw_dir, scale="unit"):
    table = np.loadtxt(Path(raw_dir) / "toy.csv", delimiter=",")
    X = table[:, :-1] if scale == "unit" else 2 * table[:, :-1]
    return X, table[:, -1].astype(np.int64), [f"f{i}" for i in range(X.shape[1])], {}


register(DatasetSpec(
    name="toy",
    title="Toy",
    task="classification",
    n_samples=60,
    n_features=6,
    n_classes=2,
    files=(RawFile("toy.csv", "toy/toy.csv", ()),),
    build=build,
    preprocessing="as written",
    options=(DatasetOption("toy_scale", "scale", ("unit", "double"), "How the toy's features are scaled."),),
))
'''


def dry_run(tmp_path, plugin, dataset, method, prepare, extra=""):
    """A dry run of the smoke configuration cut to one data set and one method (Figure 5 on the same cell, no other
    figure), in a process that first imports `plugin` (a module written to tmp_path) and runs `prepare`; the
    (data set, method) cell's jobs must be planned. Returns the dry run's output."""
    (tmp_path / "plugin.py").write_text(plugin)
    (tmp_path / "overlay.yaml").write_text(
        f"datasets: [{dataset}]\nextra_datasets: []\nmethods: [{method}]\nextra_methods: []\nfigures: {{draw: []}}\n"
        f"figure5: {{dataset: {dataset}, fallback_dataset: null, methods: [{method}]}}\n{extra}"
    )
    code = "\n".join(["import plugin", prepare, "from snakemake.cli import main", "main()"])
    command = [sys.executable, "-c", code, "-s", SNAKEFILE, "--directory", tmp_path, "-n", "--cores", "1",
               "--configfile", SMOKE_CONFIG, tmp_path / "overlay.yaml"]
    path = os.pathsep.join(filter(None, [str(tmp_path), str(REPO / "src"), os.environ.get("PYTHONPATH")]))
    result = subprocess.run(list(map(str, command)), capture_output=True, text=True, timeout=300, cwd=tmp_path,
                            env={**os.environ, "PYTHONPATH": path})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert f"results/selections/{dataset}/{method}/seed-0.json" in output, output
    assert job_counts(output)["evaluate"] == 6, output  # (k = 3, 5 and all) x 2 learners
    return output


def test_the_config_schema_takes_method_and_data_set_names_from_the_registries():
    schema = schemas.config_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
    assert schema["$defs"]["selection_method"]["enum"] == list(SELECTORS)
    assert schema["$defs"]["dataset_name"]["enum"] == list(REGISTRY)
    assert set(schema["properties"]["method_params"]["properties"]) == set(SELECTORS)
    assert schema["properties"]["data"]["properties"]["mice_missing_fill"]["default"] == "class_mean"
    runs = schemas.runs_schema(REPO / "workflow" / "schemas" / "runs.schema.yaml")
    assert runs["properties"]["method"]["enum"] == ["all", *SELECTORS]


def test_register_refuses_a_taken_name_and_a_missing_title():
    class Unnamed(BaselineSelector):
        name = "unnamed"

    class Impostor(BaselineSelector):
        name, title = "fisher", "Another Fisher"

    with pytest.raises(ValueError, match="must declare a non-empty string `title`"):
        register(Unnamed)
    with pytest.raises(ValueError, match="'fisher' is taken by FisherScoreSelector"):
        register(Impostor)


def test_data_set_register_refuses_a_taken_name_and_an_option_its_build_lacks():
    mice = REGISTRY["mice"]
    with pytest.raises(ValueError, match="'mice' is taken"):
        register_dataset(dataclasses.replace(mice, title="Another Mice"))
    renamed = dataclasses.replace(mice, name="mice_copy", options=(DatasetOption("x", "no_such_argument", ("a",), ""),))
    with pytest.raises(ValueError, match="'mice_copy': option 'x' sets 'no_such_argument'"):
        register_dataset(renamed)
    assert "mice_copy" not in REGISTRY


def test_a_new_selector_is_its_module_plus_one_registration(tmp_path):
    namespace = {}
    exec(TOY_SELECTOR, namespace)
    try:
        X = np.outer(np.arange(30) % 5, np.arange(1, 7)).astype(float)  # variance grows with the column
        assert list(make_selector("toy_variance", 2, 0).fit(X).ranking_[:2]) == [5, 4]
        assert method_titles()["toy_variance"] == "Toy variance"
        # Its figure line (colour, marker, line style) is the next one after the built-in selectors', none of theirs.
        styles = [tuple(method_style(m).values()) for m in methods()]
        assert len(set(styles)) == len(styles) == len(BUILT_IN) + 1
        assert method_colour("toy_variance") == SELECTOR_PALETTE[len(BUILT_IN) % len(SELECTOR_PALETTE)]
    finally:
        del SELECTORS["toy_variance"]
    # The data layer's checkpoint is resolved as if fetch had run, so that the dry run plans the selections.
    fetched = "from pathlib import Path; Path('results/raw/mice').mkdir(parents=True); " \
              "Path('results/raw/mice/fetch.json').write_text('{\"available\": true, \"reason\": \"\", \"files\": []}')"
    output = dry_run(tmp_path, TOY_SELECTOR, "mice", "toy_variance", fetched, "method_params: {toy_variance: {}}\n")
    assert job_counts(output)["select_ranking"] == 1, output  # nested: one fit serves k = 3, 5 (Figure 5), 5 (tables)


def test_a_new_data_set_is_its_spec_in_the_data_registry(tmp_path):
    mirror = tmp_path / "mirror" / "toy"
    mirror.mkdir(parents=True)
    rng = np.random.default_rng(0)
    rows = np.column_stack([rng.normal(size=(60, 6)), np.arange(60) % 2])
    np.savetxt(mirror / "toy.csv", rows, delimiter=",")
    fetched = (
        "from lassonet_bench.datasets import fetch_report, write_fetch_report; "
        f"write_fetch_report(fetch_report('toy', 'results/raw/toy', {str(mirror.parent)!r}), "
        "'results/raw/toy/fetch.json')"
    )
    output = dry_run(tmp_path, TOY_DATASET, "toy", "fisher", fetched, "data: {toy_scale: double}\n")
    counts = job_counts(output)
    assert counts["prepare_dataset"] == 1 and counts["split_dataset"] == 1, output
    namespace = {}
    exec(TOY_DATASET, namespace)
    try:
        assert prepare_options("toy", {"toy_scale": "double"}) == {"scale": "double"}
        assert prepare_options("toy", {}) == {"scale": "unit"}
    finally:
        del REGISTRY["toy"]


TOY_LEARNER = '''
import numpy as np
from sklearn.neighbors import NearestCentroid

from lassonet_bench.learners import Learner, register


def evaluate(X_train, y_train, X_val, y_val, X_test, y_test, random_state=None, device="cpu", shrink=None):
    model = NearestCentroid(shrink_threshold=shrink).fit(X_train, y_train)
    return {"accuracy": float(model.score(X_test, y_test)), "device": "cpu"}


register(Learner("toy_centroid", "Toy nearest centroid", "plugin:evaluate"))
'''


def test_a_new_learner_is_its_module_plus_one_registration(tmp_path, monkeypatch):
    from lassonet_bench import learners
    from lassonet_bench.runs.runner import run_evaluation_arrays

    (tmp_path / "plugin.py").write_text(TOY_LEARNER)
    monkeypatch.syspath_prepend(str(tmp_path))
    import plugin  # noqa: F401  (registers the learner)

    try:
        rng = np.random.default_rng(0)
        X, y = rng.normal(size=(90, 4)), np.arange(90) % 3
        X[:, 0] += 3 * y
        split = {"train": np.arange(60), "val": np.arange(60, 70), "test": np.arange(70, 90)}
        record = run_evaluation_arrays(X, y, split, [0, 1], "toy_centroid", 0, learner_params={"shrink": None})
        assert record["accuracy"] > 0.8 and record["learner_device"] == "cpu"
        schema = schemas.config_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
        assert "toy_centroid" in schema["properties"]["learners"]["items"]["enum"]
        assert learners.learner_titles()["toy_centroid"] == "Toy nearest centroid"
    finally:
        del learners.LEARNERS["toy_centroid"]
        sys.modules.pop("plugin", None)
    fetched = "from pathlib import Path; Path('results/raw/mice').mkdir(parents=True); " \
              "Path('results/raw/mice/fetch.json').write_text('{\"available\": true, \"reason\": \"\", \"files\": []}')"
    output = dry_run(tmp_path, TOY_LEARNER, "mice", "fisher", fetched, "learners: [extra_trees, toy_centroid]\n")
    assert "results/runs/mice/fisher/seed-0/k-5/toy_centroid.csv" in output, output
