"""Helpers of the workflow's tests (tests/test_workflow.py, tests/test_workflow_config.py): Snakemake on the
project's Snakefile, and what its output says ran."""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAKEFILE = REPO / "Snakefile"
SMOKE_CONFIG = REPO / "tests" / "smoke" / "config.yaml"


def snakemake(*args, directory, timeout=600):
    """Run Snakemake on the project's Snakefile with `directory` as working directory; stdout and stderr together."""
    command = [sys.executable, "-m", "snakemake", "-s", str(SNAKEFILE), "--directory", str(directory), *map(str, args)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=directory)
    return result.returncode, result.stdout + result.stderr


def job_counts(output):
    """{rule: count} from the 'Job stats' table Snakemake prints (dry run or real run)."""
    match = re.search(r"Job stats:\n(.*?)\n(?:\n|$)", output, re.S)
    if match is None:
        return {}
    counts = {}
    for line in match.group(1).splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].isdigit() and parts[0] != "total":
            counts[parts[0]] = int(parts[1])
    return counts


def executed_rules(output):
    """{rule: count} of the jobs a real run started, from the log's 'rule x:' / 'localrule x:' /
    'localcheckpoint x:' lines (the Job stats table of a real run predates the checkpoints' additions)."""
    counts = {}
    for rule in re.findall(r"^\s*(?:local)?(?:rule|checkpoint) (\w+):$", output, re.M):
        counts[rule] = counts.get(rule, 0) + 1
    return counts


def reachable_rules(listed):
    """The listed rules minus the selection rules the methods' nestedness makes unreachable: a nested method (one
    ranking serves every k) is selected by the *_ranking rules, the others by the *_subset rules."""
    from lassonet_bench.selectors import selector_class

    nested = selector_class("lassonet").nested_selection
    unreachable = {"select_lassonet_subset" if nested else "select_lassonet_ranking"}
    return set(listed) - unreachable
