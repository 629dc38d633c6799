"""Gathering a record: the finished runs of results folders, with their job files and benchmark figures, into the
tracked folder (`export`, `take_slice` for the drift guard's slice, `export_figures`), and the record's README.
"""

import json
import os
import shutil
from pathlib import Path

import pandas as pd

from lassonet_bench.experiments.registry import FIGURES
from lassonet_bench.io import atomic_path
from lassonet_bench.record import drift
from lassonet_bench.record.rendering import render
from lassonet_bench.reporting.costs import benchmark_figures, benchmark_summary
from lassonet_bench.selectors import ALL_FEATURES


def run_row(run_path, evaluate_benchmark, select_benchmark=None):
    """One run's row of runs.csv: its run file and the benchmark figures of its two jobs."""
    run = pd.read_csv(run_path)
    if len(run) != 1:
        raise ValueError(f"run file {run_path} must hold exactly one row, has {len(run)}")
    row = run.iloc[0].to_dict()
    row.update(benchmark_figures(evaluate_benchmark, "evaluate"))
    if select_benchmark is not None:
        row.update(benchmark_figures(select_benchmark, "select"))
    return row


def run_file(row):
    """A runs.csv row's file under results/runs/ (drift.run_path's layout): the All-Features runs, whose k column
    holds the data set's number of features, are under k-all."""
    k = "all" if row.method == ALL_FEATURES else row.k
    return drift.run_path(row.dataset, row.method, row.seed, k, row.learner).relative_to("runs")


def finished_runs(results):
    """Every finished run under results/runs/ with its benchmark files, as run_row's arguments."""
    results = Path(results)
    for run in sorted((results / "runs").rglob("*.csv")):
        stem = run.relative_to(results / "runs").with_suffix("")
        dataset, method, seed, k, learner = stem.parts  # the layout of run_file
        select = None
        if method != "all":
            nested = results / "benchmarks" / "select" / dataset / method / f"{seed}.tsv"
            select = nested if nested.exists() else results / "benchmarks" / "select" / dataset / method / seed / f"{k}.tsv"
        yield run, results / "benchmarks" / "evaluate" / f"{stem}.tsv", select


RUN_ORDER = ["dataset", "method", "k", "learner", "seed"]


def export(results_dirs, record_dir):
    """Gather the finished runs of `results_dirs` into `record_dir` and render it."""
    record = Path(record_dir)
    first = Path(results_dirs[0])
    rows = [run_row(*paths) for results in results_dirs for paths in finished_runs(results)]
    if not rows:
        raise ValueError(f"no finished run under {[str(Path(r) / 'runs') for r in results_dirs]}")
    runs = pd.DataFrame(rows)
    duplicated = runs.duplicated(RUN_ORDER)
    if duplicated.any():
        raise ValueError(f"runs found twice in {results_dirs}: {runs[duplicated][['dataset', 'method', 'seed']]}")
    for fetch in sorted((first / "raw").glob("*/fetch.json")):
        (record / "fetch" / fetch.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fetch, record / "fetch" / fetch.parent.name / "fetch.json")
    shutil.copyfile(first / "record" / "params.json", record / "params.json")
    summary = benchmark_summary(results_dirs)
    for results in results_dirs:  # the per-job files, so that a later session can resume the run from them
        for part in ("runs", "selections", "benchmarks"):
            if (Path(results) / part).exists():
                shutil.copytree(Path(results) / part, record / "jobs" / part, dirs_exist_ok=True)
    rewrite_runs(record, runs, results_dirs, summary)


def rewrite_runs(record, runs, results_dirs, summary=None):
    """Write `runs` as the record's runs.csv with their write times, the record's README and the benchmark summary
    (default: of every job file in the record's jobs/), then render. `results_dirs`: where the new runs' files are."""
    record = Path(record)
    runs = runs.sort_values(RUN_ORDER, kind="stable")
    written = written_ranges(runs, results_dirs, record)  # before runs.csv is replaced: it tells which runs are new
    with atomic_path(record / "runs.csv") as tmp:
        runs.to_csv(tmp, index=False)
    with atomic_path(record / "benchmarks.csv") as tmp:
        (benchmark_summary([record / "jobs"]) if summary is None else summary).to_csv(tmp, index=False)
    with atomic_path(record / "README.md") as tmp:
        tmp.write_text(record_readme(runs, written), encoding="utf-8")
    with atomic_path(record / "written.csv") as tmp:
        written.to_csv(tmp, index=False)
    render(record)


def export_figures(results, record_dir, commit):
    """Copy the figures a results folder drew (PNG, PDF, their tables under figures/data/<figure>/) into
    `record_dir`/figures/, beside those already there, and list them in figures/figures.csv with the commit of
    the code that made them and their compute job's benchmark figures."""
    source, target = Path(results) / "figures", Path(record_dir) / "figures"
    # The registry's figures only: Figure 5 and the critical-difference diagram, which results/figures/ also holds,
    # are drawn at the record's top level from runs.csv (render), not from tables of their own
    drawn = sorted(png.stem for png in source.glob("*.png") if png.with_suffix(".pdf").exists() and png.stem in FIGURES)
    if not drawn:
        raise ValueError(f"no figure (PNG and PDF) under {source}")
    index_path = target / "figures.csv"
    index = pd.read_csv(index_path) if index_path.exists() else pd.DataFrame(columns=["figure", "git_commit"])
    rows = []
    for figure in drawn:
        (target / "data").mkdir(parents=True, exist_ok=True)
        for suffix in (".png", ".pdf"):
            shutil.copyfile(source / f"{figure}{suffix}", target / f"{figure}{suffix}")
        if (source / "data" / figure).is_dir():
            shutil.copytree(source / "data" / figure, target / "data" / figure, dirs_exist_ok=True)
        benchmark = Path(results) / "benchmarks" / "figures" / f"{figure}_compute.tsv"
        rows.append(dict(figure=figure, git_commit=commit,
                         **(benchmark_figures(benchmark, "compute") if benchmark.exists() else {})))
    index = pd.concat([index[~index["figure"].isin(drawn)], pd.DataFrame(rows)], ignore_index=True)
    with atomic_path(index_path) as tmp:
        index.sort_values("figure").to_csv(tmp, index=False)
    return drawn


def take_slice(record_dir, results, dataset=drift.GUARDED_DATASET, seed=drift.GUARDED_SEED):
    """Replace the record's runs of the guarded slice (rows of runs.csv, job files) by those of `results`."""
    record, results = Path(record_dir), Path(results)
    params = json.loads((record / "params.json").read_text())
    wanted = {drift.run_path(dataset, m, seed, k, learner) for m, k, learner in drift.slice_runs(params)}
    jobs = [paths for paths in finished_runs(results) if paths[0].relative_to(results) in wanted]
    if len(jobs) != len(wanted):
        raise ValueError(f"{results} holds {len(jobs)} of the slice's {len(wanted)} runs: recompute it first")
    new = pd.DataFrame([run_row(*paths) for paths in jobs])
    for run, evaluate_benchmark, select_benchmark in jobs:
        files = [run, evaluate_benchmark]
        if select_benchmark is not None:  # All-Features runs have no selection job
            method = run.relative_to(results / "runs").parts[1]
            files += [select_benchmark,
                      drift.selection_path(results, dataset, method, seed, params["n_features_to_select"])]
        for source in files:
            target = record / "jobs" / source.relative_to(results)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    runs = pd.read_csv(record / "runs.csv")
    # Run by run: the slice holds some of a method's learners only (the decoder runs on All-Features and LassoNet)
    key = ["dataset", "seed", "method", "learner"]
    replaced = runs.set_index(key).index.isin(new.set_index(key).index)
    rewrite_runs(record, pd.concat([runs[~replaced], new], ignore_index=True), [results])


RUN_KEY = ["dataset", "method", "k", "learner", "seed", "git_commit"]
WRITTEN_COLUMNS = ["commit", "runs", "first_written_utc", "last_written_utc"]


def written_ranges(runs, results_dirs, record):
    """Per commit of the code: when its run files were written (UTC), from `record/written.csv` for the runs the
    record already holds (their files may have been copied since, which resets the times) and from the files'
    modification times for the new ones."""
    path = Path(record) / "written.csv"
    previous = pd.read_csv(path, dtype=str) if path.exists() else pd.DataFrame(columns=WRITTEN_COLUMNS)
    held = set()
    if (Path(record) / "runs.csv").exists():
        old = pd.read_csv(Path(record) / "runs.csv", usecols=RUN_KEY)
        held = set(map(tuple, old[RUN_KEY].astype(str).values))  # usecols keeps the file's order
    ranges = []
    for commit, group in runs.groupby("git_commit", sort=False):
        times = []
        for row in group.itertuples():
            if tuple(str(getattr(row, c)) for c in RUN_KEY) in held:
                continue
            files = [Path(r) / "runs" / run_file(row) for r in results_dirs]
            times += [pd.Timestamp(f.stat().st_mtime, unit="s") for f in files if f.exists()]
        known = previous[previous["commit"] == commit]
        times += [pd.Timestamp(t) for t in known[["first_written_utc", "last_written_utc"]].values.ravel()]
        if not times:
            raise ValueError(f"no write time for the runs of commit {commit}: neither new run files nor {path}")
        ranges.append(dict(commit=commit, runs=len(group), first_written_utc=f"{min(times):%Y-%m-%d %H:%M}",
                           last_written_utc=f"{max(times):%Y-%m-%d %H:%M}"))
    return pd.DataFrame(ranges, columns=WRITTEN_COLUMNS)


def record_readme(runs, written):
    """The record's README: how it was made, on what machine, when, and by which commit of the code."""
    parts = []
    for commit, group in runs.groupby("git_commit", sort=False):
        [when] = written[written["commit"] == commit].itertuples()
        devices = sorted(set(group["selection_device"].dropna().astype(str)) | set(group["learner_device"].astype(str)))
        methods = "; ".join(f"{d}: {', '.join(sorted(g['method'].unique()))}" for d, g in group.groupby("dataset"))
        parts.append(f"| `{commit[:12]}` | {len(group)} | {methods} | {', '.join(devices)} | "
                     f"{when.first_written_utc} – {when.last_written_utc} UTC |")
    return "\n".join([
        "# The replication record",
        "",
        "The runs of the paper's protocol (`config.yaml`: 5 split seeds, k = 50, LassoNet's width search, both",
        "learners), gathered from the workflow's results and rendered into the files beside this one:",
        "`runs.csv` (one row per run, with provenance and the Snakemake benchmark figures of its jobs), `tables/`,",
        "`figure5.png`, `critical_difference.png` and `cost_quality.png` (the report's diagram of the tests across",
        "data sets and its figure of cost beside quality; each with a PDF),",
        "`replication_report.md`, `STATUS.md` (the README's status) and `benchmarks.csv` (wall time,",
        "CPU time and peak memory per rule), `written.csv` (when each commit's run files were written) and",
        "`experiments/` (the experiments on the misses, rendered into the report: `<name>-<data set>.csv` for the",
        "table cells, `figures/<figure>/<name>/` for the figures), and `figures/` (the other",
        "figures with their tables; `figures/figures.csv` names the commit and cost of each, copied by",
        "`python -m lassonet_bench.record figures --results <results> --commit <commit> --to replication`).",
        "",
        "A whole record is made at one commit, from a clean checkout of it (a `git worktree` beside the main one),",
        "by one command that runs the protocol, the experiments of `experiments/plan.yaml` and this folder, and",
        "resumes where an earlier call stopped:",
        "",
        "```bash",
        "python -m lassonet_bench.record make --cores all",
        "```",
        "",
        "The table below names the commits whose runs this record holds: one, for a record so made.",
        "It is drawn again from `runs.csv` alone by `python -m lassonet_bench.record render replication`",
        "(`tests/test_record.py` checks that this gives these files byte for byte).",
        "`python -m lassonet_bench.record html replication --out <page.html>` makes the report one self-contained",
        "web page (Snakemake's own `--report` needs the run folders' metadata, which the record does not keep).",
        "",
        "CI's drift guard recomputes one slice of this record with the workflow, "
        f"{drift.GUARDED_DATASET} split seed {drift.GUARDED_SEED}: every",
        "method with ExtraTrees and every learner with All-Features and LassoNet (`python -m lassonet_bench.record",
        "check`, `tests/test_drift.py`), and fails when a number moved: a change that moves numbers regenerates the",
        "record, or this slice (`--update`), in its commit.",
        "The workflow's jobs run OpenBLAS's AVX2 kernels on every x86-64 CPU (`lassonet_bench.runs.kernels`); runs whose",
        "`blas_kernel` column is empty predate that pin and ran with their machine's kernels (AVX-512 on some, AVX2",
        "on others): some of their PFA and HSIC-Lasso selections recompute only under the same kernel.",
        "",
        "`jobs/` holds the workflow's per-job files (runs, selections, benchmarks), as the workflow wrote them.",
        "",
        f"Machine: {machine_description()}, no GPU unless a device below says cuda.",
        "",
        "| commit of the code | runs | data sets: methods | devices | run files written |",
        "|---|---:|---|---|---|",
        *parts,
        "",
    ])


def machine_description():
    """CPU model and core count of this machine (where the record is exported, and here also where it ran)."""
    model = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{model}, {os.cpu_count()} cores"
