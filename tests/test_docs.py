"""The docs' numbers from the record agree with the record: docs/record_numbers.py writes them, and this checks
that no generated block has gone stale (a record made anew must be followed by `python docs/record_numbers.py`)."""

import re
import runpy
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
RECORD_NUMBERS = runpy.run_path(str(ROOT / "docs" / "record_numbers.py"))


def test_the_docs_record_numbers_agree_with_the_record():
    assert RECORD_NUMBERS["main"](["--check"]) == 0, "stale record numbers: run python docs/record_numbers.py"


def test_a_changed_number_in_a_block_is_written_back_from_the_record():
    text = (ROOT / "docs" / "survival.md").read_text(encoding="utf-8")
    block = text[text.index("<!-- record numbers: survival"):text.index("<!-- end of record numbers -->")]
    assert "| 2 | " in block
    tampered = text.replace(block, block.replace("| 2 | 0.", "| 2 | 9."))
    assert tampered != text and RECORD_NUMBERS["rewritten"](tampered) == text


def test_every_block_is_in_its_file_and_an_unknown_one_is_refused():
    for name, (path, _) in RECORD_NUMBERS["BLOCKS"].items():
        assert f"<!-- record numbers: {name} " in path.read_text(encoding="utf-8"), (name, path)
    unknown = "<!-- record numbers: nothing -->\nx\n<!-- end of record numbers -->\n"
    with pytest.raises(ValueError, match="nothing"):
        RECORD_NUMBERS["rewritten"](unknown)


def test_the_readmes_example_runs_and_its_width_search_discriminates(capsys):
    """The README's Python block, run as written: its width search must tell the two widths apart."""
    matplotlib.use("Agg")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", readme, re.S)
    namespace = {}
    exec(compile(example, "README.md", "exec"), namespace)
    scores = namespace["selector"].width_search_.set_index("hidden_dims")["validation_score"]
    assert scores[(64,)] > scores[(8,)] + 0.1, scores
    assert 0.8 < float(capsys.readouterr().out.split()[-1]) <= 1  # the forest's test accuracy on the 10 pixels
