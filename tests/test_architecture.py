"""The folders are the architecture: layers imported only downwards, no import cycle, small modules and functions,
a short top level, and docs/architecture.md generated from the code (docs/architecture.py)."""

import ast
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARCHITECTURE = runpy.run_path(str(ROOT / "docs" / "architecture.py"))
MAX_MODULE_LINES, MAX_FUNCTION_LINES = 450, 80


def test_no_module_imports_a_layer_above_its_own_and_none_is_in_a_cycle():
    graph = ARCHITECTURE["import_graph"]()
    assert "lassonet_bench.record.rendering" in graph["lassonet_bench.record.gathering"]  # the graph sees imports
    assert ARCHITECTURE["upward_imports"](graph) == []
    assert ARCHITECTURE["cycles"](graph) == []


def test_an_upward_import_and_a_cycle_are_caught():
    graph = {"lassonet_bench.core.prox": {"lassonet_bench.reporting.report"}, "lassonet_bench.reporting.report": set(),
             "lassonet_bench.selectors.a": {"lassonet_bench.learners.b"}, "lassonet_bench.learners.b": set(),
             "lassonet_bench.plots.x": {"lassonet_bench.plots.y"}, "lassonet_bench.plots.y": {"lassonet_bench.plots.x"}}
    assert ARCHITECTURE["upward_imports"](graph) == [
        ("lassonet_bench.core.prox", "lassonet_bench.reporting.report"),  # core importing reporting
        ("lassonet_bench.selectors.a", "lassonet_bench.learners.b"),  # two units of one layer
    ]
    assert ARCHITECTURE["cycles"](graph) == [["lassonet_bench.plots.x", "lassonet_bench.plots.y", "lassonet_bench.plots.x"]]


def test_every_unit_has_a_layer():
    units = {ARCHITECTURE["unit"](m) for m in ARCHITECTURE["modules"]()} - {None}
    assert units <= set(ARCHITECTURE["LAYER_OF"]), units - set(ARCHITECTURE["LAYER_OF"])


def test_the_architecture_doc_is_generated_from_the_code():
    assert ARCHITECTURE["main"](["--check"]) == 0, "docs/architecture.md is stale: run python docs/architecture.py"


def test_the_top_level_holds_at_most_four_loose_modules():
    loose = [p.name for p in (ROOT / "src" / "lassonet_bench").glob("*.py") if p.name != "__init__.py"]
    assert len(loose) <= 4, loose


def test_modules_and_functions_stay_small():
    too_long = []
    for path in sorted((ROOT / "src" / "lassonet_bench").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(ROOT / "src").as_posix()
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}: {node.name} {length} lines")
    assert not too_long, too_long


def test_every_script_imports_names_the_package_has():
    """The scripts beside the package (benchmarks/, experiments/, docs/, workflow/scripts/) run rarely: a moved name
    must fail here, not when someone next runs them."""
    import importlib

    scripts = [*ROOT.glob("benchmarks/*.py"), *ROOT.glob("experiments/*.py"), *ROOT.glob("docs/*.py"),
               *ROOT.glob("workflow/scripts/*.py")]
    missing = []
    for script in scripts:
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lassonet_bench"):
                module = importlib.import_module(node.module)
                missing += [f"{script.relative_to(ROOT)}: {node.module}.{alias.name}" for alias in node.names
                            if not hasattr(module, alias.name) and not _is_submodule(node.module, alias.name)]
    assert len(scripts) > 20 and missing == []


def _is_submodule(package, name):
    import importlib.util

    return importlib.util.find_spec(f"{package}.{name}") is not None
