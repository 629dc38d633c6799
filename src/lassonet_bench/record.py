"""The replication record: a tracked folder that holds the runs of the full protocol and everything drawn from them.

    python -m lassonet_bench.record export --results results [more results folders] --to replication
    python -m lassonet_bench.record render replication            # tables, report and summary, from runs.csv
    python -m lassonet_bench.record readme                        # the README's status block from STATUS.md
    python -m lassonet_bench.record check                         # recompute the guarded slice (lassonet_bench.drift)
    python -m lassonet_bench.record html replication --out page.html  # the report as one web page

`export` gathers the finished runs of one or more results folders (one run may be spread over several checkouts,
e.g. the baselines in one and LassoNet in another), with the Snakemake benchmark figures of their jobs, the data
sets' fetch status, the report's parameters (`results/record/params.json`, written by the workflow's
`record_params` rule, so they are declared once, in the rules) and a per-rule summary of the benchmark files, then
renders. `render` draws Tables 1-2, Figure 5, the replication report and the status summary from those files
alone: rendering the committed record again gives the committed files byte for byte (a test checks this).
"""

import argparse
import json
import os
import shutil
import sys
from pathlib import Path

import pandas as pd
import yaml

from . import drift, report
from .drawing.figure5 import plot_figure5
from .drawing.report_section import figures_report_section
from .drawing.style import save_figure
from .figures.registry import FIGURES, table_paths
from .io import atomic_path
from .selection import ALL_FEATURES

# Snakemake benchmark column -> our column suffix.
BENCHMARK_COLUMNS = {"s": "wall_s", "max_rss": "max_rss_mb", "cpu_time": "cpu_s"}
TABLE_FILES = ("md", "tex", "csv")


def benchmark_figures(path, stage):
    """{stage_wall_s, stage_max_rss_mb, stage_cpu_s} from one Snakemake benchmark file."""
    table = pd.read_csv(path, sep="\t")
    if table.empty:
        raise ValueError(f"benchmark file {path} holds no measurement")
    row = table.iloc[-1]
    figures = {}
    for column, suffix in BENCHMARK_COLUMNS.items():
        value = pd.to_numeric(row.get(column), errors="coerce")
        if not pd.isna(value):
            figures[f"{stage}_{suffix}"] = float(value)
    return figures


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
    """A run's file under results/runs/: <dataset>/<method>/seed-<seed>/k-<k>/<learner>.csv, with k-all for the
    All-Features runs (whose k column holds the data set's number of features)."""
    k = "all" if row.method == ALL_FEATURES else row.k
    return Path(row.dataset, row.method, f"seed-{row.seed}", f"k-{k}", f"{row.learner}.csv")


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


def benchmark_stage(relative):
    """The stage a benchmark file (path under benchmarks/) belongs to: 'select <method>', 'evaluate <learner>', or
    its top folder (data, figures)."""
    parts = relative.parts
    if parts[0] == "select" and len(parts) > 2:
        return f"select {parts[2]}"
    if parts[0] == "evaluate":
        return f"evaluate {relative.stem}"
    return parts[0]


def benchmark_summary(results_dirs):
    """Wall time, CPU time and peak memory per rule (stage and method or learner) and in total."""
    rows = []
    for results in results_dirs:
        root = Path(results) / "benchmarks"
        for path in sorted(root.rglob("*.tsv")):
            figures = benchmark_figures(path, "job")
            rows.append(dict(rule=benchmark_stage(path.relative_to(root)), **figures))
    table = pd.DataFrame(rows).groupby("rule").agg(
        jobs=("job_wall_s", "size"), wall_h=("job_wall_s", "sum"), cpu_h=("job_cpu_s", "sum"),
        peak_rss_mb=("job_max_rss_mb", "max"),
    )
    table[["wall_h", "cpu_h"]] /= 3600
    table.loc["total"] = [table["jobs"].sum(), table["wall_h"].sum(), table["cpu_h"].sum(), table["peak_rss_mb"].max()]
    return table.reset_index().round({"wall_h": 3, "cpu_h": 3, "peak_rss_mb": 0})


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
    drawn = sorted(png.stem for png in source.glob("*.png") if png.with_suffix(".pdf").exists())
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
    wanted = {drift.run_path(dataset, m, seed, k, learner) for m, k, learner in drift.slice_runs(params, dataset, seed)}
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
    replaced = (runs.dataset == dataset) & (runs.seed == seed) & runs.method.isin(new.method.unique())
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
        "`figure5.png`, `replication_report.md`, `STATUS.md` (the README's status) and `benchmarks.csv` (wall time,",
        "CPU time and peak memory per rule), `written.csv` (when each commit's run files were written) and",
        "`experiments/` (the experiments on the misses, rendered into the report: `<name>-<data set>.csv` for the",
        "table cells, `figures/<figure>/<name>/` for the figures), and `figures/` (the other",
        "figures with their tables; `figures/figures.csv` names the commit and cost of each, copied by",
        "`python -m lassonet_bench.record figures --results <results> --commit <commit> --to replication`). Made with",
        "",
        "```bash",
        "snakemake --cores 1 <run files>          # in a checkout of the commit below, one part at a time",
        "snakemake results/record/params.json     # the report's parameters",
        "python -m lassonet_bench.record export --results <results folders> --to replication",
        "```",
        "",
        "and drawn again from `runs.csv` alone by `python -m lassonet_bench.record render replication`",
        "(`tests/test_record.py` checks that this gives these files byte for byte).",
        "`python -m lassonet_bench.record html replication --out <page.html>` makes the report one self-contained",
        "web page (Snakemake's own `--report` needs the run folders' metadata, which the record does not keep).",
        "",
        "CI's drift guard recomputes one slice of this record with the workflow, "
        f"{drift.GUARDED_DATASET} split seed {drift.GUARDED_SEED} with every",
        "method and both learners (`python -m lassonet_bench.record check`, `tests/test_drift.py`), and fails when a",
        "number moved: a change that moves numbers regenerates the record, or this slice (`--update`), in its commit.",
        "The workflow's jobs run OpenBLAS's AVX2 kernels on every x86-64 CPU (`lassonet_bench.kernels`); runs whose",
        "`blas_kernel` column is empty predate that pin and ran with their machine's kernels (AVX-512 on some, AVX2",
        "on others): some of their PFA and HSIC-Lasso selections recompute only under the same kernel.",
        "",
        "`jobs/` holds the workflow's per-job files (runs, selections, benchmarks). To go on with an unfinished",
        "record on another machine: copy them into `results/`, run the data stage (`results/data/<data set>/",
        "split-<seed>.npz`), `touch` the copied files so that they are newer than the data, and run the missing",
        "targets with `--rerun-triggers mtime` in a checkout of the commit that is to make them (a run's",
        "`method_params` column says what it was given; later code may spell the same settings otherwise).",
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


def render(record_dir, out_dir=None):
    """Tables 1-2, Figure 5, the report and the status summary from `record_dir`'s files, into `out_dir`."""
    record = Path(record_dir)
    out = Path(out_dir or record)
    (out / "tables").mkdir(parents=True, exist_ok=True)
    p = json.loads((record / "params.json").read_text())
    runs = pd.read_csv(record / "runs.csv")
    availability = report.read_availability(sorted((record / "fetch").glob("*/fetch.json")))
    for table_name, learner in p["table_learners"].items():
        if learner in p["learners"]:
            render_table(runs, p, learner, int(table_name.removeprefix("table")), availability,
                         {ext: out / "tables" / f"{table_name}.{ext}" for ext in TABLE_FILES})
    figure = render_figure5(runs, p, availability, out / "figure5.png", out / "figure5.pdf")
    experiments = read_experiments(record)
    text = render_report(runs, p, availability, out / "replication_report.md", figure, record, experiments)
    with atomic_path(out / "replication_report.md") as tmp:
        tmp.write_text(text, encoding="utf-8")
    with atomic_path(out / "STATUS.md") as tmp:
        tmp.write_text(status_summary(runs, p, availability, experiments), encoding="utf-8")


def render_table(runs, p, learner, number, availability, paths):
    table = report.build_table(runs, learner, p["datasets"], p["methods"], p["n_features_to_select"], availability,
                               p["titles"], p["extra_datasets"])
    caption = report.table_caption(number, learner, p["n_features_to_select"], table, p["methods"])
    report.write_table(table, p["methods"], caption, f"tab:table{number}", paths["md"], paths["tex"], paths["csv"])
    return table


def render_figure5(runs, p, availability, png, pdf):
    dataset, note = report.figure5_choice(p["figure5_candidates"], availability, p["titles"], with_reason=False)
    title = None if dataset is None else p["titles"][dataset]
    save_figure(plot_figure5(runs, dataset, p["figure5_methods"], p["learners"], title, note), png, pdf)
    return png


def render_report(runs, p, availability, output, figure, record_dir=None, experiments=None):
    """The replication report's text; with a record folder, its figures (and the experiments on them) too.
    `experiments`: the record's experiments on table cells (read_experiments)."""
    dataset, note = report.figure5_choice(p["figure5_candidates"], availability, p["titles"], with_reason=False)
    text = report.replication_report(
        runs, report.load_published(), p["table_learners"], p["datasets"], p["extra_datasets"], p["titles"],
        availability, p["methods"], p["learners"], p["n_features_to_select"], dataset, note,
        figure_path=Path(os.path.relpath(figure, Path(output).parent)).as_posix(), confidence=p["confidence"],
        kind=p["interval"], experiments=experiments,
    )
    figures = {} if record_dir is None else recorded_figures(record_dir)
    if not figures:
        return text
    section = figures_report_section(figures, record_dir, experiments=figure_experiments(record_dir))  # links from the record
    return text.rstrip("\n") + "\n\n" + section


def recorded_figures(record_dir):
    """{figure: (PNG path, {role: table path})} of the record's figures (figures/figures.csv), in the report's order."""
    folder = Path(record_dir) / "figures"
    if not (folder / "figures.csv").exists():
        return {}
    listed = set(pd.read_csv(folder / "figures.csv")["figure"])
    return {name: ((folder / f"{name}.png").as_posix(), table_paths(name, (folder / "data" / name).as_posix()))
            for name in FIGURES if name in listed}


def figure_experiments(record_dir):
    """{figure: [(experiment.yaml's content, {role: table path})]} from experiments/figures/<figure>/<name>/."""
    found = {}
    for path in sorted((Path(record_dir) / "experiments" / "figures").glob("*/*/experiment.yaml")):
        experiment = yaml.safe_load(path.read_text(encoding="utf-8"))
        found.setdefault(experiment["figure"], []).append(
            (experiment, table_paths(experiment["figure"], path.parent.as_posix())))
    return found


def read_experiments(record_dir):
    """{experiment name: its results}, from `experiments/<name>-<data set>.csv` of the record (report.EXPERIMENTS)."""
    found = {}
    for name in report.EXPERIMENTS:
        paths = sorted((Path(record_dir) / "experiments").glob(f"{name}-*.csv"))
        if paths:
            found[name] = pd.concat([pd.read_csv(path) for path in paths], ignore_index=True)
    return found


def write_experiment(rows, path, quiet=False):
    """Write an experiment's results (a tidy table, one row per run) atomically, and print its mean per cell."""
    rows = pd.DataFrame(rows)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        rows.to_csv(tmp, index=False)
    if not quiet:
        summary = rows.groupby(["method", "learner"])["accuracy"].agg(["mean", "std", "count"])
        print(summary.to_string(float_format="%.4f"))
        print(f"wrote {path} ({len(rows)} rows)")


def status_summary(runs, p, availability, experiments=None):
    """A few lines for the README: cells compared, inside and outside the interval, the biggest misses, and what
    the record's experiments (read_experiments) say of the misses."""
    comparison = report.comparison(runs, report.load_published(), p["datasets"], p["titles"], availability,
                                   p["n_features_to_select"], confidence=p["confidence"], kind=p["interval"])
    lines = report.experiment_status_lines(comparison, experiments or {}, p["confidence"], p["interval"])
    return report.status_text(comparison, p["confidence"], p.get("n_seeds"), experiment_lines=lines)


README_START = "<!-- replication status: generated by `python -m lassonet_bench.record readme` -->"
README_END = "<!-- end of the replication status -->"


def readme_with_status(readme_text, status):
    """The README with its status block replaced by `status` (the record's STATUS.md)."""
    try:
        head, rest = readme_text.split(README_START, 1)
        _, tail = rest.split(README_END, 1)
    except ValueError:
        raise ValueError(f"the README lacks the status markers {README_START!r} ... {README_END!r}") from None
    return f"{head}{README_START}\n{status}{README_END}{tail}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    gather = commands.add_parser("export", help="gather runs from results folders into a record, then render it")
    gather.add_argument("--results", nargs="+", required=True)
    gather.add_argument("--to", required=True)
    draw = commands.add_parser("render", help="render a record's tables, report and summary from its files")
    draw.add_argument("record")
    draw.add_argument("--out", help="another folder to render into (default: the record itself)")
    page = commands.add_parser("html", help="the record's replication report as one self-contained web page")
    page.add_argument("record")
    page.add_argument("--out", help="the page's path (default: <record>/replication_report.html)")
    figures = commands.add_parser("figures", help="copy a results folder's figures into the record")
    figures.add_argument("--results", required=True)
    figures.add_argument("--commit", required=True, help="the commit of the code that made them")
    figures.add_argument("--to", required=True)
    status = commands.add_parser("readme", help="copy the record's STATUS.md into the README's status block")
    status.add_argument("record", nargs="?", default="replication")
    guard = commands.add_parser("check", help="recompute the record's guarded slice with the workflow and compare")
    guard.add_argument("record", nargs="?", default="replication")
    guard.add_argument("--work", help="scratch folder for the slice's workflow (default: .drift-guard)")
    guard.add_argument("--cores", type=int, default=2)
    guard.add_argument("--update", action="store_true", help="write the new numbers into the record instead")
    status.add_argument("--readme", default="README.md")
    args = parser.parse_args(argv)
    if args.command == "export":
        export(args.results, args.to)
    elif args.command == "render":
        render(args.record, args.out)
    elif args.command == "check":
        work = Path(args.work or ".drift-guard")
        if args.update:
            drift.recompute(work / "results", params=json.loads((Path(args.record) / "params.json").read_text()),
                            cores=args.cores)
            take_slice(args.record, work / "results")
            problems = []
        else:
            problems = drift.check(args.record, work, args.cores)
        if problems:
            print(drift.guard_message(problems, args.record), file=sys.stderr)
            return 1
        print("the guarded slice " + ("was written into" if args.update else "reproduces") + f" the record {args.record}")
    elif args.command == "figures":
        print("copied:", ", ".join(export_figures(args.results, args.to, args.commit)))
    elif args.command == "html":
        from .html_report import markdown_page

        out = Path(args.out or Path(args.record) / "replication_report.html")
        with atomic_path(out) as tmp:
            tmp.write_text(markdown_page(Path(args.record) / "replication_report.md", "Replication report"), encoding="utf-8")
    else:
        readme = Path(args.readme)
        text = readme_with_status(readme.read_text(encoding="utf-8"), (Path(args.record) / "STATUS.md").read_text())
        with atomic_path(readme) as tmp:
            tmp.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
