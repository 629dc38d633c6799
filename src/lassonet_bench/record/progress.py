"""A record made in parts, on more than one machine: the finished jobs' files saved to a folder that can be committed,
and restored into a fresh checkout of the same commit, where `record make --resume-from <folder>` goes on.

    python -m lassonet_bench.record save-progress --to ../main/replication/progress   # in the record's checkout

Snakemake decides what to rerun by modification times, which a commit does not keep. So `make` first runs the data
stage (fetch, prepare and split: minutes, the same bytes from the same mirror), then copies the saved files into
results/ (never over a file there) and lets `snakemake --touch` mark them up to date in the DAG's order; the jobs
whose files were not saved then run as usual. Only finished jobs' files are saved: never while Snakemake runs in
the checkout, never a file it marks incomplete, and never the raw data (the mirror's), the prepared data (made
again), the logs (which name the machine's paths) or an experiment's work folder (only the experiments' results).
"""

import base64
import os
import shutil
from pathlib import Path

from lassonet_bench.io import replaced_folder

COMMIT_FILE = "COMMIT"
README_FILE = "README.md"
NOT_SAVED = ("raw", "data", "logs")  # results/ folders made again, or not to be committed


def incomplete_files(root):
    """The files (relative to the checkout `root`) that Snakemake marks incomplete in root/.snakemake/incomplete."""
    marks = Path(root) / ".snakemake" / "incomplete"
    found = set()
    for mark in marks.rglob("*") if marks.is_dir() else ():
        if mark.is_file() and mark.name != "migration_underway":
            parts = mark.relative_to(marks).parts
            encoded = "".join(part.removeprefix("@") for part in parts)
            found.add(os.path.normpath(base64.urlsafe_b64decode(encoded.encode()).decode()))
    return found


def snakemake_running(root):
    locks = Path(root) / ".snakemake" / "locks"
    return locks.is_dir() and any(locks.iterdir())


def save_progress(root, folder, commit, results="results"):
    """Copy the finished jobs' files of root/results into `folder` (replaced whole), with the commit that made them.
    Returns the number of files saved."""
    root, folder = Path(root), Path(folder)
    if snakemake_running(root):
        raise SystemExit(f"Snakemake is running in {root} (.snakemake/locks): stop `record make` first, then save")
    skipped = incomplete_files(root)
    saved = 0
    with replaced_folder(folder) as fresh:  # the old progress is replaced whole, never half-way
        for path in sorted((root / results).rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or relative.parts[1] in NOT_SAVED or not _an_experiment_result(path, relative):
                continue
            if {os.path.normpath(relative), *map(os.path.normpath, relative.parents)} & skipped:
                continue  # marked incomplete, itself or the folder it is part of (a directory output)
            if path.name == "README.md" and len(relative.parts) == 2:
                continue  # the folder's own README is tracked
            target = fresh / relative.relative_to(results)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            saved += 1
        (fresh / COMMIT_FILE).write_text(commit + "\n", encoding="utf-8")
        (fresh / README_FILE).write_text(
            f"# A record in progress\n\nThe finished jobs of `python -m lassonet_bench.record make` at commit {commit}, "
            f"{saved} files of its results/ folder. In a checkout of that commit,\n`python -m lassonet_bench.record "
            "make --resume-from <this folder>` restores them and goes on (lassonet_bench.record.progress).\n",
            encoding="utf-8")
    return saved


def _an_experiment_result(path, relative):
    """Outside results/experiments, every file; inside, only the experiments' results: a table
    (experiments/<name>-<data set>.csv, or the .partial of one in progress) or a finished figure experiment's
    folder (experiments/figures/<figure>/<name>/, with its experiment.yaml). Never an experiment's work folder, a
    whole workflow's tree with its own raw data and logs."""
    parts = relative.parts[1:]
    if parts[0] != "experiments":
        return True
    if len(parts) == 2:
        return path.suffix in (".csv", ".partial")
    return len(parts) == 5 and parts[1] == "figures" and (path.parent / "experiment.yaml").is_file()


def saved_commit(folder):
    path = Path(folder) / COMMIT_FILE
    if not path.is_file():
        raise SystemExit(f"{folder} is not a saved record in progress: it has no {COMMIT_FILE} file")
    return path.read_text(encoding="utf-8").strip()


def restore_progress(folder, results, commit):
    """Copy the saved files into `results`, leaving any file already there; refuse another commit's progress.
    Returns the number of files copied."""
    folder, results = Path(folder), Path(results)
    made_by = saved_commit(folder)
    if made_by != commit:
        raise SystemExit(f"{folder} holds the progress of commit {made_by}, not of this checkout's {commit}: "
                         f"resume in a checkout of {made_by} (git worktree add ../record {made_by})")
    copied = 0
    for path in sorted(folder.rglob("*")):
        target = results / path.relative_to(folder)
        if path.is_file() and path.parent != folder and not target.exists():  # COMMIT and README apart
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied += 1
    return copied
