"""The CPU cost of the full protocol, by stage, from the Snakemake benchmark files of a run.

    python benchmarks/protocol_cost.py                          # results/ of this checkout, 5 seeds
    python benchmarks/protocol_cost.py --results /path/to/results /other/results --seeds 5

Every job of the workflow writes a benchmark file (`results/benchmarks/<stage>/...tsv`; `cpu_time` is its CPU
seconds). A run may hold only some seeds of a job (a one-seed timing run, or a run still going): the cost of the
full protocol is then projected as the mean over the seeds present times `--seeds`, job by job (one job = data set,
method, k and learner). Jobs with no seed at all are not guessed: the coverage column says how many jobs each
stage holds, so a missing stage shows. Stages: data (fetch, prepare, split), one per selection method, one per
downstream learner, and the figures.
"""

import argparse
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd

from lassonet_bench.reporting.costs import benchmark_stage

SEED = re.compile(r"/seed-(\d+)")


def stage_of(relative):
    """(stage, job key without the seed) of a benchmark file's path under benchmarks/."""
    return benchmark_stage(relative), SEED.sub("", relative.as_posix())


def read_costs(results_dirs):
    """One row per benchmark file: stage, job, seed (None when the job has none), CPU and wall seconds."""
    rows = []
    for results in results_dirs:
        root = Path(results) / "benchmarks"
        for path in sorted(root.rglob("*.tsv")):
            relative = path.relative_to(root)
            table = pd.read_csv(path, sep="\t")
            stage, job = stage_of(relative)
            seed = SEED.search("/" + relative.as_posix())
            rows.append(dict(stage=stage, job=job, seed=int(seed.group(1)) if seed else None,
                             cpu_s=float(table["cpu_time"].iloc[-1]), wall_s=float(table["s"].iloc[-1])))
    if not rows:
        raise SystemExit(f"no benchmark files under {[str(Path(r) / 'benchmarks') for r in results_dirs]}")
    return pd.DataFrame(rows)


def project(costs, n_seeds):
    """Per stage: CPU hours measured, CPU hours projected to n_seeds per job, and the number of jobs."""
    per_job = costs.groupby(["stage", "job"], dropna=False).agg(cpu_s=("cpu_s", "mean"), runs=("cpu_s", "size"),
                                                                 seeded=("seed", lambda s: s.notna().any()))
    per_job["projected_s"] = per_job["cpu_s"] * per_job["seeded"].map({True: n_seeds, False: 1})
    summary = defaultdict(dict)
    for stage, group in per_job.groupby(level="stage"):
        summary[stage] = dict(
            measured_cpu_h=costs.loc[costs.stage == stage, "cpu_s"].sum() / 3600,
            projected_cpu_h=group["projected_s"].sum() / 3600,
            jobs=len(group),
            runs=int(group["runs"].sum()),
        )
    table = pd.DataFrame(summary).T
    table.loc["total"] = table.sum()
    return table


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--results", nargs="+", default=["results"], help="results folders of runs")
    parser.add_argument("--seeds", type=int, default=5, help="seeds of the protocol to project to")
    args = parser.parse_args()
    table = project(read_costs(args.results), args.seeds)
    pd.set_option("display.float_format", "{:.2f}".format)
    print(f"CPU hours by stage ({', '.join(args.results)}; projected to {args.seeds} seeds per job)")
    print(table.to_string())


if __name__ == "__main__":
    main()
