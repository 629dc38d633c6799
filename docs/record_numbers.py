"""The docs' numbers that come from the committed record, written from it so that they agree with it.

    python docs/record_numbers.py          # rewrite every generated block of the docs from replication/
    python docs/record_numbers.py --check  # exit 1 if a block differs from the record (tests/test_docs.py)

A block lies between `<!-- record numbers: NAME ... -->` and `<!-- end of record numbers -->` in a Markdown file
of the docs or the README; BLOCKS says what writes each. A figure's numbers are the same sentences its section of the replication
report gives (the figure registry's `numbers` function), so they are declared once.
"""

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "replication"
BLOCK = re.compile(r"(<!-- record numbers: (?P<name>[\w-]+)[^>]*-->\n)(?P<body>.*?)(<!-- end of record numbers -->)",
                   re.S)


def figure_block(name):
    """The record's numbers of figure `name` (its report section's), with the commit and cost of its compute job."""
    from lassonet_bench.experiments.registry import FIGURES, resolve, table_paths
    from lassonet_bench.plots import read_tables

    job = pd.read_csv(RECORD / "figures" / "figures.csv").set_index("figure").loc[name]
    tables = read_tables(table_paths(name, (RECORD / "figures" / "data" / name).as_posix()))
    numbers = resolve(FIGURES[name].numbers)(**tables)
    return (f"In the record (`replication/figures/data/{name}/`, computed at commit {job['git_commit'][:7]} on the "
            f"record's machine, see `replication/README.md`: {job['compute_wall_s']:.0f} s wall, "
            f"{job['compute_cpu_s']:.0f} CPU s, from the compute job's Snakemake benchmark file):\n\n{numbers}\n")


def conv_filters_block():
    """The conv filters' report numbers, and the table of test accuracy by number of filters."""
    from lassonet_bench.plots.conv_filters import lassonet_against_pruning

    accuracy = pd.read_csv(RECORD / "figures" / "data" / "conv_filters" / "accuracy.csv")
    path = accuracy[(accuracy["method"] == "lassonet") & (accuracy["lambda"] > 0)]
    table = lassonet_against_pruning(accuracy).set_index("n_filters")
    rows = {"LassoNet path": "lassonet", "LassoNet's filters, fine-tuned": "lassonet_fine_tuned",
            "magnitude pruning, fine-tuned": "magnitude_pruning"}
    lines = ["| filters | " + " | ".join(map(str, table.index)) + " |", "|---" * (len(table) + 1) + "|"]
    lines += [f"| {title} | " + " | ".join(f"{v:.3f}" for v in table[column]) + " |" for title, column in rows.items()]
    return (figure_block("conv_filters") + f"\nThe path: {int(path['step'].max())} steps from λ = "
            f"{path['lambda'].min():.0f} to {path['lambda'].max():.0f}. Test accuracy by number of filters:\n\n"
            + "\n".join(lines) + "\n")


def lassonet_cost_block():
    """LassoNet's selection CPU seconds per seed on the large data sets, and the decoder's epochs, in the record."""
    runs = pd.read_csv(RECORD / "runs.csv")
    jobs = runs[runs["method"] == "lassonet"].drop_duplicates(["dataset", "seed", "k"])
    lines = []
    for dataset, title in [("mnist", "MNIST"), ("fashion", "MNIST-Fashion")]:
        seconds = jobs.loc[(jobs["dataset"] == dataset) & (jobs["k"] == 50), "select_cpu_s"]
        lines.append(f"{seconds.min():.0f}–{seconds.max():.0f} CPU s per seed on {title} ({len(seconds)} seeds)")
    decoder = runs[(runs["learner"] == "decoder") & runs["dataset"].isin(["mnist", "fashion"])]
    selected = decoder[decoder["method"] != "all"]["epochs_trained"]
    hosts = runs["platform"].nunique()
    return (f"In the record (`replication/runs.csv`, from the jobs' Snakemake benchmark files, on {hosts} hosts of "
            f"the record's machine, see `replication/README.md`), LassoNet's width search at k = 50 took "
            f"{' and '.join(lines)}. The decoder trained {selected.min():.0f}–"
            f"{selected.max():.0f} epochs on the selected features of MNIST and MNIST-Fashion before its patience "
            f"stopped it.\n")


def record_cost_block():
    """The CPU hours of the record's jobs (Tables 1-2 and the Figure 5 grid) and of its figures."""
    from lassonet_bench.reporting.costs import benchmark_summary

    summary = benchmark_summary([RECORD / "jobs"]).set_index("rule")
    jobs, stages = summary.loc["total"], summary.drop("total")["cpu_h"].sort_values(ascending=False)
    shares = ", ".join(f"{rule} {hours:.1f}" for rule, hours in stages.items() if round(hours, 1) > 0)
    figures = pd.read_csv(RECORD / "figures" / "figures.csv")
    return (f"The record's own jobs (its machine and commits: `replication/README.md`): {jobs['cpu_h']:.1f} CPU hours "
            f"in {int(jobs['jobs'])} jobs for Tables 1–2 and the Figure 5 grid (`python benchmarks/protocol_cost.py "
            f"--results replication/jobs`; by stage: {shares}), {figures['compute_cpu_s'].sum() / 3600:.1f} more "
            f"for the other figures (`replication/figures/figures.csv`).\n")


BLOCKS = {
    "survival": (ROOT / "docs" / "survival.md", lambda: figure_block("survival")),
    "conv_filters": (ROOT / "docs" / "conv.md", conv_filters_block),
    "lassonet-cost": (ROOT / "docs" / "lassonet.md", lassonet_cost_block),
    "record-cost": (ROOT / "README.md", record_cost_block),
}


def rewritten(text):
    """`text` (Markdown) with each of its blocks written anew from the record; ValueError for an unknown block."""
    def body(match):
        if match["name"] not in BLOCKS:
            raise ValueError(f"no generated block named {match['name']!r}; known: {', '.join(BLOCKS)}")
        return match[1] + BLOCKS[match["name"]][1]() + match[4]

    return BLOCK.sub(body, text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a block differs from the record")
    args = parser.parse_args(argv)
    stale = []
    for path in sorted({path for path, _ in BLOCKS.values()}):
        text = rewritten(path.read_text(encoding="utf-8"))
        missing = [name for name, (p, _) in BLOCKS.items() if p == path and f"record numbers: {name}" not in text]
        if missing:
            raise ValueError(f"{path.relative_to(ROOT)} has no block {', '.join(missing)}")
        if text != path.read_text(encoding="utf-8"):
            stale.append(path.relative_to(ROOT).as_posix())
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print(f"stale record numbers in {', '.join(stale)}: run python docs/record_numbers.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
